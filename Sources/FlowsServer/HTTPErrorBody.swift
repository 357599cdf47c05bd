import Flows

/// How a `FlowError` goes over HTTP in Genkit's callable protocol: the mapped status code and the
/// JSON body `{"status": "INVALID_ARGUMENT", "message": "…", "details"?: …}`.
public struct HTTPErrorBody: Sendable, Equatable {
  /// The HTTP status code sent (normally `error.status.httpStatus`).
  public var httpStatus: Int
  /// The response body: the bare Genkit error object, not wrapped in `{"error": …}`.
  public var json: JSONValue

  /// The error with the HTTP status its Genkit status maps to (Genkit JS `getHttpStatus`).
  public init(_ error: FlowError) {
    self.init(error, httpStatus: error.status.httpStatus)
  }

  /// The error with an explicit HTTP status, for protocol-level refusals that have no Genkit
  /// status of their own (405, 413, 415).
  public init(_ error: FlowError, httpStatus: Int) {
    self.httpStatus = httpStatus
    var object: JSONObject = ["status": .string(error.status.rawValue), "message": .string(error.message)]
    if let details = error.details { object["details"] = details }
    json = .object(object)
  }

  /// The body as compact UTF-8 JSON.
  public var bytes: [UInt8] { json.serializedBytes() }

  /// The streaming error frame's payload: `{"error": {"status": …, "message": …}}`.
  public static func streamingError(_ error: FlowError) -> JSONValue {
    ["error": ["status": .string(error.status.rawValue), "message": .string(error.message)]]
  }
}
