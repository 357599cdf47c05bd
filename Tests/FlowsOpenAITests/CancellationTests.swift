import Flows
import FlowsAI
import FlowsOpenAI
import FlowsTestSupport
import Testing

/// Cancelling the task awaiting the model cancels the HTTP request.
@Suite("Cancellation")
struct CancellationTests {
  @Test func cancellingMidStreamEndsTheCallAndClosesTheConnection() async throws {
    try await withStub(.sseThenHold(sseFrames([textChunk("first")], done: false))) { server in
      let model = makeModel(server, timeout: .seconds(600))
      let firstChunk = Signal()
      let task = Task {
        try await model.generate(GenerateRequest(messages: [.user("hi")])) { _ in firstChunk.fire() }
      }
      // The stub is now holding the stream open.
      await firstChunk.wait()
      task.cancel()
      let error = try await withSafetyLimit { await thrownError { try await task.value } }
      #expect(error is CancellationError, "got \(String(describing: error))")
      try await withSafetyLimit { await server.waitForClosedConnection() }
      #expect(server.closedConnections >= 1)
    }
  }

  @Test func cancellingWhileWaitingForTheResponseHead() async throws {
    try await withStub(.hang) { server in
      let model = makeModel(server, timeout: .seconds(600))
      let task = Task { try await model.generate(GenerateRequest(messages: [.user("hi")])) }
      // Wait until the request has reached the stub, then cancel.
      try await withSafetyLimit { await server.waitForRequest() }
      task.cancel()
      let error = try await withSafetyLimit { await thrownError { try await task.value } }
      #expect(error is CancellationError, "got \(String(describing: error))")
      try await withSafetyLimit { await server.waitForClosedConnection() }
    }
  }

  @Test func alreadyCancelledTaskDoesNotSend() async throws {
    try await withStub(.json(completion("never"))) { server in
      let model = makeModel(server)
      let task = Task {
        withUnsafeCurrentTask { $0?.cancel() }
        return try await model.generate(GenerateRequest(messages: [.user("hi")]))
      }
      let error = await thrownError { try await task.value }
      #expect(error is CancellationError, "got \(String(describing: error))")
    }
  }
}
