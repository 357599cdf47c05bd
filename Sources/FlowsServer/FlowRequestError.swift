import Flows

/// A request the flow endpoint refuses before running the flow, with the HTTP status to answer.
///
/// Every refusal is a Genkit error body (`{"status", "message", "details"?}`); the HTTP status is
/// the Genkit mapping except where HTTP has a more precise code (405, 413, 415).
struct FlowRequestError: Error, Sendable {
  var error: FlowError
  var httpStatus: Int
  /// Extra response headers (e.g. `Allow` on a 405).
  var headers: [(name: String, value: String)] = []

  init(_ error: FlowError, httpStatus: Int? = nil, headers: [(name: String, value: String)] = []) {
    self.error = error
    self.httpStatus = httpStatus ?? error.status.httpStatus
    self.headers = headers
  }

  var body: HTTPErrorBody { HTTPErrorBody(error, httpStatus: httpStatus) }

  /// `400`: no body at all (or only whitespace).
  static let emptyBody = FlowRequestError(
    FlowError(.invalidArgument, "Request body is empty; send a JSON object {\"data\": <input>}"))

  /// `400`: the body is JSON but not `{"data": …}` (the Python peer's intended message).
  static let notWrapped = FlowRequestError(
    FlowError(.invalidArgument, "Action request must be wrapped in {\"data\": ...} object"))

  /// `400`: the body is not JSON; details carry the line and column.
  static func malformedJSON(_ syntax: JSONSyntaxError) -> FlowRequestError {
    FlowRequestError(
      FlowError(
        .invalidArgument, "Request body is not valid JSON: \(syntax)",
        details: ["line": .integer(Int64(syntax.line)), "column": .integer(Int64(syntax.column))]))
  }

  /// `413`: the body is larger than the route's limit.
  static func tooLarge(limit: Int) -> FlowRequestError {
    FlowRequestError(
      FlowError(.resourceExhausted, "Request body exceeds the limit of \(limit) bytes"), httpStatus: 413)
  }

  /// `415`: a content type that is not JSON (nor one of the lenient types curl and browsers send).
  static func unsupportedMediaType(_ contentType: String) -> FlowRequestError {
    FlowRequestError(
      FlowError(
        .invalidArgument, "Unsupported Content-Type '\(contentType)'; send the request body as application/json"),
      httpStatus: 415)
  }

  /// `404`: no flow with this name is served here.
  static func flowNotFound(_ name: String) -> FlowRequestError {
    FlowRequestError(FlowError(.notFound, "Flow '\(name)' not found"))
  }

  /// `405` with `Allow: POST`.
  static func methodNotAllowed(_ method: String, path: String) -> FlowRequestError {
    FlowRequestError(
      FlowError(.invalidArgument, "Method \(method) is not allowed on \(path); flows are called with POST"),
      httpStatus: 405, headers: [("Allow", "POST")])
  }
}
