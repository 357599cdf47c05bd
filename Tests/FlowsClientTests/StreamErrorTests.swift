import Flows
import FlowsClient
import FlowsTestSupport
import Testing

/// Streams that fail: error frames, truncated streams, malformed frames.
@Suite("FlowClient.stream errors")
struct StreamErrorTests {
  /// The chunks received before the stream failed, and the `FlowError` it failed with (which
  /// `output` must throw too).
  func failure(
    _ response: StubResponse, sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> (chunks: [JSONValue], error: FlowError) {
    try await withStub(response) { server in
      let stream = makeClient(server).stream(flow: "f", input: 1)
      var chunks: [JSONValue] = []
      let error = try await requireFlowError {
        for try await chunk in stream { chunks.append(chunk) }
      }
      let outputError = try await requireFlowError { try await stream.output }
      #expect(outputError.status == error.status, sourceLocation: sourceLocation)
      #expect(outputError.message == error.message, sourceLocation: sourceLocation)
      return (chunks, error)
    }
  }

  @Test func jsErrorFrameMidStream() async throws {
    let body =
      dataFrame(#"{"message":"a"}"#) + dataFrame(#"{"message":"b"}"#)
      + #"error: {"error":{"status":"PERMISSION_DENIED","message":"not yours","details":{"why":"owner"}}}"# + "\n\n"
    let (chunks, error) = try await failure(.stream([.send(body)], headers: ["X-Genkit-Trace-Id": "t-5"]))
    #expect(chunks == ["a", "b"])
    #expect(error.status == .permissionDenied)
    #expect(error.message == "not yours")
    #expect(error.details == ["why": "owner"])
    #expect(error.traceId == "t-5")
  }

  @Test func jsErrorFrameWithoutSpace() async throws {
    let (_, error) = try await failure(
      .stream([.send(#"error:{"error":{"status":"ABORTED","message":"x"}}"# + "\n\n")]))
    #expect(error.status == .aborted)
  }

  @Test func goAndPythonErrorFrameMidStream() async throws {
    let steps: [StreamStep] = [
      .send(dataFrame(#"{"message":{"tick":3}}"#)), .pause(.milliseconds(20)), .send(PeerCaptures.boomStream),
    ]
    let (chunks, error) = try await failure(.stream(steps))
    #expect(chunks == [["tick": 3]])
    #expect(error.status == .internal)
    #expect(error.message == "kaboom: x")
    #expect(error.details == ["stack": ""])
  }

  @Test func capturedSchemaViolationFrame() async throws {
    let (_, error) = try await failure(.stream([.send(PeerCaptures.schemaViolationStream)]))
    #expect(error.status == .internal)
    #expect(error.message == PeerCaptures.schemaViolationMessage)
  }

  @Test func errorFrameWithoutAStatusIsInternal() async throws {
    let (_, error) = try await failure(.stream([.send(dataFrame(#"{"error":{"message":"odd"}}"#))]))
    #expect(error.status == .internal)
    #expect(error.message == "odd")
  }

  @Test func streamEndingWithoutAResult() async throws {
    let (chunks, error) = try await failure(.stream([.send(dataFrame(#"{"message":1}"#))], end: .finish))
    #expect(chunks == [1])
    #expect(error.status == .internal)
    #expect(error.message.contains("stream ended before the result"))
    #expect(error.message.contains("after 1 chunk"))
  }

  @Test func connectionDroppedMidStream() async throws {
    let steps: [StreamStep] = [.send(dataFrame(#"{"message":1}"#) + dataFrame(#"{"message":2}"#) + "data: {\"res")]
    let (chunks, error) = try await failure(.stream(steps, end: .disconnect))
    #expect(chunks == [1, 2])
    #expect(error.status == .unavailable)
    #expect(error.message.contains("stream ended before the result"))
    #expect(error.message.contains("/f was lost"))
  }

  @Test func malformedFrame() async throws {
    let (chunks, error) = try await failure(.stream([.send(dataFrame(#"{"message":1}"#) + dataFrame("{oops"))]))
    #expect(chunks == [1])
    #expect(error.status == .internal)
    #expect(error.message.contains("malformed stream frame"))
    #expect(error.message.contains("{oops"))
  }

  @Test func nonObjectFrame() async throws {
    let (_, error) = try await failure(.stream([.send(dataFrame("[DONE]"))]))
    #expect(error.status == .internal)
    #expect(error.message.contains("malformed stream frame"))
  }

  @Test func iterationAfterTheErrorEnds() async throws {
    try await withStub(.stream([.send(PeerCaptures.boomStream)])) { server in
      var iterator = makeClient(server).stream(flow: "f", input: 1).makeAsyncIterator()
      _ = try await requireFlowError { try await iterator.next() }
      #expect(try await iterator.next() == nil)
    }
  }
}
