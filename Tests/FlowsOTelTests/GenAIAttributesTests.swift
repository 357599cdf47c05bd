import Flows
import FlowsAI
import FlowsOTel
import FlowsTestSupport
import Testing

/// `GenAIAttributes` on spans of real FlowsAI runs.
@Suite struct GenAIAttributesTests {
  typealias Key = GenAIAttributes.Key

  /// Runs the `agent` flow and returns its ended spans in Genkit form.
  func agentSpans() async throws -> [SpanData] {
    let flows = ExportFlows()
    let subscription = flows.runtime.bus.subscribe()
    #expect(try await flows.agent("Weather in Tortuga?") == "Bring an umbrella")
    return endedSpans(subscription.drain())
  }

  @Test func modelSpansGetChatAttributes() async throws {
    let spans = try await agentSpans()
    let models = spans.filter { $0.displayName == "googleai/gemini-test" }.sorted { $0.startTime < $1.startTime }
    try #require(models.count == 2)

    let first = GenAIAttributes.attributes(for: models[0])
    #expect(first[Key.operationName] == "chat")
    #expect(first[Key.providerName] == "gcp.gemini")
    #expect(first[Key.system] == "gcp.gemini")
    #expect(first[Key.requestModel] == "gemini-test")
    #expect(first[Key.requestTemperature] == .number(0.3))
    #expect(first[Key.requestMaxTokens] == .integer(256))
    #expect(first[Key.requestTopP] == .number(0.9))
    #expect(first[Key.requestTopK] == nil)
    #expect(first[Key.requestStopSequences] == ["END"])
    #expect(first[Key.usageInputTokens] == .integer(120))
    #expect(first[Key.usageOutputTokens] == .integer(12))
    #expect(first[Key.responseFinishReasons] == ["stop"])
    #expect(first[Key.errorType] == nil)
    #expect(first[Key.outputType] == nil)

    let second = GenAIAttributes.attributes(for: models[1])
    #expect(second[Key.usageInputTokens] == .integer(92))
    #expect(second[Key.usageOutputTokens] == .integer(19))
  }

  @Test func toolSpansGetExecuteToolAttributesAndTheCallFromTheModel() async throws {
    let spans = try await agentSpans()
    let tool = try spans.named("getWeather")
    let model = try #require(
      spans.filter { $0.displayName == "googleai/gemini-test" }.min { $0.startTime < $1.startTime })

    let calls = GenAIAttributes.toolCalls(requestedBy: model)
    #expect(
      calls == [
        GenAIAttributes.ToolCall(
          name: "getWeather", id: "call-1", description: "Current weather in a city", arguments: ["city": "Tortuga"])
      ])

    let attributes = GenAIAttributes.attributes(for: tool, toolCall: calls.first)
    #expect(attributes[Key.operationName] == "execute_tool")
    #expect(attributes[Key.toolName] == "getWeather")
    #expect(attributes[Key.toolType] == "function")
    #expect(attributes[Key.toolCallId] == "call-1")
    #expect(attributes[Key.toolDescription] == "Current weather in a city")

    let unknownCall = GenAIAttributes.attributes(for: tool)
    #expect(unknownCall[Key.toolCallId] == nil && unknownCall[Key.toolName] == "getWeather")
  }

  @Test func flowsStepsAndGenerateTurnsGetNothing() async throws {
    let spans = try await agentSpans()
    let others = spans.filter { $0.displayName == "agent" || $0.displayName == "generate" }
    #expect(others.count == 3)
    for span in others { #expect(GenAIAttributes.attributes(for: span).isEmpty, "\(span.displayName)") }
    let flows = ExportFlows()
    let subscription = flows.runtime.bus.subscribe()
    _ = try await flows.steps("abc")
    for span in endedSpans(subscription.drain()) {
      #expect(GenAIAttributes.attributes(for: span).isEmpty, "\(span.displayName)")
    }
  }

  @Test func aFailedModelCallHasAnErrorType() async throws {
    let runtime = FlowRuntime()
    let model = scriptedModel(runtime, name: "openai/gpt-test", [])
    let flow = runtime.defineFlow("ask") { (prompt: String) in try await generate(model: model, prompt: prompt).text }
    let subscription = runtime.bus.subscribe()
    _ = await thrownError { try await flow("hi") }
    let span = try endedSpans(subscription.drain()).named("openai/gpt-test")
    let attributes = GenAIAttributes.attributes(for: span)
    #expect(attributes[Key.errorType] == "FAILED_PRECONDITION")
    #expect(attributes[Key.providerName] == "openai")
    #expect(attributes[Key.requestModel] == "gpt-test")
    #expect(attributes[Key.usageInputTokens] == nil && attributes[Key.responseFinishReasons] == nil)
  }

  @Test func configVersionOutputFormatAndUnprefixedNames() async throws {
    let runtime = FlowRuntime()
    let model = scriptedModel(
      runtime, name: "local-model", [textTurn(#"{"ok":true}"#, usage: GenerationUsage(inputTokens: 3, outputTokens: 4))]
    )
    let flow = runtime.defineFlow("ask") { (prompt: String) in
      try await generate(
        model: model, prompt: prompt, config: GenerationConfig(topK: 40, custom: ["version": "local-model-002"]),
        output: OutputConfig(format: "json")
      ).text
    }
    let subscription = runtime.bus.subscribe()
    _ = try await flow("hi")
    let attributes = GenAIAttributes.attributes(for: try endedSpans(subscription.drain()).named("local-model"))
    #expect(attributes[Key.providerName] == .string(GenAIProvider.fallback))
    #expect(attributes[Key.requestModel] == "local-model-002", "config.version picks the model version")
    #expect(attributes[Key.requestTopK] == .number(40))
    #expect(attributes[Key.outputType] == "json")
  }

  @Test func runningModelSpansHaveRequestAttributesOnly() async throws {
    let runtime = FlowRuntime()
    let started = Signal()
    let release = Signal()
    let model = runtime.defineModel("anthropic/claude-test") { _, _ in
      started.fire()
      await release.wait()
      return textTurn("done", usage: GenerationUsage(inputTokens: 1, outputTokens: 1))
    }
    let subscription = runtime.bus.subscribe()
    let call = Task {
      try await generate(model: model, prompt: "hi", config: GenerationConfig(temperature: 1)).text
    }
    await started.wait()
    let starts = subscription.drain().compactMap { event -> SpanInfo? in
      if case .spanStarted(let info) = event, info.name == "anthropic/claude-test" { return info }
      return nil
    }
    let info = try #require(starts.first)
    let running = GenAIAttributes.attributes(for: info, outcome: nil)
    #expect(running[Key.providerName] == "anthropic" && running[Key.requestTemperature] == .number(1))
    #expect(running[Key.usageInputTokens] == nil)
    release.fire()
    _ = try await call.value
  }

  @Test func olderCandidateResponsesAndHandMadeSpans() {
    let span = SpanData(
      spanId: "s", traceId: "t", startTime: 1, endTime: 2,
      attributes: [
        "genkit:type": "action", "genkit:metadata:subtype": "model", "genkit:name": "vertexai/gemini-1.0-pro",
        "genkit:output": .string(
          #"{"candidates":[{"finishReason":"length","message":{"role":"model","content":[{"toolRequest":{"name":"a","ref":"r1","input":{}}}]}}],"usage":{"inputTokens":5}}"#
        ),
        "genkit:state": "success",
      ], displayName: "vertexai/gemini-1.0-pro")
    let attributes = GenAIAttributes.attributes(for: span)
    #expect(attributes[Key.providerName] == "gcp.vertex_ai")
    #expect(attributes[Key.responseFinishReasons] == ["length"])
    #expect(attributes[Key.usageInputTokens] == .integer(5))
    #expect(attributes[Key.usageOutputTokens] == nil)
    #expect(
      GenAIAttributes.toolCalls(requestedBy: span) == [GenAIAttributes.ToolCall(name: "a", id: "r1", arguments: [:])])

    var flowStep = span
    flowStep.attributes["genkit:type"] = "flowStep"
    #expect(GenAIAttributes.attributes(for: flowStep).isEmpty)
  }

  @Test func providerNamesFollowTheSemanticConventions() {
    #expect(GenAIProvider.split(modelName: "googleai/gemini-2.5-flash") == ("gcp.gemini", "gemini-2.5-flash"))
    #expect(GenAIProvider.split(modelName: "OpenAI/gpt-4o") == ("openai", "gpt-4o"))
    #expect(GenAIProvider.split(modelName: "ollama/llama3.2") == ("ollama", "llama3.2"))
    #expect(
      GenAIProvider.split(modelName: "vertexai/publishers/x/models/y") == ("gcp.vertex_ai", "publishers/x/models/y"))
    #expect(GenAIProvider.split(modelName: "demo") == ("flowscope", "demo"))
    #expect(GenAIProvider.split(modelName: "/odd") == ("flowscope", "/odd"))
    #expect(GenAIProvider.split(modelName: "trailing/") == ("trailing", "trailing/"))
  }
}
