import Flows
import FlowsClient
import FlowsTestSupport
import Testing

/// `FlowClient.stream`: chunks, the result, and the stream's shapes.
@Suite("FlowClient.stream")
struct StreamTests {
  @Test func capturedCountdownStream() async throws {
    let response = StubResponse.stream([.send(PeerCaptures.countdownStream)], headers: ["X-Genkit-Trace-Id": "t-9"])
    try await withStub(response) { server in
      let stream = makeClient(server).stream(flow: "countdown", input: 3)
      let (chunks, output) = try await collect(stream)
      #expect(chunks == [["tick": 3], ["tick": 2], ["tick": 1]])
      #expect(output == "liftoff")
      #expect(await stream.traceId == "t-9")
      #expect(stream.url == server.baseURL + "/countdown")
      let request = try #require(server.requests.first)
      #expect(request.header("accept") == "text/event-stream")
      #expect(request.json == ["data": 3])
    }
  }

  @Test func chunksArriveBeforeTheEnd() async throws {
    let gate = Signal()
    let steps: [StreamStep] = [
      .send(dataFrame(#"{"message":"first"}"#)), .wait(gate), .send(dataFrame(#"{"message":"second"}"#)),
      .pause(.milliseconds(50)), .send(dataFrame(#"{"result":"done"}"#)),
    ]
    try await withStub(.stream(steps)) { server in
      let stream = makeClient(server).stream(flow: "f", input: .null)
      try await withSafetyLimit { () async throws in
        var iterator = stream.makeAsyncIterator()
        // The server holds the rest until the first chunk has been seen here.
        #expect(try await iterator.next() == "first")
        gate.fire()
        #expect(try await iterator.next() == "second")
        #expect(try await iterator.next() == nil)
        #expect(try await stream.output == "done")
      }
    }
  }

  @Test func framesSplitAcrossReadsWithDelays() async throws {
    let text = PeerCaptures.countdownStream
    let bytes = Array(text.utf8)
    // Cut inside a prefix, inside JSON, between the two newlines and right after a frame.
    let cuts = [3, 17, 29, 30, 61, 95]
    var steps: [StreamStep] = []
    var start = 0
    for cut in cuts + [bytes.count] {
      steps.append(.send(String(decoding: bytes[start..<cut], as: UTF8.self)))
      steps.append(.pause(.milliseconds(15)))
      start = cut
    }
    try await withStub(.stream(steps)) { server in
      let (chunks, output) = try await collect(makeClient(server).stream(flow: "countdown", input: 3))
      #expect(chunks == [["tick": 3], ["tick": 2], ["tick": 1]])
      #expect(output == "liftoff")
    }
  }

  @Test func manyFramesInOneRead() async throws {
    let frames = (0..<500).map { dataFrame(#"{"message":\#($0)}"#) }.joined() + dataFrame(#"{"result":500}"#)
    try await withStub(.stream([.send(frames)])) { server in
      let (chunks, output) = try await collect(makeClient(server).stream(flow: "f", input: 1))
      #expect(chunks == (0..<500).map { .integer(Int64($0)) })
      #expect(output == 500)
    }
  }

  @Test func crlfCommentsMultiLineDataAndJSErrorSpacing() async throws {
    let body =
      ": keep-alive\r\n\r\n" + "data:{\"message\":\r\ndata: {\"a\":1}}\r\n\r\n" + "event: ignored\r\n"
      + "data: {\"message\":2}\r\n\r\n" + "data: {\"result\":\"ok\"}\r\n\r\n"
    try await withStub(.stream([.send(body)], contentType: "text/plain")) { server in
      let (chunks, output) = try await collect(makeClient(server).stream(flow: "f", input: 1))
      #expect(chunks == [["a": 1], 2])
      #expect(output == "ok")
    }
  }

  @Test func aStreamWithoutChunks() async throws {
    try await withStub(.stream([.send(PeerCaptures.greetStream)])) { server in
      let (chunks, output) = try await collect(makeClient(server).stream(flow: "greet", input: ["name": "Ada"]))
      #expect(chunks.isEmpty)
      #expect(output == ["greeting": "Hello, Ada!", "length": 11])
    }
  }

  @Test func unterminatedResultFrameAtTheEnd() async throws {
    try await withStub(.stream([.send(dataFrame(#"{"message":1}"#) + #"data: {"result":2}"#)])) { server in
      let (chunks, output) = try await collect(makeClient(server).stream(flow: "f", input: 1))
      #expect(chunks == [1])
      #expect(output == 2)
    }
  }

  @Test func aJSONAnswerToAStreamRequestIsTheResult() async throws {
    try await withStub(.json(PeerCaptures.greetResult, headers: ["X-Genkit-Trace-Id": "t-2"])) { server in
      let stream = makeClient(server).stream(flow: "greet", input: 1)
      let (chunks, output) = try await collect(stream)
      #expect(chunks.isEmpty)
      #expect(output["length"] == 23)
      #expect(await stream.traceId == "t-2")
    }
  }

  @Test func outputWithoutIterating() async throws {
    try await withStub(.stream([.send(PeerCaptures.countdownStream)])) { server in
      let stream = makeClient(server).stream(flow: "countdown", input: 3)
      #expect(try await stream.output == "liftoff")
      // The chunks were kept for a later iteration.
      let (chunks, _) = try await collect(stream)
      #expect(chunks.count == 3)
    }
  }

  @Test func iteratingAndAwaitingOutputConcurrently() async throws {
    let gate = Signal()
    let steps: [StreamStep] = [
      .send(dataFrame(#"{"message":1}"#)), .wait(gate), .send(dataFrame(#"{"result":"end"}"#)),
    ]
    try await withStub(.stream(steps)) { server async throws in
      let stream = makeClient(server).stream(flow: "f", input: 1)
      async let output = stream.output
      var iterator = stream.makeAsyncIterator()
      #expect(try await iterator.next() == 1)
      gate.fire()
      #expect(try await iterator.next() == nil)
      #expect(try await output == "end")
    }
  }

  @Test func unknownFrameObjectsAreIgnored() async throws {
    let body = dataFrame(#"{"streamId":"abc"}"#) + dataFrame("") + dataFrame(#"{"result":1}"#)
    try await withStub(.stream([.send(body)])) { server in
      let (chunks, output) = try await collect(makeClient(server).stream(flow: "f", input: 1))
      #expect(chunks.isEmpty)
      #expect(output == 1)
    }
  }

  @Test func framesAfterTheResultAreIgnored() async throws {
    let body = dataFrame(#"{"result":1}"#) + dataFrame(#"{"message":2}"#) + "error: {}\n\n"
    try await withStub(.stream([.send(body)])) { server in
      let (chunks, output) = try await collect(makeClient(server).stream(flow: "f", input: 1))
      #expect(chunks.isEmpty)
      #expect(output == 1)
    }
  }

  @Test func streamsReuseTheConnection() async throws {
    try await withStub(.stream([.send(PeerCaptures.countdownStream)])) { server async throws in
      let client = makeClient(server)
      for _ in 0..<3 {
        #expect(try await collect(client.stream(flow: "countdown", input: 3)).output == "liftoff")
      }
      #expect(server.requests.count == 3)
      #expect(server.closedConnections == 0)
    }
  }
}
