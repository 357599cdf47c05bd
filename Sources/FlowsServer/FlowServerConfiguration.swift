/// Settings of a `FlowServer` (Genkit JS `startFlowServer` options).
public struct FlowServerConfiguration: Sendable {
  /// The address to listen on. Loopback by default: exposing flows to a network is a decision.
  public var host: String
  /// The TCP port; `0` lets the system choose (see `FlowServer.waitUntilRunning()`).
  public var port: Int
  /// Path prefix of every flow route, e.g. `/api` (`""` or `"/"`: the root).
  public var pathPrefix: String
  /// CORS for browser clients; `nil` (the default) sends no CORS headers.
  public var cors: FlowCORSOptions?
  /// The largest accepted request body in bytes (413 above it).
  public var bodyLimit: Int
  /// Decides each run's context, or refuses the call (401/403); `nil` accepts every call.
  public var contextProvider: (any ContextProvider)?
  /// Per-flow options by flow name (custom path, context provider, body limit).
  public var flowOptions: [String: FlowRouteOptions]
  /// Durable streaming (`x-genkit-stream-id`) for every flow; `nil` (the default): off.
  public var durableStreams: DurableStreams?
  /// How long `runService` waits for in-flight calls after SIGINT/SIGTERM before cancelling them.
  public var shutdownGracePeriod: Duration

  /// A configuration; every argument has the flow server's default.
  public init(
    host: String = "127.0.0.1", port: Int = 3400, pathPrefix: String = "", cors: FlowCORSOptions? = nil,
    bodyLimit: Int = FlowRouteOptions.defaultBodyLimit, contextProvider: (any ContextProvider)? = nil,
    flowOptions: [String: FlowRouteOptions] = [:], durableStreams: DurableStreams? = nil,
    shutdownGracePeriod: Duration = .seconds(10)
  ) {
    self.host = host
    self.port = port
    self.pathPrefix = pathPrefix
    self.cors = cors
    self.bodyLimit = bodyLimit
    self.contextProvider = contextProvider
    self.flowOptions = flowOptions
    self.durableStreams = durableStreams
    self.shutdownGracePeriod = shutdownGracePeriod
  }

  /// The route defaults these settings imply.
  var routeDefaults: FlowRouteOptions {
    FlowRouteOptions(contextProvider: contextProvider, bodyLimit: bodyLimit, durableStreams: durableStreams)
  }
}
