import NIOCore
import NIOPosix

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Recognises errors that mean a server could not be reached (shared by every HTTP client here).
public enum ConnectionFailure {
  /// A short description (`connection refused`, `host lookup failed (…)`) when `error` means the
  /// server could not be connected to; nil for any other error.
  public static func reason(for error: any Error) -> String? {
    if let connection = error as? NIOConnectionError {
      let reasons = connection.connectionErrors.compactMap { reason(for: $0.error) }
      if let first = reasons.first { return first }
      if let dns = connection.dnsAError ?? connection.dnsAAAAError { return "host lookup failed (\(dns))" }
      return "connection failed"
    }
    if let io = error as? IOError {
      switch io.errnoCode {
      case ECONNREFUSED: return "connection refused"
      case EHOSTUNREACH: return "host unreachable"
      case ENETUNREACH: return "network unreachable"
      case ETIMEDOUT: return "connection timed out"
      case ECONNRESET: return "connection reset"
      default: return nil
      }
    }
    if let channel = error as? ChannelError, case .connectTimeout = channel { return "connection timed out" }
    return nil
  }
}
