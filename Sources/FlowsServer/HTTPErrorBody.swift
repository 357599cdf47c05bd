import Flows

/// How a `FlowError` goes over HTTP in Genkit's callable protocol: the mapped status code and the
/// JSON body `{"status": "INVALID_ARGUMENT", "message": "…", "details"?: …}`.
public struct HTTPErrorBody: Sendable, Equatable {
  public var httpStatus: Int
  public var json: JSONValue

  public init(_ error: FlowError) {
    httpStatus = error.status.httpStatus
    var object: JSONObject = ["status": .string(error.status.rawValue), "message": .string(error.message)]
    if let details = error.details { object["details"] = details }
    json = .object(object)
  }

  /// The streaming error frame's payload: `{"error": {"status": …, "message": …}}`.
  public static func streamingError(_ error: FlowError) -> JSONValue {
    ["error": ["status": .string(error.status.rawValue), "message": .string(error.message)]]
  }
}
