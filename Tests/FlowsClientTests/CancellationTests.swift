import Flows
import FlowsClient
import FlowsTestSupport
import Testing

/// Cancelling or abandoning a call closes its request (the server sees the connection close).
@Suite("Cancellation")
struct CancellationTests {
  /// A stream that sends one chunk and then holds the connection open.
  static let holding = StubResponse.stream([.send(dataFrame(#"{"message":"first"}"#))], end: .hold)

  @Test func cancellingTheIteratingTaskClosesTheConnection() async throws {
    try await withStub(Self.holding) { server in
      let client = makeClient(server, timeout: .seconds(600))
      let firstChunk = Signal()
      let task = Task {
        var chunks: [JSONValue] = []
        for try await chunk in client.stream(flow: "f", input: 1) {
          chunks.append(chunk)
          firstChunk.fire()
        }
        return chunks
      }
      await firstChunk.wait()
      task.cancel()
      let error = try await withSafetyLimit { await thrownError { try await task.value } }
      #expect(error is CancellationError, "got \(String(describing: error))")
      try await withSafetyLimit { await server.waitForClosedConnection() }
      #expect(server.closedConnections == 1)
    }
  }

  @Test func breakingOutOfTheIterationClosesTheConnection() async throws {
    try await withStub(Self.holding) { server in
      let stream = makeClient(server, timeout: .seconds(600)).stream(flow: "f", input: 1)
      for try await chunk in stream {
        #expect(chunk == "first")
        break
      }
      try await withSafetyLimit { await server.waitForClosedConnection() }
      let error = await thrownError { try await stream.output }
      #expect(error is CancellationError, "got \(String(describing: error))")
    }
  }

  @Test func droppingTheStreamClosesTheConnection() async throws {
    try await withStub(Self.holding) { server in
      do {
        let stream = makeClient(server, timeout: .seconds(600)).stream(flow: "f", input: 1)
        #expect(await stream.traceId == nil)
      }
      try await withSafetyLimit { await server.waitForClosedConnection() }
    }
  }

  @Test func cancellingTheTaskAwaitingOutputClosesTheConnection() async throws {
    try await withStub(Self.holding) { server in
      let stream = makeClient(server, timeout: .seconds(600)).stream(flow: "f", input: 1)
      let task = Task { try await stream.output }
      try await withSafetyLimit { await server.waitForRequest() }
      task.cancel()
      let error = try await withSafetyLimit { await thrownError { try await task.value } }
      #expect(error is CancellationError, "got \(String(describing: error))")
      try await withSafetyLimit { await server.waitForClosedConnection() }
    }
  }

  @Test func explicitCancel() async throws {
    try await withStub(Self.holding) { server in
      let stream = makeClient(server, timeout: .seconds(600)).stream(flow: "f", input: 1)
      var iterator = stream.makeAsyncIterator()
      #expect(try await iterator.next() == "first")
      stream.cancel()
      let error = await thrownError { try await iterator.next() }
      #expect(error is CancellationError, "got \(String(describing: error))")
      try await withSafetyLimit { await server.waitForClosedConnection() }
    }
  }

  @Test func cancellingARunWaitingForTheResponse() async throws {
    try await withStub({ _, _ in .hang }) { server in
      let client = makeClient(server, timeout: .seconds(600))
      let task = Task { try await client.run(flow: "slow", input: 1) }
      try await withSafetyLimit { await server.waitForRequest() }
      task.cancel()
      let error = try await withSafetyLimit { await thrownError { try await task.value } }
      #expect(error is CancellationError, "got \(String(describing: error))")
      try await withSafetyLimit { await server.waitForClosedConnection() }
    }
  }

  @Test func alreadyCancelledTaskDoesNotSend() async throws {
    try await withStub(.json(#"{"result":1}"#)) { server in
      let client = makeClient(server)
      let task = Task {
        withUnsafeCurrentTask { $0?.cancel() }
        return try await client.stream(flow: "f", input: 1).output
      }
      let error = await thrownError { try await task.value }
      #expect(error is CancellationError, "got \(String(describing: error))")
      #expect(server.requests.isEmpty)
    }
  }

  @Test func cancellingAfterTheResultChangesNothing() async throws {
    try await withStub(.stream([.send(PeerCaptures.countdownStream)])) { server async throws in
      let stream = makeClient(server).stream(flow: "countdown", input: 3)
      #expect(try await stream.output == "liftoff")
      stream.cancel()
      #expect(try await stream.output == "liftoff")
      #expect(try await collect(stream).chunks.count == 3)
    }
  }
}
