import AsyncHTTPClient
import Flows
import NIOCore

/// Maps failures of an HTTP exchange itself (connecting, reading) to `FlowError`s that name the
/// server and its URL. Cancellation stays a `CancellationError`. Shared by every HTTP client of the
/// package (flow servers, model servers).
package struct TransportErrors: Sendable {
  /// What the server is, for messages: `flow` → "the flow server at <url>".
  package var serverKind: String
  /// Put before messages about a stream that broke (`model stream ended early: `).
  package var streamPrefix: String

  package init(serverKind: String, streamPrefix: String = "") {
    self.serverKind = serverKind
    self.streamPrefix = streamPrefix
  }

  /// For flow servers.
  package static let flowServer = TransportErrors(serverKind: "flow")

  package static func map(_ error: any Error, url: String, duringStream: Bool) -> any Error {
    flowServer.map(error, url: url, duringStream: duringStream)
  }

  /// The whole body of a response from `url`, up to `limit` bytes: more is an `INTERNAL` error,
  /// or cut off when `truncate`. Failures while reading are mapped as `map` does.
  package func collect(_ body: HTTPClientResponse.Body, url: String, limit: Int, truncate: Bool = false)
    async throws -> [UInt8]
  {
    var bytes: [UInt8] = []
    do {
      for try await buffer in body {
        try Task.checkCancellation()
        bytes.append(contentsOf: buffer.readableBytesView)
        if bytes.count > limit {
          if truncate { return Array(bytes.prefix(limit)) }
          throw FlowError(.internal, "the response from \(url) is larger than \(limit) bytes")
        }
      }
    } catch {
      throw map(error, url: url, duringStream: false)
    }
    return bytes
  }

  package func map(_ error: any Error, url: String, duringStream: Bool) -> any Error {
    if error is CancellationError || Task.isCancelled { return CancellationError() }
    if let flowError = error as? FlowError { return flowError }
    let prefix = duringStream ? streamPrefix : ""
    if let clientError = error as? HTTPClientError {
      switch clientError {
      case .cancelled: return CancellationError()
      case .deadlineExceeded, .readTimeout, .writeTimeout:
        return FlowError(
          .deadlineExceeded, "the \(serverKind) server at \(url) did not answer in time (\(clientError))")
      case .connectTimeout, .tlsHandshakeTimeout:
        return unreachable(url, reason: "connection timed out")
      case .invalidURL, .emptyHost, .emptyScheme:
        return FlowError(.invalidArgument, "invalid \(serverKind) server URL \(url): \(clientError)")
      case .remoteConnectionClosed:
        return FlowError(.unavailable, prefix + "the \(serverKind) server at \(url) closed the connection")
      default:
        break
      }
    }
    if let reason = ConnectionFailure.reason(for: error) { return unreachable(url, reason: reason) }
    if duringStream { return FlowError(.unavailable, prefix + "the connection to \(url) failed (\(error))") }
    return FlowError(.unavailable, "request to the \(serverKind) server at \(url) failed: \(error)")
  }

  package func unreachable(_ url: String, reason: String) -> FlowError {
    FlowError(.unavailable, "cannot reach the \(serverKind) server at \(url): \(reason)")
  }
}
