import Foundation

/// How `ReflectionServer` binds and registers itself.
public struct ReflectionServerConfiguration: Sendable, Equatable {
  /// How the port is chosen.
  public enum Port: Sendable, Equatable {
    /// Exactly this port, or fail (Genkit JS's rule when `GENKIT_REFLECTION_PORT` is set).
    case pinned(Int)
    /// The first free port from `start` to `start + 100` (Genkit JS's default, from 3100).
    case probing(from: Int)
    /// Any free port chosen by the system (tests).
    case ephemeral
  }

  /// The loopback address to bind: `127.0.0.1` by default, or `::1`; anything else is refused.
  public var host: String
  /// The port choice.
  public var port: Port
  /// Overrides the runtime id (`GENKIT_RUNTIME_ID`); `<pid>-<port>` otherwise.
  public var runtimeId: String?
  /// A display name written to the runtime file.
  public var name: String?
  /// Write `.genkit/runtimes/<pid>-<port>-<ms>.json` once listening (and remove it on shutdown).
  public var writesRuntimeFile: Bool
  /// Where `.genkit` goes; nil finds it from the current directory like the Genkit CLI.
  public var projectRoot: String?

  /// A configuration.
  public init(
    host: String = "127.0.0.1", port: Port = .probing(from: 3100), runtimeId: String? = nil, name: String? = nil,
    writesRuntimeFile: Bool = true, projectRoot: String? = nil
  ) {
    self.host = host
    self.port = port
    self.runtimeId = runtimeId
    self.name = name
    self.writesRuntimeFile = writesRuntimeFile
    self.projectRoot = projectRoot
  }

  /// From the environment: `GENKIT_REFLECTION_PORT` pins the port (else 3100 with fallback),
  /// `GENKIT_REFLECTION_HOST` picks the loopback host, `GENKIT_RUNTIME_ID` the runtime id.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> ReflectionServerConfiguration {
    var configuration = ReflectionServerConfiguration()
    if let text = environment["GENKIT_REFLECTION_PORT"], let port = Int(text), (0...65535).contains(port) {
      configuration.port = port == 0 ? .ephemeral : .pinned(port)
    }
    if let host = environment["GENKIT_REFLECTION_HOST"], !host.isEmpty { configuration.host = host }
    if let id = environment["GENKIT_RUNTIME_ID"], !id.isEmpty { configuration.runtimeId = id }
    return configuration
  }

  /// True for the loopback spellings this server accepts.
  public static func isLoopback(_ host: String) -> Bool {
    host == "localhost" || host == "::1" || host.hasPrefix("127.")
  }

  /// The ports to try, in order (0 meaning "let the system choose").
  var candidatePorts: [Int] {
    switch port {
    case .pinned(let port): return [port]
    case .probing(let start): return Array(start...min(start + 100, 65535))
    case .ephemeral: return [0]
    }
  }
}
