import AsyncHTTPClient
import Flows
import FlowsAI
import FlowsClient
import NIOCore

/// Reads a chat-completions SSE stream: parses events, forwards text deltas as chunks, and
/// assembles the final response.
struct ChatStreamReader: Sendable {
  let baseURL: String
  let streamer: ModelStreamer

  func read(_ body: HTTPClientResponse.Body) async throws -> GenerateResponse {
    var parser = FlowFrameParser()
    var accumulator = ChatStreamAccumulator()
    var sawDone = false
    do {
      for try await buffer in body {
        try Task.checkCancellation()
        // After `[DONE]` the rest is drained, not abandoned: leaving a response unread makes the
        // client close a connection that the pool may already be handing to the next request.
        guard !sawDone else { continue }
        try parser.parse(buffer.readableBytesView) { event in try handle(event, &accumulator, &sawDone) }
      }
    } catch {
      let mapped = OpenAIErrorMapper.transportError(error, baseURL: baseURL, duringStream: true)
      // A connection lost after the answer was complete does not matter; anything else does.
      guard !(mapped is CancellationError), !(error is FlowError), sawDone || accumulator.finished else {
        throw mapped
      }
    }
    try Task.checkCancellation()
    try parser.finish { event in try handle(event, &accumulator, &sawDone) }
    guard sawDone || accumulator.finished else {
      let received = accumulator.chunkCount == 1 ? "1 chunk" : "\(accumulator.chunkCount) chunks"
      throw FlowError(
        .unavailable,
        "model stream ended early: the model server at \(baseURL) closed the stream after \(received) "
          + "without a finish reason or [DONE]")
    }
    return accumulator.response()
  }

  private func handle(_ event: FlowFrame, _ accumulator: inout ChatStreamAccumulator, _ sawDone: inout Bool) throws {
    // OpenAI-style streams only carry `data:` events; anything else is not ours to interpret.
    guard !sawDone, event.kind == .data else { return }
    if Self.isDone(event.payload) {
      sawDone = true
      return
    }
    if event.isBlank { return }
    let chunk: JSONValue
    do {
      chunk = try JSONValue(parsing: event.payload)
    } catch {
      throw FlowError(
        .internal, "malformed stream chunk from the model server (\(error)): \(OpenAIErrorMapper.excerpt(event.text))")
    }
    let piece = try accumulator.apply(chunk)
    if !piece.isEmpty {
      streamer.send(GenerateResponseChunk(role: .model, content: [.text(piece)]))
    }
  }

  /// True for the `[DONE]` sentinel that ends OpenAI-style streams.
  static func isDone(_ payload: [UInt8]) -> Bool {
    payload.elementsEqual("[DONE]".utf8)
  }
}
