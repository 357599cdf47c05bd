import Flows
import FlowsAI
import FlowsOpenAI
import FlowsTestSupport
import Testing

/// The installation found on this machine, if any (`scripts/install-llm.sh`).
private let installation = LocalModelServer.locateInstallation()

struct Person: Codable, Sendable {
  var name: String
  var age: Int
}

/// End-to-end against the real llama.cpp `llama-server` with small local models. Asserts
/// structure, never exact wording (temperature 0). Each test starts and stops its own server;
/// the suite is serialized so that only one model runs at a time on the CPU.
@Suite(
  "llama-server end to end",
  .serialized,
  .enabled(
    if: installation?.chatModel != nil && installation?.supportsTools == true,
    "llama-server is not installed: run scripts/install-llm.sh (looks in $FLOWSCOPE_LLM_DIR or ~/.cache/llm-server)")
)
struct LlamaServerEndToEndTests {
  /// Generous: the shared 2-core CI machine can be slow.
  static let requestTimeout: Duration = .seconds(600)

  /// Starts a server for `model`, registers it, runs `body`, and stops the server.
  func withServer<T>(
    model: KeyPath<LocalModelInstallation, String?>, alias: String, toolTemplate: Bool,
    _ body: (Model) async throws -> T
  ) async throws -> T {
    let installation = try #require(installation)
    let modelPath = try #require(installation[keyPath: model])
    var template: String?
    if toolTemplate { template = try #require(installation.toolChatTemplate as String?) }
    let server = try await LocalModelServer.start(
      installation, model: modelPath, alias: alias, chatTemplateFile: template, readinessTimeout: .seconds(120))
    defer { server.stop() }
    let runtime = FlowRuntime()
    let registered = runtime.defineOpenAICompatibleModel(
      name: "local/" + alias, configuration: server.configuration(timeout: Self.requestTimeout))
    return try await body(registered)
  }

  @Test func chat() async throws {
    try await withServer(model: \.chatModel, alias: "smollm2", toolTemplate: false) { model in
      let response = try await model.generate(
        GenerateRequest(
          messages: [.user("What is the capital of France? Answer in one sentence.")],
          config: GenerationConfig(temperature: 0, maxOutputTokens: 48)))
      #expect(!response.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
      #expect(response.finishReason == .stop)
      let usage = try #require(response.usage)
      #expect((usage.inputTokens ?? 0) > 0)
      #expect((usage.outputTokens ?? 0) > 0)
      #expect(usage.totalTokens == (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0))
    }
  }

  @Test func streaming() async throws {
    try await withServer(model: \.chatModel, alias: "smollm2", toolTemplate: false) { model in
      let chunks = Locked<[GenerateResponseChunk]>([])
      let response = try await model.generate(
        GenerateRequest(
          messages: [.user("Count from 1 to 10, separated by commas.")],
          config: GenerationConfig(temperature: 0, maxOutputTokens: 40))
      ) { chunks.append($0) }
      #expect(chunks.value.count > 3)
      #expect(response.text == chunks.value.map(\.text).joined())
      #expect(!response.text.isEmpty)
      #expect(response.finishReason == .stop || response.finishReason == .length)
      #expect(response.usage?.outputTokens != nil)
    }
  }

  /// A `getWeather` tool that records its inputs.
  func weatherTool(recording calls: Locked<[JSONValue]>) -> AnyTool {
    AnyTool(
      definition: ToolDefinition(
        name: "getWeather", description: "Get the current weather for a city",
        inputSchema: [
          "type": "object", "properties": ["city": ["type": "string", "description": "The city name"]],
          "required": ["city"],
        ])
    ) { input, _ in
      calls.append(input)
      return ["city": input["city"] ?? "unknown", "temperatureC": 21, "sky": "sunny"]
    }
  }

  /// Checks a tool-call turn followed by a text answer.
  func expectToolCallThenAnswer(_ result: GenerateResult, calls: [JSONValue]) throws {
    // Turn 1: the model asked for getWeather with JSON arguments naming a city.
    let firstTurn = try #require(result.messages.first { $0.role == .model })
    let request = try #require(firstTurn.toolRequests.first)
    #expect(request.name == "getWeather")
    let city = try #require(request.input?["city"]?.stringValue)
    #expect(!city.isEmpty)
    #expect(request.ref?.isEmpty == false)
    #expect(calls.count >= 1)
    // Then a plain text answer.
    #expect(result.turns >= 2)
    #expect(result.response.toolRequests.isEmpty)
    #expect(!result.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
  }

  @Test func toolCallThenAnswer() async throws {
    try await withServer(model: \.toolModel, alias: "qwen", toolTemplate: true) { model in
      let calls = Locked<[JSONValue]>([])
      let result = try await generate(
        model: model, prompt: "What is the weather in Paris?", tools: [weatherTool(recording: calls)],
        config: GenerationConfig(temperature: 0, maxOutputTokens: 80), toolChoice: "auto", maxTurns: 3)
      try expectToolCallThenAnswer(result, calls: calls.value)
    }
  }

  @Test func streamedToolCallThenAnswer() async throws {
    try await withServer(model: \.toolModel, alias: "qwen", toolTemplate: true) { model in
      let calls = Locked<[JSONValue]>([])
      let chunks = Locked<[GenerateResponseChunk]>([])
      let result = try await generate(
        model: model, prompt: "What is the weather in Paris?", tools: [weatherTool(recording: calls)],
        config: GenerationConfig(temperature: 0, maxOutputTokens: 80), toolChoice: "auto", maxTurns: 3
      ) { chunks.append($0) }
      try expectToolCallThenAnswer(result, calls: calls.value)
      // The final answer was streamed: the chunks of the last model turn spell it.
      let last = chunks.value.compactMap(\.index).max()
      #expect(last != nil && last != 0)
      #expect(chunks.value.filter { $0.index == last }.map(\.text).joined() == result.text)
    }
  }

  @Test func structuredOutput() async throws {
    try await withServer(model: \.toolModel, alias: "qwen", toolTemplate: true) { model in
      let person = try await generate(
        Person.self, model: model, prompt: "Give me a person named Alice who is 30 years old.",
        config: GenerationConfig(temperature: 0, maxOutputTokens: 60))
      #expect(!person.name.isEmpty)
      #expect(person.age >= 0)
    }
  }

  @Test func contextOverflowIsInvalidArgumentEvenWhenStreaming() async throws {
    try await withServer(model: \.chatModel, alias: "smollm2", toolTemplate: false) { model in
      let prompt = String(repeating: "word ", count: 5000)
      let error = try await requireFlowError {
        try await model.generate(
          GenerateRequest(messages: [.user(prompt)], config: GenerationConfig(maxOutputTokens: 5)), onChunk: { _ in })
      }
      #expect(error.status == .invalidArgument)
      #expect(error.message.contains("context"))
    }
  }
}
