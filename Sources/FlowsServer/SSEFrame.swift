import Flows
import Hummingbird

/// What a streaming flow call sends, in order: chunks, then its result or its error.
enum FlowStreamEvent: Sendable {
  case chunk(JSONValue)
  case result(JSONValue)
  case failure(FlowError)
}

/// The callable protocol's stream frames: `data: <compact JSON>\n\n`.
///
/// `data: {"message": <chunk>}` per chunk, then `data: {"result": <output>}`, or on failure
/// `data: {"error": {"status", "message"}}` (the `data:` prefix of Go and Python, which Genkit JS
/// clients parse too).
enum SSEFrame {
  /// The JSON payload of an event's frame.
  static func payload(_ event: FlowStreamEvent) -> JSONValue {
    switch event {
    case .chunk(let chunk): return ["message": chunk]
    case .result(let output): return ["result": output]
    case .failure(let error): return HTTPErrorBody.streamingError(error)
    }
  }

  /// Appends the frame of `event` to `buffer`.
  static func append(_ event: FlowStreamEvent, to buffer: inout ByteBuffer) {
    buffer.writeString("data: ")
    buffer.writeBytes(payload(event).serializedBytes())
    buffer.writeString("\n\n")
  }

  /// The frames of `events`, in one buffer.
  static func frames(_ events: [FlowStreamEvent]) -> ByteBuffer {
    var buffer = ByteBuffer()
    for event in events { append(event, to: &buffer) }
    return buffer
  }
}
