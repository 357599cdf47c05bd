/// Response bodies captured from the Python Genkit peer (FastAPI + uvicorn), byte for byte as
/// in /work/shared/reference/peer/http/*.txt (the chunked transfer encoding removed by curl).
enum PeerCaptures {
  /// 03-stream-accept: `POST /countdown` `{"data":3}` with `Accept: text/event-stream`.
  static let countdownStream =
    "data: {\"message\":{\"tick\":3}}\n\n" + "data: {\"message\":{\"tick\":2}}\n\n"
    + "data: {\"message\":{\"tick\":1}}\n\n" + "data: {\"result\":\"liftoff\"}\n\n"

  /// The payloads of `countdownStream`'s frames.
  static let countdownPayloads = [
    #"{"message":{"tick":3}}"#, #"{"message":{"tick":2}}"#, #"{"message":{"tick":1}}"#, #"{"result":"liftoff"}"#,
  ]

  /// 05-stream-nonstreamflow: a flow that sends no chunks, streamed.
  static let greetStream = "data: {\"result\":{\"greeting\":\"Hello, Ada!\",\"length\":11}}\n\n"

  /// 09-error-stream: the flow raised `kaboom: x` while streaming.
  static let boomStream =
    #"data: {"error":{"details":{"stack":""},"message":"kaboom: x","status":"INTERNAL"}}"# + "\n\n"

  /// 21-schema-violation-stream: the message holds escaped newlines (`\n` inside a JSON string).
  static let schemaViolationStream =
    #"data: {"error":{"details":{"stack":""},"message":"1 validation error for GreetIn\nname\n  Input should be a valid string [type=string_type, input_value=5, input_type=int]\n    For further information visit https://errors.pydantic.dev/2.14/v/string_type","status":"INTERNAL"}}"#
    + "\n\n"

  /// The message of `schemaViolationStream`'s error, decoded.
  static let schemaViolationMessage =
    "1 validation error for GreetIn\nname\n  Input should be a valid string [type=string_type, input_value=5, "
    + "input_type=int]\n    For further information visit https://errors.pydantic.dev/2.14/v/string_type"

  /// 01-success: `POST /greet` `{"data":{"name":"Ada","times":2}}`.
  static let greetResult = #"{"result":{"greeting":"Hello, Ada! Hello, Ada!","length":23}}"#

  /// 07-error-plain: a flow raised a plain exception (HTTP 500).
  static let boomError = #"{"details":{"stack":""},"message":"kaboom: x","status":"INTERNAL"}"#

  /// 10-malformed-json / 23-empty-body: uvicorn's own plain-text 500.
  static let plainInternalServerError = "Internal Server Error"

  /// 16-unknown-flow: FastAPI's 404 for an unknown path.
  static let unknownFlow = #"{"detail":"Not Found"}"#

  /// 17-get-method: FastAPI's 405.
  static let methodNotAllowed = #"{"detail":"Method Not Allowed"}"#
}
