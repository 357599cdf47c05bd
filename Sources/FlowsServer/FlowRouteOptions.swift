/// How one flow is served over HTTP (Genkit JS `withFlowOptions`): its path, who may call it, and
/// how large a request may be, and whether its streams are durable. Unset fields fall back to the route defaults.
public struct FlowRouteOptions: Sendable {
  /// Request bodies larger than this are refused with 413 unless a limit is set: 10 MiB.
  public static let defaultBodyLimit = 10 * 1024 * 1024

  /// A path to serve the flow at instead of `<prefix>/<flow name>`, relative to the prefix
  /// (`"v2/greeting"` with prefix `/api` serves `/api/v2/greeting`). Ignored in route defaults.
  public var path: String?
  /// Decides the run's `ActionContext` from the request, or refuses it (401/403).
  public var contextProvider: (any ContextProvider)?
  /// The largest accepted request body, in bytes.
  public var bodyLimit: Int?
  /// Where streaming calls are kept so that clients can come back for them (Genkit's
  /// `streamManager`); `nil`: streams are not durable.
  public var durableStreams: DurableStreams?

  /// Options with the given fields; `nil` means "use the defaults".
  public init(
    path: String? = nil, contextProvider: (any ContextProvider)? = nil, bodyLimit: Int? = nil,
    durableStreams: DurableStreams? = nil
  ) {
    self.path = path
    self.contextProvider = contextProvider
    self.bodyLimit = bodyLimit
    self.durableStreams = durableStreams
  }

  /// These options with every unset field taken from `defaults`.
  public func merged(over defaults: FlowRouteOptions) -> FlowRouteOptions {
    FlowRouteOptions(
      path: path, contextProvider: contextProvider ?? defaults.contextProvider,
      bodyLimit: bodyLimit ?? defaults.bodyLimit, durableStreams: durableStreams ?? defaults.durableStreams)
  }

  /// The body limit in force.
  var effectiveBodyLimit: Int { bodyLimit ?? Self.defaultBodyLimit }
}
