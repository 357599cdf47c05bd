import AsyncHTTPClient
import Flows
import Logging
import NIOCore
import NIOHTTP1
import Synchronization

/// The exporter's mutable settings and counters, shared by the exporter and its pump.
final class TelemetryExportShared: Sendable {
  struct Settings {
    var serverURL: String?
    var pinned: Bool
    var realtime: Bool
  }

  struct Stats {
    var postedDocuments = 0
    var postedSpans = 0
    var postedLogs = 0
    var failedPosts = 0
    var droppedSpans = 0
    var droppedLogs = 0
    var lastError: String?
  }

  let settings: Mutex<Settings>
  let stats = Mutex(Stats())
  /// The bus subscription, from the moment there is a URL to post to.
  let subscription = Mutex<EventSubscription?>(nil)

  init(_ configuration: TelemetryExporterConfiguration) {
    settings = Mutex(
      Settings(
        serverURL: configuration.serverURL, pinned: configuration.serverURLIsPinned,
        realtime: configuration.realtime))
  }
}

/// Takes buffered events and POSTs them, one caller at a time (so documents go out in order and
/// `flush` knows that everything taken before it has been sent).
actor TelemetryExportPump {
  let shared: TelemetryExportShared
  let client: HTTPClient
  let timeout: Duration
  let logger: Logger
  private var busy = false
  private var waiters: [CheckedContinuation<Void, Never>] = []
  /// After a POST that could not reach the server, documents are dropped until then, so an
  /// unreachable server costs one timeout per pause instead of one per document.
  private var pausedUntil: ContinuousClock.Instant?
  static let pauseAfterFailure: Duration = .seconds(2)

  init(shared: TelemetryExportShared, client: HTTPClient, timeout: Duration, logger: Logger) {
    self.shared = shared
    self.client = client
    self.timeout = timeout
    self.logger = logger
  }

  /// Exports everything buffered now. Returns once it has been posted (or the posts failed).
  func pump() async {
    while busy {
      await withCheckedContinuation { waiters.append($0) }
    }
    busy = true
    defer {
      busy = false
      if !waiters.isEmpty { waiters.removeFirst().resume() }
    }
    // Subscribed only once there is a URL (see `TelemetryExporter.subscribe`).
    let settings = shared.settings.withLock { $0 }
    guard let base = settings.serverURL, let subscription = shared.subscription.withLock({ $0 }) else { return }
    let events = subscription.drain()
    guard !events.isEmpty else { return }
    let documents = TelemetryExportBatch.documents(events, realtime: settings.realtime)
    let url = Self.url(base, "/api/traces")
    for document in documents {
      if let pausedUntil, ContinuousClock.now < pausedUntil {
        shared.stats.withLock { $0.droppedSpans += document.spans.count }
        continue
      }
      pausedUntil = nil
      if await !post(document, to: url) { pausedUntil = ContinuousClock.now + Self.pauseAfterFailure }
    }
    let logs = TelemetryExportBatch.logs(events)
    guard !logs.isEmpty else { return }
    if let pausedUntil, ContinuousClock.now < pausedUntil {
      shared.stats.withLock { $0.droppedLogs += logs.count }
      return
    }
    pausedUntil = nil
    // Where Genkit's telemetry server takes OTLP logs.
    let body = OTLPJSONLogEncoder.request(logs).serializedBytes()
    let reached = await post(body, to: Self.url(base, "/api/otlp"), what: "\(logs.count) log records") {
      shared.stats.withLock { $0.postedLogs += logs.count }
    }
    if !reached { pausedUntil = ContinuousClock.now + Self.pauseAfterFailure }
  }

  /// `<base><path>`, without doubling a trailing slash.
  static func url(_ base: String, _ path: String) -> String {
    var base = base
    while base.hasSuffix("/") { base.removeLast() }
    return base + path
  }

  /// Posts one document; returns false when the server could not be reached.
  private func post(_ document: TraceData, to url: String) async -> Bool {
    await post(document.json.serializedBytes(), to: url, what: "trace \(document.traceId)") {
      shared.stats.withLock { stats in
        stats.postedDocuments += 1
        stats.postedSpans += document.spans.count
      }
    }
  }

  /// POSTs a JSON body (`what` names it in failure messages) and reads (and discards) the answer, so
  /// the connection can be reused; `sent` runs on a 2xx answer. Returns false when the server could
  /// not be reached (an HTTP error status is logged and counted but does not pause the export).
  private func post(_ body: [UInt8], to url: String, what: String, sent: () -> Void) async -> Bool {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = .bytes(ByteBuffer(bytes: body))
    do {
      let response = try await client.execute(request, timeout: TimeAmount(timeout))
      _ = try await response.body.collect(upTo: 1 << 20)
      guard (200..<300).contains(Int(response.status.code)) else {
        record(failure: "POST \(url) answered \(response.status.code) for \(what)")
        return true
      }
      sent()
      return true
    } catch {
      record(failure: "POST \(url) failed for \(what): \(error)")
      return false
    }
  }

  private func record(failure message: String) {
    logger.warning("telemetry export: \(message)")
    shared.stats.withLock { stats in
      stats.failedPosts += 1
      stats.lastError = message
    }
  }
}

extension TimeAmount {
  /// A NIO time amount from a Swift duration (sub-nanosecond parts dropped).
  init(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
  }
}
