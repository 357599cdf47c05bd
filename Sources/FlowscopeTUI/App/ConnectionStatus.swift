/// The link to an attached runtime, as the status bar shows it.
public enum ConnectionStatus: Sendable, Equatable {
  /// The runtime answers its health check.
  case connected
  /// The last health check failed; trying again (or looking for a restarted runtime).
  case reconnecting(attempt: Int)
  /// The runtime is gone (its process ended or it stopped answering for good).
  case gone

  /// The word the status bar shows.
  public var label: String {
    switch self {
    case .connected: return "connected"
    case .reconnecting(let attempt): return attempt > 1 ? "reconnecting (\(attempt))" : "reconnecting"
    case .gone: return "gone"
    }
  }
}

/// What the debugger is attached to, when it is not the in-process registry.
public struct AttachedRuntime: Sendable, Equatable {
  /// A short name, e.g. `py/0.12.0 pid 4242`.
  public var name: String
  /// The reflection API's base URL.
  public var url: String
  public var status: ConnectionStatus

  public init(name: String, url: String, status: ConnectionStatus = .connected) {
    self.name = name
    self.url = url
    self.status = status
  }
}
