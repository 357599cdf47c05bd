import Flows
import FlowsAI
import FlowsTestSupport
import Testing

/// The Genkit JSON shapes: values taken from the model span of the reference trace
/// (`genkit-protocol.md` §2.6) decode, and encode back to the same JSON.
@Suite struct GenkitTypesTests {
  /// `genkit:input` of the model span in the reference trace: a GenerateRequest.
  static let requestJSON = """
    {"messages":[{"role":"user","content":[{"text":"Invent a pirate dish"}]}],"config":{},\
    "tools":[{"name":"getWeather","description":"...","inputSchema":{}}]}
    """

  /// `genkit:output` of the model span: a GenerateResponse with a tool request and usage.
  static let responseJSON = """
    {"message":{"role":"model","content":[{"toolRequest":{"name":"getWeather","ref":"0","input":{"city":"Tortuga"}}}]},\
    "finishReason":"stop","usage":{"inputTokens":120,"outputTokens":12},"latencyMs":1146.2}
    """

  /// `genkit:output` of the generate span: a final text response with total tokens.
  static let finalResponseJSON = """
    {"message":{"role":"model","content":[{"text":"Blackbeard's Chowder"}]},"finishReason":"stop",\
    "usage":{"inputTokens":212,"outputTokens":31,"totalTokens":243}}
    """

  /// A streamed chunk (Genkit's GenerateResponseChunk).
  static let chunkJSON = #"{"role":"model","index":1,"content":[{"text":"Blackbeard's"}]}"#

  @Test func requestFromTheReferenceTraceRoundTrips() throws {
    let original = try JSONValue(parsing: Self.requestJSON)
    let request = try JSONValueDecoder().decode(GenerateRequest.self, from: original)
    #expect(request.messages == [.user("Invent a pirate dish")])
    #expect(request.messages[0].role == .user)
    #expect(request.config == GenerationConfig())
    let tool = try #require(request.tools?.first)
    #expect(tool.name == "getWeather")
    #expect(tool.description == "...")
    #expect(tool.inputSchema == .object([:]))
    #expect(tool.outputSchema == nil)
    #expect(request.toolChoice == nil)
    #expect(request.output == nil)
    #expect(try json(request) == original)
  }

  @Test func responseWithAToolRequestAndUsageRoundTrips() throws {
    let original = try JSONValue(parsing: Self.responseJSON)
    let response = try JSONValueDecoder().decode(GenerateResponse.self, from: original)
    #expect(response.finishReason == .stop)
    #expect(response.latencyMs == 1146.2)
    #expect(response.usage?.inputTokens == 120)
    #expect(response.usage?.outputTokens == 12)
    #expect(response.usage?.totalTokens == nil, "a decoded usage keeps totalTokens absent")
    #expect(response.message?.role == .model)
    #expect(response.toolRequests == [ToolRequest(name: "getWeather", ref: "0", input: ["city": "Tortuga"])])
    #expect(response.text == "")
    #expect(try json(response) == original)
  }

  @Test func finalResponseRoundTrips() throws {
    let original = try JSONValue(parsing: Self.finalResponseJSON)
    let response = try JSONValueDecoder().decode(GenerateResponse.self, from: original)
    #expect(response.text == "Blackbeard's Chowder")
    #expect(response.usage == GenerationUsage(inputTokens: 212, outputTokens: 31, totalTokens: 243))
    #expect(response.toolRequests.isEmpty)
    #expect(try json(response) == original)
  }

  @Test func chunkRoundTrips() throws {
    let original = try JSONValue(parsing: Self.chunkJSON)
    let chunk = try JSONValueDecoder().decode(GenerateResponseChunk.self, from: original)
    #expect(chunk == GenerateResponseChunk(role: .model, index: 1, content: [.text("Blackbeard's")]))
    #expect(chunk.text == "Blackbeard's")
    #expect(try json(chunk) == original)
  }

  @Test func everyPartKindEncodesAsGenkitDoes() throws {
    let message = Message(
      role: .tool,
      content: [
        .text("hi"),
        .media(Media(url: "data:image/png;base64,AAAA", contentType: "image/png")),
        .toolRequest(ToolRequest(name: "getWeather", ref: "0", input: ["city": "Paris"])),
        .toolResponse(ToolResponse(name: "getWeather", ref: "0", output: "rainy")),
        .data(["k": [1, 2]]),
      ],
      metadata: ["source": "test"])
    let expected = try JSONValue(
      parsing: """
        {"role":"tool","content":[{"text":"hi"},{"media":{"url":"data:image/png;base64,AAAA","contentType":"image/png"}},\
        {"toolRequest":{"name":"getWeather","ref":"0","input":{"city":"Paris"}}},\
        {"toolResponse":{"name":"getWeather","ref":"0","output":"rainy"}},{"data":{"k":[1,2]}}],"metadata":{"source":"test"}}
        """)
    #expect(try json(message) == expected)
    #expect(try JSONValueDecoder().decode(Message.self, from: expected) == message)
  }

  @Test func partWithoutAKnownKeyIsADecodingError() {
    #expect(throws: DecodingError.self) { try decode(Part.self, #"{"reasoning":"hmm"}"#) }
  }

  @Test func rolesAndFinishReasonsUseGenkitNames() throws {
    #expect(Role.allCases.map(\.rawValue) == ["user", "model", "system", "tool"])
    #expect(try decode(FinishReason.self, #""length""#) == .length)
    #expect(try decode(FinishReason.self, #""blocked""#) == .blocked)
    #expect(try decode(FinishReason.self, #""somethingNew""#) == .unknown, "an unknown reason does not fail decoding")
  }

  @Test func requestWithEveryOptionRoundTrips() throws {
    let original = try JSONValue(
      parsing: """
        {"messages":[{"role":"system","content":[{"text":"Be brief."}]},{"role":"user","content":[{"text":"Hi"}]}],\
        "config":{"temperature":0.2,"maxOutputTokens":100,"topP":0.9,"stopSequences":["END"]},\
        "tools":[{"name":"t","description":"d","inputSchema":{"type":"object"},"outputSchema":{"type":"string"}}],\
        "toolChoice":"required","output":{"format":"json","schema":{"type":"object"},"constrained":true}}
        """)
    let request = try JSONValueDecoder().decode(GenerateRequest.self, from: original)
    #expect(
      request.config == GenerationConfig(temperature: 0.2, maxOutputTokens: 100, topP: 0.9, stopSequences: ["END"]))
    #expect(request.toolChoice == "required")
    #expect(request.output == OutputConfig(format: "json", schema: ["type": "object"], constrained: true))
    #expect(try json(request) == original)
  }

  @Test func usageAddsUpAndDerivesTheTotal() {
    #expect(GenerationUsage(inputTokens: 3, outputTokens: 4).totalTokens == 7)
    let sum = GenerationUsage(inputTokens: 120, outputTokens: 12) + GenerationUsage(inputTokens: 92, outputTokens: 19)
    #expect(sum == GenerationUsage(inputTokens: 212, outputTokens: 31, totalTokens: 243))
    #expect(GenerationUsage() + GenerationUsage() == GenerationUsage(), "absent counts stay absent")
  }

  @Test func aDecodedUsageWithoutTotalStillCountsTowardsTheSum() throws {
    let decoded = try decode(GenerationUsage.self, #"{"inputTokens":120,"outputTokens":12}"#)
    #expect(decoded.totalTokens == nil)
    let sum = decoded + GenerationUsage(inputTokens: 92, outputTokens: 19)
    #expect(sum == GenerationUsage(inputTokens: 212, outputTokens: 31, totalTokens: 243))
    #expect((GenerationUsage(inputTokens: 92, outputTokens: 19) + decoded).totalTokens == 243)
    #expect((GenerationUsage(inputTokens: 5) + GenerationUsage(inputTokens: 6)).totalTokens == nil)
  }

  @Test func messageHelpers() {
    let message = Message(
      role: .model,
      content: [.text("Let me check. "), toolRequest("a", [:]), .text("One moment."), toolRequest("b", ["x": 1])])
    #expect(message.text == "Let me check. One moment.")
    #expect(message.toolRequests.map(\.name) == ["a", "b"])
    #expect(Message.system("s").role == .system)
    #expect(Message.model("m").content == [.text("m")])
  }
}

@Suite struct GenerationConfigTests {
  @Test func unknownSettingsAreKeptAndPassedThrough() throws {
    let json: JSONValue = ["temperature": 0.2, "topK": 40, "seed": 7, "version": "beta"]
    let config = try JSONValueDecoder().decode(GenerationConfig.self, from: json)
    #expect(config.temperature == 0.2)
    #expect(config.topK == 40)
    #expect(config.custom["seed"] == 7)
    #expect(config.custom["version"] == "beta")
    #expect(try JSONValueEncoder().encode(config) == json)
  }

  @Test func modelActionAcceptsProviderConfigThroughJSON() async throws {
    let runtime = FlowRuntime()
    runtime.defineModel("test/echo") { request, _ in
      GenerateResponse(message: .model(request.config?.custom["seed"]?.serialized() ?? "none"), finishReason: .stop)
    }
    let action = try #require(runtime.registry.action(forKey: "/model/test/echo"))
    let result = try await action.run([
      "messages": [["role": "user", "content": [["text": "hi"]]]], "config": ["topK": 3, "seed": 42],
    ])
    #expect(result.result["message"]?["content"]?[0]?["text"] == "42")
  }

  @Test func wrongTypeForAKnownSettingIsRejectedWithItsPath() async throws {
    let runtime = FlowRuntime()
    runtime.defineModel("test/echo") { _, _ in GenerateResponse(message: .model("x")) }
    let action = try #require(runtime.registry.action(forKey: "/model/test/echo"))
    let error = try await requireFlowError {
      try await action.run(["messages": [], "config": ["temperature": "hot"]])
    }
    #expect(error.status == .invalidArgument)
    #expect(error.message.contains("$.config.temperature: expected number, got string"))
  }
}
