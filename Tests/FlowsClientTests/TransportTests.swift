import Flows
import FlowsClient
import FlowsTestSupport
import Testing

/// Unreachable and slow servers.
@Suite("Transport failures")
struct TransportTests {
  @Test func connectionRefusedIsUnavailable() async throws {
    // A port that is bound but never listened on refuses connections, and stays ours for the whole
    // test (a port freed by a stopped server could be taken by a test running in parallel).
    let reserved = try LoopbackPort.Reservation()
    defer { reserved.release() }
    let baseURL = "http://127.0.0.1:\(reserved.port)"
    let client = FlowClient(baseURL: baseURL, timeout: .seconds(60))
    let runError = try await requireFlowError { try await client.run(flow: "greet", input: 1) }
    let streamError = try await requireFlowError { try await client.stream(flow: "greet", input: 1).output }
    for error in [runError, streamError] {
      #expect(error.status == .unavailable)
      #expect(error.message.contains("cannot reach the flow server at \(baseURL)/greet"), "\(error.message)")
      #expect(error.message.contains("connection refused"), "\(error.message)")
    }
  }

  @Test func slowServerTimesOut() async throws {
    try await withStub({ _, _ in .hang }) { server in
      let client = makeClient(server, timeout: .milliseconds(300))
      let runError = try await requireFlowError { try await client.run(flow: "slow", input: 1) }
      let streamError = try await requireFlowError { try await collect(client.stream(flow: "slow", input: 1)) }
      for error in [runError, streamError] {
        #expect(error.status == .deadlineExceeded)
        #expect(error.message.contains(server.baseURL + "/slow"))
      }
      // The abandoned requests' connections are closed by the client.
      try await withSafetyLimit {
        await server.waitForClosedConnection()
        await server.waitForClosedConnection()
      }
      #expect(server.requests.count == 2)
    }
  }

  @Test func streamThatStallsAfterChunksTimesOut() async throws {
    let response = StubResponse.stream([.send(dataFrame(#"{"message":1}"#))], end: .hold)
    try await withStub(response) { server in
      let stream = makeClient(server, timeout: .milliseconds(400)).stream(flow: "stall", input: 1)
      var chunks: [JSONValue] = []
      let error = try await requireFlowError {
        for try await chunk in stream { chunks.append(chunk) }
      }
      #expect(chunks == [1])
      #expect(error.status == .deadlineExceeded)
      try await withSafetyLimit { await server.waitForClosedConnection() }
    }
  }

  @Test func invalidBaseURL() async throws {
    let client = FlowClient(baseURL: "not a url", timeout: .seconds(5))
    let error = try await requireFlowError { try await client.run(flow: "f", input: 1) }
    #expect(error.status == .invalidArgument || error.status == .unavailable)
    #expect(error.message.contains("not a url"))
  }
}
