import Flows
import Foundation
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// Exports a runtime's spans to an OpenTelemetry collector over OTLP (HTTP protobuf, HTTP JSON or
/// gRPC), through swift-otel and swift-distributed-tracing.
///
/// Each Flowscope span becomes an OTel span with the same name, parent and times, carrying Genkit's
/// attributes (`genkit:*`, as in the trace JSON), the OpenTelemetry GenAI attributes on model and
/// tool spans (see `GenAIAttributes`), the Flowscope ids (`genkit:traceId`, `genkit:spanId`,
/// `genkit:parentSpanId`), status OK or ERROR with the message, and the `exception` event of a
/// failure. Model spans are of kind CLIENT, the others INTERNAL. OTel trace and span ids are
/// swift-otel's own (its public API does not let a caller choose them).
///
/// ```swift
/// let runtime = FlowRuntime()
/// // ... define flows ...
/// let otlp = try OTelFlowExporter(runtime: runtime)   // OTEL_EXPORTER_OTLP_* from the environment
/// let group = ServiceGroup(services: [otlp, server], gracefulShutdownSignals: [.sigterm], logger: logger)
/// try await group.run()
/// ```
///
/// It is a `Service`: run it in a `ServiceGroup`; spans are exported while it runs, and on graceful
/// shutdown it converts what is left, ends spans that are still running (marked
/// `flowscope:unfinished`), then lets swift-otel export the last batch. Put it *before* the services
/// whose flows it exports (a `ServiceGroup` shuts services down in reverse order), so their last
/// spans are exported too.
///
/// No process-global state is touched: the tracing backend is made with `OTel.makeTracingBackend`
/// and used directly, not bootstrapped into `InstrumentationSystem`.
public final class OTelFlowExporter: Service, Sendable {
  private let bus: EventBus
  private let parts: Parts?
  private let stats = OTelBridgeStats()
  private let logger: Logger

  /// What an enabled exporter is made of.
  private struct Parts: Sendable {
    let subscription: EventSubscription
    let bridge: OTelSpanBridge
    /// swift-otel's backend (tracer, batch processor, exporter), when this exporter made it.
    let backend: (any Service)?
    let signals: AsyncStream<Void>
    let wakeups: AsyncStream<Void>.Continuation
  }

  /// Exports `runtime`'s spans through a swift-otel tracing backend made from `configuration` (and
  /// the OTel environment variables, which swift-otel applies on top). With `OTEL_SDK_DISABLED=true`
  /// or traces disabled, the exporter does nothing (see `isEnabled`).
  ///
  /// - Throws: swift-otel's configuration errors (such as unreadable TLS files).
  public convenience init(
    runtime: FlowRuntime, configuration: OTelExportConfiguration = .fromEnvironment(),
    logger: Logger = Logger(label: "flowscope.otel")
  ) throws {
    if configuration.isDisabled(in: ProcessInfo.processInfo.environment) {
      self.init(bus: runtime.bus, tracer: nil, backend: nil, options: configuration.spans, logger: logger)
      return
    }
    let backend = try OTel.makeTracingBackend(configuration: configuration.otel)
    self.init(
      bus: runtime.bus, tracer: TracerHandle(backend.factory), backend: backend.service,
      options: configuration.spans, logger: logger)
  }

  /// Exports `runtime`'s spans through a tracer you provide and run yourself, such as
  /// `InstrumentationSystem.tracer` after `OTel.bootstrap()`, or another swift-distributed-tracing
  /// backend. `run()` then only runs the bridge.
  public convenience init(
    runtime: FlowRuntime, tracer: some Tracer, options: OTelSpanOptions = OTelSpanOptions(),
    logger: Logger = Logger(label: "flowscope.otel")
  ) {
    self.init(bus: runtime.bus, tracer: TracerHandle(tracer), backend: nil, options: options, logger: logger)
  }

  private init(bus: EventBus, tracer: TracerHandle?, backend: (any Service)?, options: OTelSpanOptions, logger: Logger)
  {
    self.bus = bus
    self.logger = logger
    guard let tracer else {
      parts = nil
      return
    }
    let (signals, wakeups) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    let subscription = bus.subscribe(policy: .unbounded, events: .withoutChunks, name: "otel-exporter") {
      wakeups.yield()
    }
    let bridge = OTelSpanBridge(tracer: tracer, subscription: subscription, options: options, stats: stats)
    parts = Parts(
      subscription: subscription, bridge: bridge, backend: backend, signals: signals,
      wakeups: wakeups)
  }

  deinit {
    if let parts {
      bus.unsubscribe(parts.subscription)
      parts.wakeups.finish()
    }
  }

  /// False when export is disabled (`OTEL_SDK_DISABLED=true` or traces disabled): nothing is
  /// subscribed and `run()` only waits for shutdown.
  public var isEnabled: Bool { parts != nil }

  /// Runs until graceful shutdown (or cancellation): converts spans as they are published and, with
  /// a backend made by this exporter, runs it too; then shuts down in order (see the type's notes).
  /// Call it once.
  public func run() async throws {
    guard let parts else {
      try? await gracefulShutdown()
      return
    }
    let pump = OTelBridgeService(bus: bus, parts: parts)
    guard let backend = parts.backend else {
      await pump.run()
      return
    }
    // Shut down in reverse order: the bridge first (it ends the last spans), then swift-otel's
    // backend (which exports them).
    let group = ServiceGroup(
      configuration: ServiceGroupConfiguration(
        services: [
          .init(
            service: backend, successTerminationBehavior: .gracefullyShutdownGroup,
            failureTerminationBehavior: .gracefullyShutdownGroup),
          .init(
            service: pump, successTerminationBehavior: .gracefullyShutdownGroup,
            failureTerminationBehavior: .gracefullyShutdownGroup),
        ], logger: logger))
    try await group.run()
  }

  /// Converts every span event published before the call into ended (or started) OTel spans, handed
  /// to the tracer. Returns once that is done; swift-otel then exports them with its next batch
  /// (every `OTEL_BSP_SCHEDULE_DELAY`, 5 s by default, or sooner when a batch fills up) and at
  /// graceful shutdown at the latest.
  ///
  /// It does not force an export: swift-otel 1.6.0's batch processor re-exports the spans of a
  /// forced flush with its next batch, which would duplicate them in the collector.
  public func flush() async {
    guard let parts else { return }
    await parts.bridge.pump()
  }

  /// OTel spans ended so far (each Flowscope span once).
  public var exportedSpanCount: Int { stats.counts.withLock { $0.endedSpans } }
  /// Spans whose start event was missed (the exporter subscribed mid-run) and was rebuilt from the
  /// span's recorded start.
  public var recoveredStartCount: Int { stats.counts.withLock { $0.recoveredStarts } }
  /// Spans still running at shutdown, ended then with `flowscope:unfinished`.
  public var unfinishedSpanCount: Int { stats.counts.withLock { $0.unfinishedSpans } }

  /// The bridge's part of `run()`: pump on every wake-up until graceful shutdown, then convert what
  /// is left and end the spans that are still open.
  private struct OTelBridgeService: Service {
    let bus: EventBus
    let parts: Parts

    func run() async {
      let (signals, wakeups, bridge) = (parts.signals, parts.wakeups, parts.bridge)
      await withGracefulShutdownHandler {
        for await _ in signals { await bridge.pump() }
      } onGracefulShutdown: {
        wakeups.finish()
      }
      bus.unsubscribe(parts.subscription)
      await bridge.pump()
      await bridge.endUnfinished()
    }
  }
}
