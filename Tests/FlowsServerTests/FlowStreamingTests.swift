import AsyncHTTPClient
import Flows
import FlowsServer
import FlowsTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Streaming responses: frames, order, errors, flushing and client disconnects.
@Suite struct FlowStreamingTests {
  static let sse: HTTPFields = [.contentType: "application/json", .accept: "text/event-stream"]

  @Test func acceptHeaderStreamsFramesThenResult() async throws {
    let response = try await withRouter(makeTestRuntime()) {
      try await $0.post("/countdown", #"{"data":3}"#, headers: Self.sse)
    }
    #expect(response.status == .ok)
    #expect(response.headers[.contentType] == "text/event-stream")
    #expect(response.headers[.cacheControl] == "no-cache")
    #expect(response.headers[.connection] == "close")
    #expect(isHex(response.traceId, count: 32))
    #expect(isHex(response.spanId, count: 16))
    #expect(
      response.text
        == "data: {\"message\":{\"tick\":3}}\n\ndata: {\"message\":{\"tick\":2}}\n\n"
        + "data: {\"message\":{\"tick\":1}}\n\ndata: {\"result\":\"liftoff\"}\n\n")
  }

  @Test func streamQueryStreamsWithoutAccept() async throws {
    let response = try await withRouter(makeTestRuntime()) {
      try await $0.post("/countdown?stream=true", #"{"data":1}"#)
    }
    #expect(response.headers[.contentType] == "text/event-stream")
    #expect(response.text == "data: {\"message\":{\"tick\":1}}\n\ndata: {\"result\":\"liftoff\"}\n\n")
  }

  @Test func nonStreamingFlowSendsOnlyTheResult() async throws {
    let response = try await withRouter(makeTestRuntime()) {
      try await $0.post("/echo", #"{"data":"x"}"#, headers: Self.sse)
    }
    #expect(response.text == "data: {\"result\":\"x\"}\n\n")
  }

  @Test func errorAfterChunksIsAnErrorFrame() async throws {
    let response = try await withRouter(makeTestRuntime()) {
      try await $0.post("/streamBoom", #"{"data":"x"}"#, headers: Self.sse)
    }
    #expect(response.status == .ok)
    #expect(
      response.text
        == "data: {\"message\":1}\n\ndata: {\"error\":{\"status\":\"INTERNAL\",\"message\":\"kaboom: x\"}}\n\n")
  }

  @Test func schemaViolationWhileStreamingIsAnErrorFrameWithoutTrace() async throws {
    let response = try await withRouter(makeTestRuntime()) {
      try await $0.post("/greet", #"{"data":{"name":5}}"#, headers: Self.sse)
    }
    #expect(response.status == .ok)
    #expect(response.traceId == nil)
    #expect(
      response.text
        == "data: {\"error\":{\"status\":\"INVALID_ARGUMENT\",\"message\":\"$.name: expected string, got number\"}}\n\n"
    )
  }

  @Test func badRequestsAreRefusedBeforeTheStream() async throws {
    let (malformed, unknown) = try await withRouter(makeTestRuntime()) { client in
      (
        try await client.post("/countdown", "{", headers: Self.sse),
        try await client.post("/nope", #"{"data":1}"#, headers: Self.sse)
      )
    }
    #expect(malformed.status == .badRequest)
    #expect(malformed.headers[.contentType] == "application/json")
    #expect(unknown.status == .notFound)
  }

  @Test func chunksReachTheClientBeforeTheFlowEnds() async throws {
    let gate = Signal()
    let runtime = makeTestRuntime(gate: gate)
    try await withLiveServer(runtime) { baseURL, _ in
      try await withHTTPClient { client in
        var request = HTTPClientRequest(url: baseURL + "/gated")
        request.method = .POST
        request.headers.add(name: "Accept", value: "text/event-stream")
        request.body = .bytes(ByteBuffer(string: #"{"data":null}"#))
        let response = try await client.execute(request, timeout: .seconds(10))
        #expect(response.status == .ok)
        #expect(response.headers["Content-Type"] == ["text/event-stream"])
        #expect(isHex(response.headers.first(name: "X-Genkit-Trace-Id"), count: 32))
        let text = try await withTimeout(seconds: 10) {
          var received = ""
          var released = false
          for try await part in response.body {
            received += String(buffer: part)
            if !released, received.contains("data: {\"message\":\"first\"}\n\n") {
              #expect(!received.contains("second"))
              released = true
              gate.fire()
            }
          }
          return received
        }
        #expect(
          text
            == "data: {\"message\":\"first\"}\n\ndata: {\"message\":\"second\"}\n\ndata: {\"result\":\"done\"}\n\n")
      }
    }
  }

  @Test func clientDisconnectCancelsTheFlow() async throws {
    let runtime = makeTestRuntime()
    let events = runtime.bus.subscribe()
    try await withLiveServer(runtime) { baseURL, _ in
      try await withHTTPClient { client in
        let firstChunk = Signal()
        let call = Task {
          var request = HTTPClientRequest(url: baseURL + "/sleepy?stream=true")
          request.method = .POST
          request.body = .bytes(ByteBuffer(string: #"{"data":null}"#))
          let response = try await client.execute(request, timeout: .seconds(30))
          for try await part in response.body where String(buffer: part).contains("first") {
            firstChunk.fire()
          }
        }
        try await withTimeout(seconds: 10) { await firstChunk.wait() }
        call.cancel()
        _ = await call.result
        let cancelled = try await runEnding(named: "sleepy", on: events)
        #expect(cancelled?.status == .cancelled)
      }
    }
  }
}
