import AsyncHTTPClient
import Flows
import NIOCore

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
    if let reason = ConnectionFailure.reason(for: error) { return unreachable(url, reason: reason) }
    if duringStream { return FlowError(.unavailable, "the connection to \(url) failed: \(error)") }
    return FlowError(.unavailable, "request to \(url) failed: \(error)")
  }

  static func unreachable(_ url: String, reason: String) -> FlowError {
    FlowError(.unavailable, "cannot reach the flow server at \(url): \(reason)")
  }
}
