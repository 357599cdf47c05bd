import Flows
import FlowsServer
import Foundation
import Logging
import ServiceLifecycle
import TraceStore

/// The telemetry API (`/api/traces`, `/api/otlp/v1/traces`) on a loopback port, for an attached
/// runtime to export its spans to: they are stored and published on `bus` for the debugger.
struct TelemetryListener: Sendable {
  /// Genkit's own telemetry server port; taken when free so apps already configured with
  /// `GENKIT_TELEMETRY_SERVER=http://127.0.0.1:4033` export here without changes.
  static let preferredPort = 4033

  let port: Int
  private let group: ServiceGroup
  private let task: Task<Void, Never>

  var url: String { "http://127.0.0.1:\(port)" }

  /// Listens on `port` (nil: the preferred port, else any free one).
  static func start(store: TraceStore, bus: EventBus, port: Int?) async throws -> TelemetryListener {
    let candidates = port.map { [$0] } ?? [preferredPort, 0]
    var lastError: (any Error)?
    for candidate in candidates {
      let server = FlowServer(
        registry: ActionRegistry(), configuration: FlowServerConfiguration(host: "127.0.0.1", port: candidate),
        routes: [{ router in router.addTelemetryAPI(store: store, bus: bus) }])
      let group = ServiceGroup(
        configuration: ServiceGroupConfiguration(services: [server], logger: Logger(label: "flowscope.telemetry")))
      let task = Task { _ = try? await group.run() }
      do {
        let bound = try await server.waitUntilRunning()
        return TelemetryListener(port: bound, group: group, task: task)
      } catch {
        task.cancel()
        lastError = error
      }
    }
    throw CLIFailure(
      message: "UNAVAILABLE: cannot listen for the runtime's traces on 127.0.0.1:\(port ?? preferredPort): "
        + "\(lastError.map { "\($0)" } ?? "unknown error")")
  }

  /// Stops listening (gracefully: requests in flight finish).
  func stop() async {
    await group.triggerGracefulShutdown()
    await task.value
  }
}
