import Flows
import FlowsAI
import FlowsOpenAI
import FlowsTestSupport
import Testing

/// Non-streamed responses mapped to `GenerateResponse`.
@Suite("Response mapping")
struct ResponseMappingTests {
  func generate(_ body: String) async throws -> GenerateResponse {
    try await withStub(.json(body)) { server in
      try await makeModel(server).generate(GenerateRequest(messages: [.user("hi")]))
    }
  }

  @Test func realLlamaServerChatCompletion() async throws {
    let response = try await generate(try fixture("llama_server_chat.json"))
    #expect(response.text == "The capital of France is Paris.")
    #expect(response.message?.role == .model)
    #expect(response.finishReason == .stop)
    #expect(response.usage == GenerationUsage(inputTokens: 32, outputTokens: 8, totalTokens: 40))
    #expect(response.latencyMs != nil)
  }

  @Test func realLlamaServerToolCall() async throws {
    let response = try await generate(try fixture("llama_server_tool_call.json"))
    let message = try #require(response.message)
    #expect(message.content.count == 1)  // empty content is omitted
    let call = try #require(response.toolRequests.first)
    #expect(call.name == "get_weather")
    #expect(call.ref == "lkAb8HCrIlbCnlKZ3XJvUySH77ZEVI2n")
    #expect(call.input == ["city": "Paris"])
    #expect(response.finishReason == .stop)  // tool_calls
  }

  @Test func textAndToolCallsTogether() async throws {
    let body = #"""
      {"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":"Let me check.",
       "tool_calls":[{"id":"call_a","type":"function","function":{"name":"getWeather","arguments":"{\"city\":\"Oslo\"}"}},
                     {"id":"call_b","type":"function","function":{"name":"getTime","arguments":""}}]}}]}
      """#
    let response = try await generate(body)
    let parts = try #require(response.message?.content)
    #expect(parts.count == 3)
    #expect(parts[0].text == "Let me check.")
    #expect(parts[1].toolRequest == ToolRequest(name: "getWeather", ref: "call_a", input: ["city": "Oslo"]))
    #expect(parts[2].toolRequest == ToolRequest(name: "getTime", ref: "call_b", input: .object([:])))
    #expect(response.usage == nil)
  }

  @Test func unparsableArgumentsAreKeptAsText() async throws {
    let body = #"""
      {"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
       "tool_calls":[{"id":"x","type":"function","function":{"name":"getWeather","arguments":"{city: Paris"}}]}}]}
      """#
    let response = try await generate(body)
    #expect(response.toolRequests.first?.input == .string("{city: Paris"))
    #expect(response.message?.content.count == 1)
  }

  @Test(arguments: [
    ("stop", FinishReason.stop), ("length", .length), ("tool_calls", .stop), ("content_filter", .blocked),
    ("something_else", .other),
  ])
  func finishReasons(raw: String, expected: FinishReason) async throws {
    let response = try await generate(completion("x", finish: raw))
    #expect(response.finishReason == expected)
  }

  @Test func nullContentGivesAnEmptyMessage() async throws {
    let response = try await generate(completion(nil))
    #expect(response.message?.content.isEmpty == true)
    #expect(response.text == "")
  }

  @Test func unknownKeysAreIgnored() async throws {
    let body = #"""
      {"id":"x","object":"chat.completion","system_fingerprint":"b0","timings":{"prompt_ms":1.5},
       "choices":[{"index":0,"logprobs":null,"finish_reason":"stop","message":{"role":"assistant","content":"ok","refusal":null,"annotations":[]}}],
       "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4,"prompt_tokens_details":{"cached_tokens":0}},"__verbose":{}}
      """#
    let response = try await generate(body)
    #expect(response.text == "ok")
    #expect(response.usage?.totalTokens == 4)
  }

  @Test func malformedBodyIsInternalWithAnExcerpt() async throws {
    let garbage = "<html>" + String(repeating: "x", count: 500) + "</html>"
    let error = try await requireFlowError { try await generate(garbage) }
    #expect(error.status == .internal)
    #expect(error.message.contains("<html>xxx"))
    #expect(error.message.count < 400)
  }

  @Test func bodyWithoutChoicesIsInternal() async throws {
    let error = try await requireFlowError { try await generate(#"{"object":"list","data":[]}"#) }
    #expect(error.status == .internal)
    #expect(error.message.contains("no choices"))
    #expect(error.message.contains(#"{"object":"list","data":[]}"#))
  }

  @Test func errorObjectInA200Body() async throws {
    let error = try await requireFlowError {
      try await generate(#"{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"#)
    }
    #expect(error.status == .unavailable)
    #expect(error.message.contains("Loading model"))
  }
}
