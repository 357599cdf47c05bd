import Flows
import FlowsAI
import FlowsTestSupport
import Testing

/// A two-turn tool call inside a flow is traced the way Genkit's JS runtime traces it
/// (`genkit-protocol.md` §2.3 and §2.6).
@Suite struct TraceShapeTests {
  /// Runs the reference scenario: `agent` asks the model, which calls `getWeather` for Tortuga, then
  /// answers. Usage is 120/12 then 92/19 (212/31/243 in total, as in the reference trace).
  func runAgent() async throws -> (result: FlowResult<String>, spans: [SpanData]) {
    let runtime = FlowRuntime()
    let getWeather = runtime.defineTool("getWeather", description: "...") { (q: WeatherQuery) async throws -> String in
      q.city == "Tortuga" ? "rainy" : "sunny"
    }
    let scripted = ScriptedModel(
      runtime,
      [
        ScriptedReply(
          response: try decode(GenerateResponse.self, GenkitTypesTests.responseJSON)),
        .text("Blackbeard's Chowder", usage: GenerationUsage(inputTokens: 92, outputTokens: 19)),
      ])
    let agent = runtime.defineFlow("agent") { (prompt: String) in
      try await generate(model: scripted.model, prompt: prompt, tools: [getWeather.erased]).text
    }
    let sub = runtime.bus.subscribe()
    let result = try await agent.run("Invent a pirate dish")
    return (result, endedSpans(sub.drain()))
  }

  @Test func spansFormGenkitsTree() async throws {
    let (result, spans) = try await runAgent()
    #expect(result.output == "Blackbeard's Chowder")
    #expect(spans.count == 6)
    #expect(Set(spans.map(\.traceId)) == [result.traceId])

    let agent = try spans.named("agent")
    let generates = spans.all(named: "generate")
    let models = spans.all(named: "test/scripted")
    let tool = try spans.named("getWeather")
    try #require(generates.count == 2 && models.count == 2)
    let (outer, inner) = (generates[0], generates[1])

    #expect(agent.parentSpanId == nil)
    #expect(agent.spanId == result.spanId)
    #expect(outer.parentSpanId == agent.spanId)
    #expect(models[0].parentSpanId == outer.spanId)
    #expect(tool.parentSpanId == outer.spanId)
    #expect(inner.parentSpanId == outer.spanId, "the next turn nests in the previous turn's span")
    #expect(models[1].parentSpanId == inner.spanId)

    #expect(agent.attr("genkit:path") == "/{agent,t:flow}")
    #expect(outer.attr("genkit:path") == "/{agent,t:flow}/{generate,t:util}")
    #expect(models[0].attr("genkit:path") == "/{agent,t:flow}/{generate,t:util}/{test/scripted,t:action,s:model}")
    #expect(tool.attr("genkit:path") == "/{agent,t:flow}/{generate,t:util}/{getWeather,t:action,s:tool}")
    #expect(inner.attr("genkit:path") == "/{agent,t:flow}/{generate,t:util}/{generate,t:util}")
    #expect(
      models[1].attr("genkit:path")
        == "/{agent,t:flow}/{generate,t:util}/{generate,t:util}/{test/scripted,t:action,s:model}")

    #expect(agent.attr("genkit:type") == "action")
    #expect(agent.attr("genkit:metadata:subtype") == "flow")
    #expect(agent.attributes["genkit:isRoot"] == true)
    for span in generates {
      #expect(span.attr("genkit:type") == "util")
      #expect(span.attributes["genkit:metadata:subtype"] == nil)
      #expect(span.attributes["genkit:key"] == nil)
      #expect(span.attr("genkit:name") == "generate")
    }
    for span in models {
      #expect(span.attr("genkit:type") == "action")
      #expect(span.attr("genkit:metadata:subtype") == "model")
      #expect(span.attr("genkit:key") == "/model/test/scripted")
    }
    #expect(tool.attr("genkit:type") == "action")
    #expect(tool.attr("genkit:metadata:subtype") == "tool")
    #expect(tool.attr("genkit:key") == "/tool/getWeather")
    #expect(spans.allSatisfy { $0.attr("genkit:state") == "success" })
  }

  @Test func inputsAndOutputsMatchTheReferenceTrace() async throws {
    let (_, spans) = try await runAgent()
    let outer = try #require(spans.all(named: "generate").first)
    let firstModel = try #require(spans.all(named: "test/scripted").first)
    let tool = try spans.named("getWeather")

    // The model span: GenerateRequest in, GenerateResponse (with usage) out, as JSON strings.
    #expect(firstModel.input?["messages"] == [["role": "user", "content": [["text": "Invent a pirate dish"]]]])
    #expect(firstModel.input?["tools"]?[0]?["name"] == "getWeather")
    #expect(firstModel.input?["tools"]?[0]?["description"] == "...")
    #expect(firstModel.output == (try JSONValue(parsing: GenkitTypesTests.responseJSON)))
    #expect(firstModel.output?["usage"] == ["inputTokens": 120, "outputTokens": 12])
    #expect(try JSONValue(parsing: firstModel.attr("genkit:output") ?? "") == firstModel.output)

    // The tool span: the model's arguments in, the tool's result out.
    #expect(tool.attr("genkit:input") == #"{"city":"Tortuga"}"#)
    #expect(tool.attr("genkit:output") == #""rainy""#)

    // The generate span: GenerateActionOptions in (tools by name), the final response out.
    #expect(outer.input?["model"] == "test/scripted")
    #expect(outer.input?["messages"] == [["role": "user", "content": [["text": "Invent a pirate dish"]]]])
    #expect(outer.input?["tools"] == ["getWeather"])
    #expect(outer.output?["message"] == ["role": "model", "content": [["text": "Blackbeard's Chowder"]]])
    #expect(outer.output?["finishReason"] == "stop")

    // The second turn's request carries the whole conversation so far.
    let inner = try #require(spans.all(named: "generate").last)
    let innerMessages = try #require(inner.input?["messages"]?.arrayValue)
    #expect(innerMessages.count == 3)
    #expect(
      innerMessages[2] == [
        "role": "tool", "content": [["toolResponse": ["name": "getWeather", "ref": "0", "output": "rainy"]]],
      ])
  }

  @Test func traceTreeMatchesAndRollsUpUsage() async throws {
    let (_, spans) = try await runAgent()
    let tree = TraceTree(try traceData(spans))
    try #require(tree.roots.count == 1)
    let root = tree.roots[0]
    #expect(root.span.displayName == "agent")
    #expect(root.children.map(\.span.displayName) == ["generate"])
    let outer = root.children[0]
    #expect(outer.children.map(\.span.displayName) == ["test/scripted", "getWeather", "generate"])
    let inner = outer.children[2]
    #expect(inner.children.map(\.span.displayName) == ["test/scripted"])
    #expect(inner.children[0].children.isEmpty)

    #expect(outer.children[0].usage == TokenUsage(inputTokens: 120, outputTokens: 12, totalTokens: 132))
    #expect(outer.children[1].usage == nil, "tools use no tokens")
    #expect(inner.usage == TokenUsage(inputTokens: 92, outputTokens: 19, totalTokens: 111))
    #expect(outer.usage == TokenUsage(inputTokens: 212, outputTokens: 31, totalTokens: 243))
    #expect(root.usage == outer.usage)
    #expect(tree.failureSource == nil)
  }

  @Test func aFailedToolIsTheTreesFailureSource() async throws {
    let runtime = FlowRuntime()
    let getWeather = runtime.defineTool("getWeather", description: "...") { (_: WeatherQuery) async throws -> String in
      throw FlowError(.unavailable, "weather API timed out")
    }
    let scripted = ScriptedModel(runtime, [.tool("getWeather", ["city": "Tortuga"])])
    let agent = runtime.defineFlow("agent") { (prompt: String) in
      try await generate(model: scripted.model, prompt: prompt, tools: [getWeather.erased], toolErrors: .fail).text
    }
    let sub = runtime.bus.subscribe()
    let error = try await requireFlowError { try await agent("Invent a pirate dish") }
    #expect(error.status == .unavailable)
    let tree = TraceTree(try traceData(endedSpans(sub.drain())))
    let source = try #require(tree.failureSource)
    #expect(source.displayName == "getWeather")
    #expect(source.errorMessage == "weather API timed out")
    #expect(tree.roots.first?.span.isError == true)
  }
}
