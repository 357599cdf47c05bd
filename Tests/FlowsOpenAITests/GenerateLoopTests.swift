import Flows
import FlowsAI
import FlowsOpenAI
import FlowsTestSupport
import Testing

struct WeatherInput: Codable, Sendable, Equatable {
  var city: String
}

struct Weather: Codable, Sendable, Equatable {
  var city: String
  var tempC: Int
  var sky: String
}

/// FlowsAI's generate loop driving the provider against the stub.
@Suite("Generate loop over the provider")
struct GenerateLoopTests {
  static let toolCallTurn = #"""
    {"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":"",
     "tool_calls":[{"type":"function","function":{"name":"getWeather","arguments":"{\"city\": \"Paris\"}"},"id":"lkAb8HCrIlbCnlKZ3XJvUySH77ZEVI2n"}]}}],
     "usage":{"prompt_tokens":118,"completion_tokens":17,"total_tokens":135}}
    """#

  func defineWeatherTool(_ runtime: FlowRuntime, calls: Locked<[WeatherInput]>) -> Tool<WeatherInput, Weather> {
    runtime.defineTool("getWeather", description: "Current weather for a city") { (input: WeatherInput) in
      calls.append(input)
      return Weather(city: input.city, tempC: 21, sky: "sunny")
    }
  }

  @Test func toolCallTurnThenTextTurnWithTrace() async throws {
    let answer = completion("It is 21 °C and sunny in Paris.", usage: (160, 14))
    try await withStub([.json(Self.toolCallTurn), .json(answer)]) { server in
      let runtime = FlowRuntime()
      let calls = Locked<[WeatherInput]>([])
      let tool = defineWeatherTool(runtime, calls: calls)
      let model = makeModel(server, runtime: runtime)
      let (result, events) = try await collectEvents(runtime) {
        try await generate(
          model: model, prompt: "What is the weather in Paris?", tools: [tool.erased],
          config: GenerationConfig(temperature: 0))
      }
      #expect(result.text == "It is 21 °C and sunny in Paris.")
      #expect(result.turns == 2)
      #expect(result.usage.inputTokens == 278)
      #expect(calls.value == [WeatherInput(city: "Paris")])

      // The second request carries the assistant tool call and the tool result.
      let bodies = server.bodies
      #expect(bodies.count == 2)
      let messages = try #require(bodies[1]["messages"]?.arrayValue)
      #expect(messages.map { $0["role"] } == ["user", "assistant", "tool"])
      #expect(messages[1]["content"] == "")
      #expect(messages[1]["tool_calls"]?[0]?["id"] == "lkAb8HCrIlbCnlKZ3XJvUySH77ZEVI2n")
      #expect(messages[2]["tool_call_id"] == "lkAb8HCrIlbCnlKZ3XJvUySH77ZEVI2n")
      let output = try JSONValue(parsing: try #require(messages[2]["content"]?.stringValue))
      #expect(output == ["city": "Paris", "tempC": 21, "sky": "sunny"])
      #expect(bodies[1]["tools"]?[0]?["function"]?["name"] == "getWeather")

      // Trace: generate → model, tool, generate → model.
      let spans = endedSpans(events)
      #expect(
        spans.map(\.displayName) == ["openai/stub-model", "getWeather", "openai/stub-model", "generate", "generate"])
      let byId = Dictionary(uniqueKeysWithValues: spans.map { ($0.spanId, $0) })
      let outer = spans[4]
      let inner = spans[3]
      #expect(outer.parentSpanId == nil)
      #expect(spans[0].parentSpanId == outer.spanId)
      #expect(spans[1].parentSpanId == outer.spanId)
      #expect(inner.parentSpanId == outer.spanId)
      #expect(spans[2].parentSpanId == inner.spanId)
      #expect(byId.count == 5)
      #expect(spans[0].subtype == "model")
      #expect(spans[1].subtype == "tool")
      #expect(spans.allSatisfy { !$0.isError })
    }
  }

  @Test func streamedToolCallThenStreamedAnswer() async throws {
    let toolStream = try fixture("llama_server_tool_call_stream.sse").replacingOccurrences(
      of: "get_weather", with: "getWeather")
    let answer = sseFrames([textChunk("Sunny, "), textChunk("21 °C."), chunk(delta: "{}", finish: "stop")])
    try await withStub([.sse([toolStream]), .sse(answer)]) { server in
      let runtime = FlowRuntime()
      let calls = Locked<[WeatherInput]>([])
      let tool = defineWeatherTool(runtime, calls: calls)
      let chunks = Locked<[GenerateResponseChunk]>([])
      let result = try await generate(
        model: makeModel(server, runtime: runtime), prompt: "Weather in Paris?", tools: [tool.erased]
      ) { chunks.append($0) }
      #expect(calls.value == [WeatherInput(city: "Paris")])
      #expect(result.text == "Sunny, 21 °C.")
      #expect(chunks.value.map(\.text) == ["Sunny, ", "21 °C."])
      // All answer chunks carry the index of the second model turn (not the first one's).
      let indexes = Set(chunks.value.compactMap(\.index))
      #expect(indexes.count == 1)
      #expect((indexes.first ?? 0) > 0)
    }
  }

  @Test func structuredOutputDecodes() async throws {
    let body = completion(#"{"city":"Paris","tempC":21,"sky":"sunny"}"#)
    try await withStub(.json(body)) { server in
      let weather = try await generate(Weather.self, model: makeModel(server), prompt: "Weather in Paris as JSON")
      #expect(weather == Weather(city: "Paris", tempC: 21, sky: "sunny"))
      let format = try #require(server.bodies.first?["response_format"])
      #expect(format["type"] == "json_schema")
      #expect(format["json_schema"]?["schema"]?["properties"]?["tempC"] != nil)
    }
  }

  @Test func failingModelCallFailsTheModelSpan() async throws {
    try await withStub(.json(status: 429, #"{"error":{"message":"quota","type":"rate_limit"}}"#)) { server in
      let runtime = FlowRuntime()
      let model = makeModel(server, runtime: runtime)
      let (error, events) = try await collectEvents(runtime) {
        await thrownError { try await generate(model: model, prompt: "hi") }
      }
      #expect((error as? FlowError)?.status == .resourceExhausted)
      let spans = endedSpans(events)
      #expect(spans.map(\.displayName) == ["openai/stub-model", "generate"])
      #expect(spans.allSatisfy { $0.isError })
    }
  }
}
