import Flows
import HTTPTypes
import Hummingbird

/// Header names of the flow protocol.
enum FlowHeaders {
  /// The run's trace id (32 hex characters), sent with every response that has a trace.
  static let traceId = name("X-Genkit-Trace-Id")
  /// The run's root span id (16 hex characters).
  static let spanId = name("X-Genkit-Span-Id")
  /// A durable stream's id: sent with its responses, and by a client coming back for it.
  static let streamId = name("x-genkit-stream-id")
  /// The headers browsers may show to scripts (CORS `Access-Control-Expose-Headers`).
  static let exposedToScripts = [traceId.rawName, spanId.rawName, streamId.rawName].joined(separator: ", ")
  /// `Allow`, on 405 responses.
  static let allow = name("Allow")

  /// A header name from a literal known to be valid.
  static func name(_ literal: String) -> HTTPField.Name {
    guard let name = HTTPField.Name(literal) else { preconditionFailure("invalid HTTP header name \(literal)") }
    return name
  }
}

/// The trace a response belongs to.
struct TraceIds: Sendable, Equatable {
  var traceId: String
  var spanId: String
}

/// Builds the flow server's responses: compact JSON bodies with the trace headers.
enum FlowResponses {
  /// `200 {"result": <output>}`.
  static func result(_ output: JSONValue, trace: TraceIds) -> Response {
    // The hot path of a busy server: the body is written around the output directly (no wrapper
    // object), and the headers are appended, not looked up and replaced.
    var bytes: [UInt8] = []
    bytes.reserveCapacity(64)
    bytes.append(contentsOf: resultPrefix)
    output.serialize(appendingTo: &bytes)
    bytes.append(UInt8(ascii: "}"))
    var headers = HTTPFields()
    headers.reserveCapacity(3)
    headers.append(HTTPField(name: .contentType, value: "application/json"))
    headers.append(HTTPField(name: FlowHeaders.traceId, value: trace.traceId))
    headers.append(HTTPField(name: FlowHeaders.spanId, value: trace.spanId))
    return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
  }

  private static let resultPrefix = Array(#"{"result":"#.utf8)

  /// A Genkit error body with its HTTP status (and the trace headers when the run had started).
  static func error(_ body: HTTPErrorBody, trace: TraceIds? = nil, headers extra: [(name: String, value: String)] = [])
    -> Response
  {
    var response = json(status: body.httpStatus, body.json, trace: trace)
    for (name, value) in extra { response.headers[FlowHeaders.name(name)] = value }
    return response
  }

  /// A refused request.
  static func refusal(_ refusal: FlowRequestError) -> Response {
    error(refusal.body, headers: refusal.headers)
  }

  /// A JSON response.
  static func json(status: Int, _ value: JSONValue, trace: TraceIds?) -> Response {
    var headers: HTTPFields = [.contentType: "application/json"]
    addTrace(trace, to: &headers)
    return Response(
      status: httpStatus(status), headers: headers,
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serializedBytes())))
  }

  /// Sets the trace headers.
  static func addTrace(_ trace: TraceIds?, to headers: inout HTTPFields) {
    guard let trace else { return }
    headers[FlowHeaders.traceId] = trace.traceId
    headers[FlowHeaders.spanId] = trace.spanId
  }

  /// The status with its reason phrase (including the non-standard 499 of Genkit's `CANCELLED`).
  static func httpStatus(_ code: Int) -> HTTPResponse.Status {
    if code == 200 { return .ok }
    return HTTPResponse.Status(code: code, reasonPhrase: reasonPhrases[code] ?? "")
  }

  static let reasonPhrases: [Int: String] = [
    200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 409: "Conflict", 413: "Content Too Large", 415: "Unsupported Media Type",
    429: "Too Many Requests", 499: "Client Closed Request", 500: "Internal Server Error", 501: "Not Implemented",
    503: "Service Unavailable", 504: "Gateway Timeout",
  ]
}
