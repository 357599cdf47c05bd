import AsyncHTTPClient
import Flows
import NIOCore

/// Reads a streamed flow response: parses frames and reports chunks, the result or the error to
/// the call. After the result the rest of the body is drained (so the connection can be reused)
/// and ignored.
struct FlowStreamReader: Sendable {
  let url: String
  let traceId: String?
  let call: FlowStreamCall

  func read(_ body: HTTPClientResponse.Body) async throws {
    var parser = FlowFrameParser()
    var chunks = 0
    do {
      for try await buffer in body {
        try Task.checkCancellation()
        guard !call.isFinished else { continue }
        try parser.parse(buffer.readableBytesView) { frame in try handle(frame, chunks: &chunks) }
      }
    } catch {
      // A connection lost after the result does not matter.
      if call.isFinished { return }
      switch error {
      case let flowError as FlowError: throw flowError
      case let tooLarge as FlowFrameTooLarge: throw FlowError(.internal, "\(tooLarge) in the stream from \(url)")
      default:
        let mapped = TransportErrors.map(error, url: url, duringStream: true)
        if let flowError = mapped as? FlowError, flowError.status == .deadlineExceeded { throw flowError }
        guard !(mapped is CancellationError) else { throw mapped }
        throw FlowClientErrors.streamEndedEarly(
          url: url, chunks: chunks, lostConnection: "\(error)", traceId: traceId)
      }
    }
    try Task.checkCancellation()
    guard !call.isFinished else { return }
    try parser.finish { frame in try handle(frame, chunks: &chunks) }
    guard call.isFinished else {
      throw FlowClientErrors.streamEndedEarly(url: url, chunks: chunks, lostConnection: nil, traceId: traceId)
    }
  }

  /// Acts on one frame: `message` is a chunk, `result` ends the call, `error` (in an `error:`
  /// frame or a `data:` frame) throws. Blank frames and objects with none of these are ignored.
  private func handle(_ frame: FlowFrame, chunks: inout Int) throws {
    guard !call.isFinished, !frame.isBlank else { return }
    let json: JSONValue
    do {
      json = try JSONValue(parsing: frame.payload)
    } catch {
      throw FlowClientErrors.malformed("stream frame", bytes: frame.payload, url: url, reason: "\(error)")
    }
    if frame.kind == .error { throw FlowClientErrors.remoteError(json, traceId: traceId) }
    guard let object = json.objectValue else {
      throw FlowClientErrors.malformed(
        "stream frame", bytes: frame.payload, url: url, reason: "expected an object with \"message\" or \"result\"")
    }
    if let chunk = object["message"] {
      chunks += 1
      call.receivedChunk(chunk)
    } else if let result = object["result"] {
      call.finish(.success(result))
    } else if let error = object["error"], !error.isNull {
      throw FlowClientErrors.remoteError(json, traceId: traceId)
    }
  }
}
