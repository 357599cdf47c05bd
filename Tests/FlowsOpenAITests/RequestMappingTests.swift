import Flows
import FlowsAI
import FlowsOpenAI
import FlowsTestSupport
import Testing

/// The JSON the provider sends, as recorded by the stub.
@Suite("Request mapping")
struct RequestMappingTests {
  let weatherTool = ToolDefinition(
    name: "getWeather", description: "Current weather for a city",
    inputSchema: [
      "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
      "properties": ["city": ["type": "string"]], "required": ["city"],
    ])

  /// Sends `request` through the provider and returns the body the stub received.
  func sentBody(
    _ request: GenerateRequest, streaming: Bool = false,
    responseFormat: OpenAICompatibleConfiguration.ResponseFormat = .jsonSchema, apiKey: String? = nil
  ) async throws -> (JSONValue, StubRequest) {
    let response: StubResponse =
      streaming ? .sse(sseFrames([textChunk("ok", finish: "stop")])) : .json(completion("ok"))
    return try await withStub(response) { server in
      let model = makeModel(server, apiKey: apiKey, responseFormat: responseFormat)
      _ = try await model.generate(request, onChunk: ignoringChunks(streaming))
      let recorded = try #require(server.requests.first)
      return (recorded.json, recorded)
    }
  }

  @Test func endpointHeadersAndModel() async throws {
    let (body, request) = try await sentBody(GenerateRequest(messages: [.user("hi")]), apiKey: "sk-test")
    #expect(request.method == "POST")
    #expect(request.uri == "/v1/chat/completions")
    #expect(request.header("authorization") == "Bearer sk-test")
    #expect(request.header("content-type") == "application/json")
    #expect(body["model"] == "stub-model")
    #expect(body["stream"] == false)
    #expect(body["stream_options"] == nil)
    #expect(body["tools"] == nil)
    #expect(body["response_format"] == nil)
  }

  @Test func noAuthorizationWithoutKeyAndExtraHeadersAreSent() async throws {
    try await withStub(.json(completion("ok"))) { server in
      let model = makeModel(server, extraHeaders: ["X-Trace": "abc"])
      _ = try await model.generate(GenerateRequest(messages: [.user("hi")]))
      let request = try #require(server.requests.first)
      #expect(request.header("authorization") == nil)
      #expect(request.header("x-trace") == "abc")
    }
  }

  @Test func baseURLWithTrailingSlash() async throws {
    try await withStub(.json(completion("ok"))) { server in
      let runtime = FlowRuntime()
      let model = runtime.defineOpenAICompatibleModel(
        configuration: OpenAICompatibleConfiguration(baseURL: server.baseURL + "/", model: "m"))
      _ = try await model.generate(GenerateRequest(messages: [.user("hi")]))
      #expect(server.requests.first?.uri == "/v1/chat/completions")
      #expect(model.name == "openai/m")
    }
  }

  @Test func rolesAndJoinedText() async throws {
    let request = GenerateRequest(messages: [
      .system("Be brief."),
      Message(role: .user, content: [.text("Hello, "), .text("world")]),
      .model("Hi!"),
      .user("Again"),
    ])
    let (body, _) = try await sentBody(request)
    let messages = try #require(body["messages"]?.arrayValue)
    #expect(messages.map { $0["role"] } == ["system", "user", "assistant", "user"])
    #expect(messages.map { $0["content"] } == ["Be brief.", "Hello, world", "Hi!", "Again"])
  }

  @Test func toolCallsAndToolResponses() async throws {
    let request = GenerateRequest(
      messages: [
        .user("Weather in Paris and Rome?"),
        Message(
          role: .model,
          content: [
            .toolRequest(ToolRequest(name: "getWeather", ref: "call_1", input: ["city": "Paris"])),
            .toolRequest(ToolRequest(name: "getWeather", ref: "call_2", input: ["city": "Rome"])),
          ]),
        Message(
          role: .tool,
          content: [
            .toolResponse(ToolResponse(name: "getWeather", ref: "call_1", output: ["tempC": 21])),
            .toolResponse(ToolResponse(name: "getWeather", ref: "call_2", output: "sunny")),
          ]),
      ],
      tools: [weatherTool], toolChoice: "auto")
    let (body, _) = try await sentBody(request)
    let messages = try #require(body["messages"]?.arrayValue)
    #expect(messages.count == 4)
    let assistant = messages[1]
    #expect(assistant["role"] == "assistant")
    #expect(assistant["content"] == "")  // not null: llama-cpp-python rejects null
    let calls = try #require(assistant["tool_calls"]?.arrayValue)
    #expect(calls.count == 2)
    #expect(calls[0]["id"] == "call_1")
    #expect(calls[0]["type"] == "function")
    #expect(calls[0]["function"]?["name"] == "getWeather")
    let arguments = try #require(calls[0]["function"]?["arguments"]?.stringValue)
    #expect(try JSONValue(parsing: arguments) == ["city": "Paris"])
    #expect(messages[2] == ["role": "tool", "tool_call_id": "call_1", "content": #"{"tempC":21}"#])
    #expect(messages[3] == ["role": "tool", "tool_call_id": "call_2", "content": #""sunny""#])
  }

  @Test func toolsAndStringToolChoice() async throws {
    for choice in ["auto", "required", "none"] {
      let (body, _) = try await sentBody(
        GenerateRequest(messages: [.user("hi")], tools: [weatherTool], toolChoice: choice))
      #expect(body["tool_choice"] == .string(choice))
      let tools = try #require(body["tools"]?.arrayValue)
      #expect(tools.count == 1)
      #expect(tools[0]["type"] == "function")
      #expect(tools[0]["function"]?["name"] == "getWeather")
      #expect(tools[0]["function"]?["description"] == "Current weather for a city")
      let parameters = try #require(tools[0]["function"]?["parameters"])
      #expect(parameters["$schema"] == nil)
      #expect(parameters["properties"]?["city"]?["type"] == "string")
      #expect(parameters["required"] == ["city"])
    }
  }

  @Test func toolChoiceIsOmittedWhenNotGiven() async throws {
    let (body, _) = try await sentBody(GenerateRequest(messages: [.user("hi")], tools: [weatherTool]))
    #expect(body["tool_choice"] == nil)
    #expect(body["tools"] != nil)
  }

  @Test func generationConfig() async throws {
    let config = GenerationConfig(temperature: 0, maxOutputTokens: 64, topP: 0.9, stopSequences: ["END", "\n\n"])
    let (body, _) = try await sentBody(GenerateRequest(messages: [.user("hi")], config: config))
    #expect(body["temperature"] == 0)
    #expect(body["max_tokens"] == 64)
    #expect(body["top_p"] == 0.9)
    #expect(body["stop"] == ["END", "\n\n"])
  }

  @Test func topKAndProviderOptionsPassThrough() async throws {
    let config = GenerationConfig(temperature: 0, topK: 20, custom: ["seed": 7, "temperature": 1])
    let (body, _) = try await sentBody(GenerateRequest(messages: [.user("hi")], config: config))
    #expect(body["top_k"] == 20)
    #expect(body["seed"] == 7)
    #expect(body["temperature"] == 0, "a typed setting wins over a custom key of the same name")
  }

  @Test func structuredOutputAsJSONSchema() async throws {
    let schema: JSONValue = [
      "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
      "properties": ["name": ["type": "string"]],
    ]
    let request = GenerateRequest(messages: [.user("hi")], output: OutputConfig(format: "json", schema: schema))
    let (body, _) = try await sentBody(request)
    let format = try #require(body["response_format"])
    #expect(format["type"] == "json_schema")
    #expect(format["json_schema"]?["name"] == "output")
    #expect(format["json_schema"]?["schema"]?["properties"]?["name"]?["type"] == "string")
    #expect(format["json_schema"]?["schema"]?["$schema"] == nil)
  }

  @Test func structuredOutputAsJSONObjectWithSchema() async throws {
    let schema: JSONValue = ["type": "object", "properties": ["age": ["type": "integer"]]]
    let request = GenerateRequest(messages: [.user("hi")], output: OutputConfig(format: "json", schema: schema))
    let (body, _) = try await sentBody(request, responseFormat: .jsonObjectWithSchema)
    #expect(body["response_format"] == ["type": "json_object", "schema": schema])
  }

  @Test func streamingAsksForUsage() async throws {
    let (body, request) = try await sentBody(GenerateRequest(messages: [.user("hi")]), streaming: true)
    #expect(body["stream"] == true)
    #expect(body["stream_options"] == ["include_usage": true])
    #expect(request.header("accept") == "text/event-stream")
  }

  @Test func streamOptionsCanBeTurnedOff() async throws {
    try await withStub(.sse(sseFrames([textChunk("ok", finish: "stop")]))) { server in
      let model = makeModel(server, includeUsage: false)
      _ = try await model.generate(GenerateRequest(messages: [.user("hi")]), onChunk: { _ in })
      let body = try #require(server.bodies.first)
      #expect(body["stream"] == true)
      #expect(body["stream_options"] == nil)
    }
  }
}
