import AsyncHTTPClient
import Flows
import NIOCore
import NIOHTTP1

/// The HTTP side of `ReflectionClient`: builds requests, sends them (once more when a pooled
/// connection turned out to be closed before the request was written), reads bodies, and maps
/// transport failures to `FlowError`s that name the runtime's URL.
struct ReflectionTransport: Sendable {
  let httpClient: HTTPClient

  /// Largest JSON body accepted (`/api/actions` of a big runtime is a few hundred KB).
  static let maxBodyBytes = 64 << 20
  /// Largest error body read.
  static let maxErrorBodyBytes = 1 << 20
  /// Transport failures name "the reflection server at <url>".
  static let errors = TransportErrors(serverKind: "reflection")

  /// A request with Flowscope's headers and, when given, a JSON body.
  static func request(_ method: HTTPMethod, url: String, json body: JSONValue? = nil) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers.add(name: "User-Agent", value: "flowscope")
    request.headers.add(name: "Accept", value: "application/json")
    if let body {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(bytes: body.serializedBytes()))
    }
    return request
  }

  /// Sends `request` and returns once the response head arrived.
  func send(_ request: HTTPClientRequest, url: String, timeout: Duration) async throws -> HTTPClientResponse {
    var attempt = 1
    while true {
      do {
        return try await httpClient.execute(request, timeout: TimeAmount(timeout))
      } catch {
        if attempt == 1, !Task.isCancelled, FlowExchange.wasNotSent(error) {
          attempt += 1
          continue
        }
        throw Self.errors.map(error, url: url, duringStream: false)
      }
    }
  }

  /// The whole body, up to `limit` bytes: more is an `INTERNAL` error, or cut off when `truncate`.
  func collect(_ body: HTTPClientResponse.Body, url: String, limit: Int, truncate: Bool = false) async throws
    -> [UInt8]
  {
    try await Self.errors.collect(body, url: url, limit: limit, truncate: truncate)
  }

  /// The error for a response other than 2xx, from its body.
  func errorResponse(_ response: HTTPClientResponse, url: String, traceId: String? = nil) async throws -> FlowError {
    let bytes = try await collect(response.body, url: url, limit: Self.maxErrorBodyBytes, truncate: true)
    return ReflectionErrors.httpError(status: Int(response.status.code), body: bytes, url: url, traceId: traceId)
  }

  /// Runs `operation`, failing with `DEADLINE_EXCEEDED` (`what` did not finish) after `timeout`.
  static func withDeadline<T: Sendable>(
    _ timeout: Duration, _ what: String, _ operation: @escaping @Sendable () async throws -> T
  ) async throws -> T {
    try await withTimeout(
      timeout, onTimeout: { FlowError(.deadlineExceeded, "\(what) did not finish within \(timeout)") }, operation)
  }

  /// A header's value (names compare case-insensitively), nil when absent or empty.
  static func header(_ name: String, in response: HTTPClientResponse) -> String? {
    response.headers.first(name: name).flatMap { $0.isEmpty ? nil : $0 }
  }
}
