import AsyncHTTPClient
import Flows
import NIOCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Maps failures of the HTTP exchange itself (connecting, reading) to `FlowError`s that name the
/// URL. Cancellation stays a `CancellationError`.
enum TransportErrors {
  static func map(_ error: any Error, url: String, duringStream: Bool) -> any Error {
    if error is CancellationError || Task.isCancelled { return CancellationError() }
    if let flowError = error as? FlowError { return flowError }
    if let clientError = error as? HTTPClientError {
      switch clientError {
      case .cancelled: return CancellationError()
      case .deadlineExceeded, .readTimeout, .writeTimeout:
        return FlowError(.deadlineExceeded, "the flow server at \(url) did not answer in time (\(clientError))")
      case .connectTimeout, .tlsHandshakeTimeout:
        return unreachable(url, reason: "connection timed out")
      case .invalidURL, .emptyHost, .emptyScheme:
        return FlowError(.invalidArgument, "invalid flow URL \(url): \(clientError)")
      case .remoteConnectionClosed:
        return FlowError(.unavailable, "the flow server at \(url) closed the connection")
      default:
        break
      }
    }
    if let reason = connectionFailureReason(error) { return unreachable(url, reason: reason) }
    if duringStream { return FlowError(.unavailable, "the connection to \(url) failed: \(error)") }
    return FlowError(.unavailable, "request to \(url) failed: \(error)")
  }

  static func unreachable(_ url: String, reason: String) -> FlowError {
    FlowError(.unavailable, "cannot reach the flow server at \(url): \(reason)")
  }

  /// A description when `error` means the server could not be connected to.
  ///
  /// NIO reports failed connects as `NIOConnectionError` (in NIOPosix, which this target does not
  /// import); it and other wrappers are searched for the `IOError` or `ChannelError` inside.
  static func connectionFailureReason(_ error: any Error, depth: Int = 0) -> String? {
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
    guard depth < 4, String(reflecting: type(of: error)).hasSuffix("NIOConnectionError") else { return nil }
    return nestedErrors(in: error).lazy.compactMap { connectionFailureReason($0, depth: depth + 1) }.first
      ?? "connection failed"
  }

  /// The errors stored (possibly in arrays or nested structs) inside `value`.
  private static func nestedErrors(in value: Any, depth: Int = 0) -> [any Error] {
    guard depth < 3 else { return [] }
    var errors: [any Error] = []
    for child in Mirror(reflecting: value).children {
      if let error = child.value as? any Error {
        errors.append(error)
      } else {
        errors += nestedErrors(in: child.value, depth: depth + 1)
      }
    }
    return errors
  }
}
