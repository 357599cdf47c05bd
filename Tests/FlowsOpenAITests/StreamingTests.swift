import Flows
import FlowsAI
import FlowsOpenAI
import FlowsTestSupport
import Testing

/// Streamed responses (SSE) from the stub.
@Suite("Streaming")
struct StreamingTests {
  /// Streams a request against a stub answering `response`; returns the response and the chunks.
  func stream(_ response: StubResponse) async throws -> (GenerateResponse, [GenerateResponseChunk]) {
    try await withStub(response) { server in
      let chunks = Locked<[GenerateResponseChunk]>([])
      let result = try await makeModel(server).generate(GenerateRequest(messages: [.user("hi")])) { chunks.append($0) }
      return (result, chunks.value)
    }
  }

  @Test func realLlamaServerStream() async throws {
    let (response, chunks) = try await stream(.sse([try fixture("llama_server_chat_stream.sse")]))
    #expect(chunks.count > 5)
    #expect(chunks.allSatisfy { $0.role == .model })
    #expect(response.text == chunks.map(\.text).joined())
    #expect(response.text.hasPrefix("1. 1\n2"))
    #expect(response.finishReason == .length)
    #expect(response.usage == GenerationUsage(inputTokens: 42, outputTokens: 30, totalTokens: 72))
  }

  @Test func framesSplitAcrossWritesWithCRLF() async throws {
    let frames = sseFrames(
      [textChunk("Hel"), textChunk("lo"), textChunk(" there", finish: "stop")], lineEnding: "\r\n")
    let joined = frames.joined()
    // Cut the stream into uneven pieces that split frames, lines and the CRLF pairs.
    var pieces: [String] = []
    var rest = Substring(joined)
    var size = 1
    while !rest.isEmpty {
      pieces.append(String(rest.prefix(size)))
      rest = rest.dropFirst(size)
      size = size % 37 + 5
    }
    let (response, chunks) = try await stream(.sse(pieces))
    #expect(chunks.map(\.text) == ["Hel", "lo", " there"])
    #expect(response.text == "Hello there")
    #expect(response.finishReason == .stop)
  }

  @Test func pingCommentsAndRoleOnlyDeltasAreSkipped() async throws {
    let pieces = [
      ": ping\n\n",
      "data: \(chunk(delta: #"{"role":"assistant","content":null}"#))\n\n",
      ": ping - 2025-01-01\n\n",
      "data: \(textChunk("A"))\n\n",
      "data: \(chunk(delta: "{}", finish: "stop"))\n\n",
      "data: [DONE]\n\n",
    ]
    let (response, chunks) = try await stream(.sse(pieces))
    #expect(chunks.map(\.text) == ["A"])
    #expect(response.text == "A")
  }

  @Test func usageOnlyFinalChunk() async throws {
    let frames = sseFrames([textChunk("ok"), chunk(delta: "{}", finish: "stop"), usageChunk(prompt: 7, completion: 2)])
    let (response, _) = try await stream(.sse(frames))
    #expect(response.usage == GenerationUsage(inputTokens: 7, outputTokens: 2, totalTokens: 9))
    #expect(response.finishReason == .stop)
  }

  @Test func canonicalStreamedToolCall() async throws {
    let (response, chunks) = try await stream(.sse([try fixture("llama_server_tool_call_stream.sse")]))
    #expect(chunks.isEmpty)
    let call = try #require(response.toolRequests.first)
    #expect(response.toolRequests.count == 1)
    #expect(call.name == "get_weather")
    #expect(call.ref == "uHzotb1BPSIUClje8XnNox6STBpdEZiz")
    #expect(call.input == ["city": "Paris"])
    #expect(response.finishReason == .stop)
  }

  @Test func llamaCppPythonRepeatsIdAndNameInEveryChunk() async throws {
    let id = "call__0_get_weather_cmpl-123"
    func piece(_ arguments: String) -> String {
      chunk(
        delta:
          #"{"role":null,"content":null,"tool_calls":[{"index":0,"id":"\#(id)","type":"function","function":{"name":"get_weather","arguments":\#(JSONValue.string(arguments).serialized())}}]}"#
      )
    }
    let frames = sseFrames([
      chunk(delta: #"{"role":"assistant","content":null,"function_call":null,"tool_calls":null}"#),
      piece("{ \"ci"), piece("ty\": \"Pa"), piece("ris\" }"),
      chunk(delta: "{}", finish: "tool_calls"),
    ])
    let (response, _) = try await stream(.sse(frames))
    #expect(response.toolRequests == [ToolRequest(name: "get_weather", ref: id, input: ["city": "Paris"])])
  }

  @Test func twoToolCallsInterleavedByIndex() async throws {
    let frames = sseFrames([
      chunk(
        delta:
          #"{"tool_calls":[{"index":0,"id":"a","type":"function","function":{"name":"getWeather","arguments":""}}]}"#),
      chunk(
        delta:
          #"{"tool_calls":[{"index":1,"id":"b","type":"function","function":{"name":"getTime","arguments":"{\"tz\":"}}]}"#
      ),
      chunk(delta: #"{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":\"Oslo\"}"}}]}"#),
      chunk(delta: #"{"tool_calls":[{"index":1,"function":{"arguments":"\"UTC\"}"}}]}"#),
      chunk(delta: "{}", finish: "tool_calls"),
    ])
    let (response, _) = try await stream(.sse(frames))
    #expect(
      response.toolRequests == [
        ToolRequest(name: "getWeather", ref: "a", input: ["city": "Oslo"]),
        ToolRequest(name: "getTime", ref: "b", input: ["tz": "UTC"]),
      ])
  }

  @Test func streamWithFinishReasonButNoDoneIsAccepted() async throws {
    let (response, _) = try await stream(.sse(sseFrames([textChunk("end", finish: "stop")], done: false)))
    #expect(response.text == "end")
  }

  @Test func streamEndingWithoutDoneOrFinishReasonIsUnavailable() async throws {
    let error = try await requireFlowError {
      try await stream(.sse(sseFrames([textChunk("partial")], done: false)))
    }
    #expect(error.status == .unavailable)
    #expect(error.message.contains("model stream ended early"))
  }

  @Test func emptyStreamIsUnavailable() async throws {
    // llama-cpp-python answers 200 with SSE headers and no events when generation fails.
    let error = try await requireFlowError { try await stream(.sse([])) }
    #expect(error.status == .unavailable)
    #expect(error.message.contains("model stream ended early"))
  }

  @Test func abruptDisconnectMidStreamIsUnavailable() async throws {
    let chunks = Locked<[String]>([])
    let error = try await requireFlowError {
      try await withStub(.sseThenDisconnect(sseFrames([textChunk("one"), textChunk("two")], done: false))) { server in
        try await makeModel(server).generate(GenerateRequest(messages: [.user("hi")])) { chunks.append($0.text) }
      }
    }
    #expect(error.status == .unavailable)
    #expect(error.message.contains("model stream ended early"))
    #expect(chunks.value == ["one", "two"])
  }

  @Test func disconnectAfterACompleteStreamIsHarmless() async throws {
    let frames = sseFrames([textChunk("all"), textChunk(" there", finish: "stop")])
    let (response, _) = try await stream(.sseThenDisconnect(frames))
    #expect(response.text == "all there")
    #expect(response.finishReason == .stop)
  }

  @Test func errorStatusIsCheckedBeforeSSE() async throws {
    // llama-server answers context overflow with HTTP 400 JSON even for stream:true.
    let body =
      #"{"error":{"code":400,"message":"request (5033 tokens) exceeds the available context size (4096 tokens), try increasing it","type":"exceed_context_size_error","n_prompt_tokens":5033,"n_ctx":4096}}"#
    let error = try await requireFlowError { try await stream(.json(status: 400, body)) }
    #expect(error.status == .invalidArgument)
    #expect(error.message.contains("exceeds the available context size"))
    #expect(error.details?["type"] == "exceed_context_size_error")
  }

  @Test func errorEventInsideTheStream() async throws {
    let frames = [
      "data: \(textChunk("par"))\n\n",
      #"data: {"error":{"message":"model crashed","type":"server_error","code":500}}"# + "\n\n",
    ]
    let error = try await requireFlowError { try await stream(.sse(frames)) }
    #expect(error.status == .internal)
    #expect(error.message.contains("model crashed"))
  }

  @Test func malformedChunkIsInternal() async throws {
    let error = try await requireFlowError { try await stream(.sse(["data: {not json\n\n"])) }
    #expect(error.status == .internal)
    #expect(error.message.contains("{not json"))
  }

  @Test func jsonAnswerToAStreamRequestBecomesOneChunk() async throws {
    let (response, chunks) = try await stream(.json(completion("whole answer")))
    #expect(chunks.map(\.text) == ["whole answer"])
    #expect(response.text == "whole answer")
  }

  @Test func serverClosingKeepAliveConnectionsAfterEachStream() async throws {
    // llama-server closes the connection after every streamed response; the next request must
    // not fail on the closed pooled connection.
    try await withStub(.sseThenClose(sseFrames([textChunk("ok", finish: "stop")]))) { server in
      let model = makeModel(server)
      for _ in 0..<10 {
        let response = try await model.generate(GenerateRequest(messages: [.user("hi")])) { _ in }
        #expect(response.text == "ok")
      }
      #expect(server.requests.count >= 10)
    }
  }

  @Test func nonStreamingCallerGetsNoChunksAndSendsStreamFalse() async throws {
    try await withStub(.json(completion("plain"))) { server in
      let response = try await makeModel(server).generate(GenerateRequest(messages: [.user("hi")]))
      #expect(response.text == "plain")
      #expect(server.bodies.first?["stream"] == false)
    }
  }
}
