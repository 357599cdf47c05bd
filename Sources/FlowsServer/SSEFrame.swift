import Flows
import Hummingbird

/// What a streaming flow call sends, in order: chunks, then its result or its error.
enum FlowStreamEvent: Sendable {
  case chunk(JSONValue)
  case result(JSONValue)
  /// Boxed: a `FlowError` is large, and every chunk in the queue would otherwise take its size.
  indirect case failure(FlowError)
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

  private static let chunkPrefix = Array("data: {\"message\":".utf8)
  private static let dataPrefix = Array("data: ".utf8)

  /// Appends the frame of `event` to `bytes`. A chunk's frame is written around the chunk's JSON
  /// directly (the hot path of a fast stream: no wrapper object, no intermediate array).
  static func append(_ event: FlowStreamEvent, to bytes: inout [UInt8]) {
    if case .chunk(let chunk) = event {
      bytes.append(contentsOf: chunkPrefix)
      chunk.serialize(appendingTo: &bytes)
      bytes.append(UInt8(ascii: "}"))
    } else {
      bytes.append(contentsOf: dataPrefix)
      payload(event).serialize(appendingTo: &bytes)
    }
    bytes.append(UInt8(ascii: "\n"))
    bytes.append(UInt8(ascii: "\n"))
  }

  /// The frames of `events`, in one buffer.
  static func frames(_ events: [FlowStreamEvent]) -> ByteBuffer {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(events.count * 32)
    for event in events { append(event, to: &bytes) }
    return ByteBuffer(bytes: bytes)
  }
}
