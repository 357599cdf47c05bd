import Flows
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A runtime's Genkit reflection server: the reflection API v1 (`addReflectionAPI`) on a loopback
/// Hummingbird app, plus the runtime registration file the Genkit CLI discovers it by.
///
/// The port is `GENKIT_REFLECTION_PORT` exactly when set, else the first free one from 3100 to
/// 3200 (see `ReflectionServerConfiguration`). Once listening it writes
/// `<projectRoot>/.genkit/runtimes/<pid>-<port>-<epochMs>.json`; when it stops (graceful
/// shutdown or cancellation) it removes that file if the file still names this process.
///
/// ```swift
/// let exporter = TelemetryExporter(bus: runtime.bus)
/// let server = ReflectionServer(runtime: runtime, exporter: exporter)
/// let group = ServiceGroup(configuration: .init(
///   services: [server, exporter], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
/// try await group.run()
/// ```
public final class ReflectionServer: Service, Sendable {
  /// The runtime served.
  public let runtime: FlowRuntime
  /// Host, port choice and registration settings.
  public let configuration: ReflectionServerConfiguration
  /// The reflection API's state (runtime id, runs in progress, telemetry exporter).
  public let state: ReflectionState
  private let logger: Logger
  private let listening = ReflectionListening()
  private let registration = Mutex<String?>(nil)

  /// A server for `runtime`.
  ///
  /// - Parameters:
  ///   - runtime: The runtime whose actions are served.
  ///   - configuration: Host and port; from the `GENKIT_REFLECTION_*` variables by default.
  ///   - exporter: The exporter `/api/notify` points at the telemetry server.
  ///   - flushTraces: Called before each run's result is written (e.g. a trace store writer's flush).
  ///   - values: Answers `GET /api/values?type=`.
  ///   - quit: What `/api/__quitquitquit` does after answering (by default, `SIGTERM` to this
  ///     process: a graceful shutdown).
  ///   - logger: Server and warning logs.
  public init(
    runtime: FlowRuntime, configuration: ReflectionServerConfiguration = .fromEnvironment(),
    exporter: TelemetryExporter? = nil, flushTraces: (@Sendable () async -> Void)? = nil,
    values: @escaping @Sendable (String) -> JSONObject = { _ in JSONObject() },
    quit: @escaping @Sendable () -> Void = ReflectionState.terminateProcess,
    logger: Logger = Logger(label: "flowscope.reflection")
  ) {
    self.runtime = runtime
    self.configuration = configuration
    self.state = ReflectionState(
      runtimeId: configuration.runtimeId, exporter: exporter, values: values, flushTraces: flushTraces,
      quit: quit, logger: logger)
    self.logger = logger
  }

  /// The port, once listening.
  public var port: Int? { listening.hasStarted ? state.port : nil }

  /// `http://<host>:<port>`, once listening.
  public var url: String? { port.map(url(port:)) }

  private func url(port: Int) -> String {
    let host = bindHost
    return host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
  }

  /// The runtime file written, while it exists.
  public var runtimeFilePath: String? { registration.withLock { $0 } }

  /// Waits until the server listens and returns its port; throws if it failed to start.
  public func waitUntilListening() async throws -> Int {
    try await listening.wait()
  }

  private var bindHost: String { configuration.host == "localhost" ? "127.0.0.1" : configuration.host }

  /// Serves until graceful shutdown or cancellation, then removes the runtime file.
  public func run() async throws {
    guard ReflectionServerConfiguration.isLoopback(configuration.host) else {
      let error = ReflectionServerError(
        description: "refusing to serve the reflection API on \(configuration.host): it has no authentication, "
          + "so it binds loopback only (127.0.0.1 or ::1)")
      listening.fail(error)
      throw error
    }
    let candidates = configuration.candidatePorts
    var lastError: (any Error)?
    for (index, port) in candidates.enumerated() {
      let isLast = index == candidates.count - 1
      if candidates.count > 1, !isLast, !ReflectionPortProbe.isFree(host: bindHost, port: port) { continue }
      do {
        try await serve(port: port, firstChoice: candidates.first ?? port)
        return
      } catch {
        lastError = error
        guard !listening.isSettled, !isLast, Self.isAddressInUse(error) else { break }
      }
    }
    let error = lastError ?? ReflectionServerError(description: "no free port")
    listening.fail(error)
    throw error
  }

  private func serve(port: Int, firstChoice: Int) async throws {
    let router = Router()
    // Router-wide too, so that 404s for unknown paths carry the version header as well.
    router.add(middleware: ReflectionVersionMiddleware(version: ReflectionVersion.genkitVersion))
    router.addReflectionAPI(runtime: runtime, state: state)
    let app = Application(
      router: router, configuration: ApplicationConfiguration(address: .hostname(bindHost, port: port)),
      onServerRunning: { [self] channel in
        let actual = channel.localAddress?.port ?? port
        self.state.setPort(actual)
        if case .probing = self.configuration.port, actual != firstChoice {
          self.logger.warning("Port \(firstChoice) is already in use, using next available port \(actual) instead.")
        }
        self.register(port: actual)
        self.listening.succeed(actual)
      }, logger: logger)
    defer { unregister() }
    try await app.run()
  }

  private func register(port: Int) {
    guard configuration.writesRuntimeFile else { return }
    let root = configuration.projectRoot ?? RuntimeFileProjectRoot.find()
    let file = RuntimeFile(
      id: state.runtimeId, name: configuration.name, reflectionServerUrl: url(port: port))
    do {
      let path = try file.write(projectRoot: root, port: port)
      registration.withLock { $0 = path }
      logger.debug("runtime file written: \(path)")
    } catch {
      logger.error("cannot write the runtime file under \(root): \(error)")
    }
  }

  private func unregister() {
    guard
      let path = registration.withLock({ path in
        defer { path = nil }; return path
      })
    else { return }
    RuntimeFile.remove(at: path)
  }

  static func isAddressInUse(_ error: any Error) -> Bool {
    if let error = error as? IOError { return error.errnoCode == EADDRINUSE }
    return "\(error)".contains("Address already in use")
  }
}

/// The reflection server cannot start.
public struct ReflectionServerError: Error, Sendable, CustomStringConvertible {
  /// Why.
  public var description: String
}
