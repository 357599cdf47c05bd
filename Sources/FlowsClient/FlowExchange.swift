import AsyncHTTPClient
import Flows
import NIOCore

/// One HTTP exchange with a flow server: send the request, check the status, read the JSON
/// answer or the frame stream.
struct FlowExchange: Sendable {
  let httpClient: HTTPClient
  let request: FlowRequest
  let timeout: Duration

  /// Largest JSON body accepted.
  static let maxBodyBytes = 64 << 20
  /// Largest error body read.
  static let maxErrorBodyBytes = 1 << 20
  /// The response header carrying the trace id.
  static let traceIdHeader = "X-Genkit-Trace-Id"

  var url: String { request.url }

  /// Runs `operation`, failing with `DEADLINE_EXCEEDED` after `timeout`.
  func withDeadline<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let url = self.url
    let timeout = self.timeout
    return try await withTimeout(
      timeout, onTimeout: { FlowError(.deadlineExceeded, "the flow at \(url) did not finish within \(timeout)") },
      operation)
  }

  /// A non-streaming call: the `result` of a 200 answer.
  func run() async throws -> FlowRunResult {
    let response = try await send()
    let traceId = Self.traceId(response)
    let status = Int(response.status.code)
    guard status == 200 else { throw try await errorResponse(response, traceId: traceId) }
    let bytes = try await collect(response.body, limit: Self.maxBodyBytes)
    return FlowRunResult(result: try Self.result(fromBody: bytes, url: url, traceId: traceId), traceId: traceId)
  }

  /// A streaming call: reports the trace id, the chunks and the end to `call`. A JSON answer
  /// (a server that does not stream) is taken as the result.
  func stream(into call: FlowStreamCall) async throws {
    let response = try await send()
    let traceId = Self.traceId(response)
    let streamId = response.headers.first(name: "x-genkit-stream-id").flatMap { $0.isEmpty ? nil : $0 }
    call.receivedHead(FlowResponseHead(traceId: traceId, streamId: streamId))
    let status = Int(response.status.code)
    // What a server with durable streams answers for a stream id it does not have (any more).
    if status == 204 { throw FlowError(.notFound, "Stream not found.") }
    guard status == 200 else { throw try await errorResponse(response, traceId: traceId) }
    let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
    if contentType.contains("json") {
      let bytes = try await collect(response.body, limit: Self.maxBodyBytes)
      call.finish(.success(try Self.result(fromBody: bytes, url: url, traceId: traceId)))
      return
    }
    try await FlowStreamReader(url: url, traceId: traceId, call: call).read(response.body)
  }

  /// Sends the request and returns once the response head arrived. A request that failed before
  /// it was written (a pooled connection the server had closed) is sent once more.
  func send() async throws -> HTTPClientResponse {
    let httpRequest = request.make()
    var attempt = 1
    while true {
      do {
        return try await httpClient.execute(httpRequest, timeout: TimeAmount(timeout))
      } catch {
        if attempt == 1, !Task.isCancelled, Self.wasNotSent(error) {
          attempt += 1
          continue
        }
        throw TransportErrors.map(error, url: url, duringStream: false)
      }
    }
  }

  /// The error for a non-200 response.
  func errorResponse(_ response: HTTPClientResponse, traceId: String?) async throws -> FlowError {
    let bytes = try await collect(response.body, limit: Self.maxErrorBodyBytes, truncate: true)
    return FlowClientErrors.httpError(status: Int(response.status.code), body: bytes, url: url, traceId: traceId)
  }

  /// The whole body, up to `limit` bytes: more is an `INTERNAL` error, or cut off when `truncate`.
  func collect(_ body: HTTPClientResponse.Body, limit: Int, truncate: Bool = false) async throws -> [UInt8] {
    try await TransportErrors.flowServer.collect(body, url: url, limit: limit, truncate: truncate)
  }

  /// The `result` of a 200 JSON body; an `{"error": …}` body throws it.
  static func result(fromBody bytes: [UInt8], url: String, traceId: String?) throws -> JSONValue {
    let json: JSONValue
    do {
      json = try JSONValue(parsing: bytes)
    } catch {
      throw FlowClientErrors.malformed("response", bytes: bytes, url: url, reason: "\(error)")
    }
    guard let object = json.objectValue else {
      throw FlowClientErrors.malformed(
        "response", bytes: bytes, url: url, reason: "expected an object with \"result\"")
    }
    if let error = object["error"], !error.isNull { throw FlowClientErrors.remoteError(json, traceId: traceId) }
    // A JS flow that returns `undefined` answers `{}`.
    return object["result"] ?? .null
  }

  static func traceId(_ response: HTTPClientResponse) -> String? {
    response.headers.first(name: traceIdHeader).flatMap { $0.isEmpty ? nil : $0 }
  }

  /// True for failures of a pooled connection that mean the request was never written.
  static func wasNotSent(_ error: any Error) -> Bool {
    guard let channel = error as? ChannelError else { return false }
    switch channel {
    case .ioOnClosedChannel, .alreadyClosed, .outputClosed: return true
    default: return false
    }
  }
}
