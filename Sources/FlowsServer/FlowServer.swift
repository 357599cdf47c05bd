import Flows
import Hummingbird
import Logging
import ServiceLifecycle

/// An HTTP server for the flows of a registry: Genkit's flow server (`startFlowServer`).
///
/// It is a `Service`: run it in a `ServiceGroup` next to other services, or alone with
/// `runService()`, which stops gracefully on SIGINT/SIGTERM (in-flight calls finish, or are
/// cancelled after `shutdownGracePeriod`). The caller flushes its trace store afterwards.
///
/// ```swift
/// let server = FlowServer(registry: runtime.registry, configuration: FlowServerConfiguration(port: 3400))
/// try await server.runService()
/// await writer.stop()
/// ```
///
/// Other routes (reflection, telemetry) and services are added with `routes` and `services`.
/// A server runs once.
public final class FlowServer: Service, Sendable {
  /// Adds routes to the server's router; installers run after the flow routes, in order.
  public typealias RouteInstaller = @Sendable (Router<BasicRequestContext>) -> Void

  /// The settings the server was made with.
  public let configuration: FlowServerConfiguration
  private let registry: ActionRegistry
  private let routeInstallers: [RouteInstaller]
  private let services: [any Service]
  private let logger: Logger
  private let binding = ServerPortBinding()

  /// A server for the flows of `registry`.
  ///
  /// - Parameters:
  ///   - registry: The flows to serve (looked up per request).
  ///   - configuration: Address, prefix, CORS, body limit, context provider.
  ///   - routes: Extra route installers (e.g. reflection or telemetry endpoints).
  ///   - services: Extra services run with the server and shut down with it.
  ///   - logger: Hummingbird's logger; by default one that only reports warnings and errors.
  public init(
    registry: ActionRegistry, configuration: FlowServerConfiguration = FlowServerConfiguration(),
    routes: [RouteInstaller] = [], services: [any Service] = [], logger: Logger? = nil
  ) {
    self.registry = registry
    self.configuration = configuration
    self.routeInstallers = routes
    self.services = services
    self.logger = logger ?? Self.quietLogger()
  }

  /// The router the server uses: CORS (when configured), the flow routes, then the extra routes.
  /// Also useful on its own, e.g. with HummingbirdTesting's `.router` framework.
  public func makeRouter() -> Router<BasicRequestContext> {
    let router = Router()
    if let cors = configuration.cors { router.add(middleware: FlowCORSMiddleware<BasicRequestContext>(cors)) }
    router.addFlows(
      registry, prefix: configuration.pathPrefix, options: configuration.flowOptions,
      defaults: configuration.routeDefaults)
    for install in routeInstallers { install(router) }
    return router
  }

  /// The port the server listens on, once it does.
  public var port: Int? { binding.port }

  /// Waits until the server listens and returns its port (useful with port `0`). Throws
  /// `UNAVAILABLE` if the server stopped or failed to bind first.
  public func waitUntilRunning() async throws -> Int { try await binding.wait() }

  /// Runs the server until graceful shutdown or cancellation (the `Service` requirement).
  public func run() async throws {
    let binding = self.binding
    let application = Application(
      router: makeRouter(),
      configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port)),
      services: services,
      onServerRunning: { channel in binding.listening(on: channel.localAddress?.port ?? 0) },
      logger: logger)
    defer { binding.stopped() }
    do {
      try await application.run()
    } catch {
      await endDurableStreams()
      throw error
    }
    await endDurableStreams()
  }

  /// Runs the server in its own service group until SIGINT or SIGTERM, then shuts down gracefully:
  /// no new connections, in-flight calls finish or, after `shutdownGracePeriod`, are cancelled.
  public func runService() async throws {
    var group = ServiceGroupConfiguration(
      services: [self], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    group.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
    try await ServiceGroup(configuration: group).run()
  }

  /// Durable streams outlive their requests: once no request is served any more, their flows are
  /// cancelled (their traces are saved as cancelled, and their streams end with the error).
  private func endDurableStreams() async {
    await configuration.durableStreams?.cancelRunning()
    for options in configuration.flowOptions.values { await options.durableStreams?.cancelRunning() }
  }

  private static func quietLogger() -> Logger {
    var logger = Logger(label: "flowscope.server")
    logger.logLevel = .warning
    return logger
  }
}
