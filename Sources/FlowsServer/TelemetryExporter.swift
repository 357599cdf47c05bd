import AsyncHTTPClient
import Flows
import Logging
import ServiceLifecycle

/// Exports a runtime's spans to a Genkit telemetry server, as Genkit runtimes do in dev:
/// `POST <url>/api/traces` with one `TraceData` document per trace per batch.
///
/// It subscribes to the event bus (publishing never waits for it) and posts from a background
/// task: spans when they end, and also when they start if realtime export is on
/// (`GENKIT_ENABLE_REALTIME_TELEMETRY=true`). Whatever piled up while a POST was in flight goes
/// out in the next batch. Failures are logged and counted, never thrown; after one that could not
/// reach the server, export pauses briefly (dropping spans). Without a URL (no
/// `GENKIT_TELEMETRY_SERVER` and no `/api/notify` yet) it does not even subscribe: spans published
/// before a URL is adopted are not exported, and an exporter with nowhere to post costs nothing.
///
/// ```swift
/// let exporter = TelemetryExporter(bus: runtime.bus)   // reads the environment
/// // ... flows run ...
/// await exporter.shutdown()                            // flushes, then stops
/// ```
///
/// It is also a `Service`: in a `ServiceGroup` it runs until graceful shutdown, then flushes.
public final class TelemetryExporter: Service, Sendable {
  private let bus: EventBus
  private let shared: TelemetryExportShared
  private let pump: TelemetryExportPump
  private let wakeups: AsyncStream<Void>.Continuation
  private let loop: Task<Void, Never>

  /// Subscribes to `bus` and starts exporting.
  ///
  /// - Parameters:
  ///   - bus: The runtime's event bus.
  ///   - configuration: URL and realtime mode; from the environment by default.
  ///   - httpClient: The client to post with (the shared one by default).
  ///   - logger: Where failed posts are reported.
  public init(
    bus: EventBus, configuration: TelemetryExporterConfiguration = .fromEnvironment(),
    httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "flowscope.telemetry-exporter")
  ) {
    let (signals, wakeups) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    let shared = TelemetryExportShared(configuration)
    let pump = TelemetryExportPump(
      shared: shared, client: httpClient, timeout: configuration.requestTimeout, logger: logger)
    self.bus = bus
    self.shared = shared
    self.pump = pump
    self.wakeups = wakeups
    self.loop = Task.detached {
      for await _ in signals { await pump.pump() }
      await pump.pump()
    }
    if configuration.serverURL != nil { subscribe() }
  }

  deinit {
    unsubscribe()
    wakeups.finish()
  }

  private func unsubscribe() {
    if let subscription = shared.subscription.withLock({ $0 }) { bus.unsubscribe(subscription) }
  }

  /// Subscribes to the bus, once (when there is a URL to post to).
  private func subscribe() {
    let wakeups = self.wakeups
    shared.subscription.withLock { subscription in
      guard subscription == nil else { return }
      subscription = bus.subscribe(policy: .unbounded, events: .withoutChunks, name: "telemetry-exporter") {
        wakeups.yield()
      }
    }
  }

  /// The telemetry server URL spans go to, if any.
  public var serverURL: String? { shared.settings.withLock { $0.serverURL } }

  /// True when spans are exported at start as well as at end.
  public var isRealtime: Bool { shared.settings.withLock { $0.realtime } }

  /// Uses `url` from now on, unless the URL came from `GENKIT_TELEMETRY_SERVER` (Genkit's rule for
  /// `/api/notify`). Returns whether it was adopted.
  @discardableResult
  public func adoptServerURL(_ url: String) -> Bool {
    let adopted = shared.settings.withLock { settings in
      guard !settings.pinned else { return false }
      settings.serverURL = url
      return true
    }
    if adopted { subscribe() }
    return adopted
  }

  /// True once spans are being collected for export (a URL is known).
  public var isSubscribed: Bool { shared.subscription.withLock { $0 != nil } }

  /// Returns once every span published before the call has been posted (or its post failed).
  public func flush() async {
    await pump.pump()
  }

  /// Unsubscribes, posts what is left and ends the background task. Idempotent.
  public func shutdown() async {
    unsubscribe()
    wakeups.finish()
    await pump.pump()
    await loop.value
  }

  /// Runs until graceful shutdown (or cancellation), then flushes and stops.
  public func run() async throws {
    try? await gracefulShutdown()
    await shutdown()
  }

  /// Documents (trace batches) posted successfully.
  public var postedDocumentCount: Int { shared.stats.withLock { $0.postedDocuments } }
  /// Span copies posted successfully (a span counts twice with realtime export).
  public var postedSpanCount: Int { shared.stats.withLock { $0.postedSpans } }
  /// Log records posted (as OTLP to `<server>/api/otlp`).
  public var postedLogCount: Int { shared.stats.withLock { $0.postedLogs } }
  /// POSTs that failed or were answered with a non-2xx status.
  public var failedPostCount: Int { shared.stats.withLock { $0.failedPosts } }
  /// Span copies dropped because the server was unreachable (export pauses briefly after that).
  public var droppedSpanCount: Int { shared.stats.withLock { $0.droppedSpans } }
  /// Log records dropped because the server was unreachable.
  public var droppedLogCount: Int { shared.stats.withLock { $0.droppedLogs } }
  /// The last failure, if any.
  public var lastError: String? { shared.stats.withLock { $0.lastError } }
}
