import Flows
import FlowsAI
import FlowsTestSupport
import Testing

/// Models and tools as registered, traced actions, outside the generate loop.
@Suite struct ModelAndToolTests {
  @Test func modelsAreFoundByNameAndUnknownNamesListTheKnownOnes() throws {
    let runtime = FlowRuntime()
    let error = #expect(throws: FlowError.self) { try runtime.model(named: "test/scripted") }
    #expect(error?.status == .notFound)
    #expect(error?.message.contains("no models are registered") == true)

    _ = ScriptedModel(runtime, name: "test/b", [])
    _ = ScriptedModel(runtime, name: "test/a", [])
    #expect(try runtime.model(named: "test/a").name == "test/a")
    let missing = #expect(throws: FlowError.self) { try runtime.model(named: "googleai/gemini") }
    #expect(missing?.status == .notFound)
    #expect(missing?.message == "model 'googleai/gemini' not found (known models: test/a, test/b)")
  }

  @Test func modelsAndToolsAreRegisteredActions() throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(runtime, [])
    let tool = runtime.defineTool("getWeather", description: "Weather in a city") {
      (q: WeatherQuery) async throws -> Weather in
      Weather(city: q.city, temperatureC: 1, conditions: "cold")
    }
    #expect(scripted.model.key == "/model/test/scripted")
    let modelAction = try #require(runtime.registry.action(forKey: "/model/test/scripted"))
    #expect(modelAction.descriptor.actionType == "model")
    #expect(modelAction.descriptor.metadata["model"]?["supports"]?["tools"] == true)
    #expect(modelAction.descriptor.metadata["model"]?["supports"]?["output"] == ["text", "json"])

    let toolAction = try #require(runtime.registry.action(forKey: "/tool/getWeather"))
    #expect(toolAction.descriptor.actionType == "tool")
    #expect(toolAction.descriptor.description == "Weather in a city")
    #expect(toolAction.descriptor.inputSchema == tool.definition.inputSchema)
    #expect(tool.definition.inputSchema?["properties"]?["city"]?["type"] == "string")
    #expect(runtime.tool(named: "getWeather")?.definition == tool.definition)
    #expect(runtime.tool(named: "nope") == nil)
  }

  @Test func callingAToolDirectlyIsATracedToolSpan() async throws {
    let runtime = FlowRuntime()
    let tool = runtime.defineTool("getWeather", description: "Weather") { (q: WeatherQuery) async throws -> Weather in
      Weather(city: q.city, temperatureC: 4, conditions: "foggy")
    }
    let sub = runtime.bus.subscribe()
    let weather = try await tool(WeatherQuery(city: "London"))
    #expect(weather == Weather(city: "London", temperatureC: 4, conditions: "foggy"))
    let span = try endedSpans(sub.drain()).named("getWeather")
    #expect(span.attr("genkit:metadata:subtype") == "tool")
    #expect(span.attr("genkit:key") == "/tool/getWeather")
    #expect(span.attr("genkit:path") == "/{getWeather,t:action}")
    #expect(span.input == ["city": "London"])
    #expect(span.output == ["city": "London", "temperatureC": 4, "conditions": "foggy"])

    #expect(try await tool.erased.call(["city": "Oslo"]) == ["city": "Oslo", "temperatureC": 4, "conditions": "foggy"])
    let bad = try await requireFlowError { try await tool.erased.call(["town": "Oslo"]) }
    #expect(bad.status == .invalidArgument)
    #expect(bad.message.contains("$.city"), "\(bad.message)")
  }

  @Test func aModelRunsThroughItsJSONActionWithTheReferenceRequest() async throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(
      runtime,
      [
        ScriptedReply(
          chunks: ["Bla", "ck"], response: try decode(GenerateResponse.self, GenkitTypesTests.responseJSON))
      ])
    let action = try #require(runtime.registry.action(forKey: "/model/test/scripted"))
    let chunks = Locked<[JSONValue]>([])
    let result = try await action.run(
      try JSONValue(parsing: GenkitTypesTests.requestJSON), options: ActionRunOptions(onChunk: { chunks.append($0) }))
    #expect(result.result == (try JSONValue(parsing: GenkitTypesTests.responseJSON)))
    #expect(scripted.requests == [try decode(GenerateRequest.self, GenkitTypesTests.requestJSON)])
    #expect(
      chunks.value == [
        ["role": "model", "content": [["text": "Bla"]]], ["role": "model", "content": [["text": "ck"]]],
      ])
    #expect(result.traceId.count == 32)
  }

  @Test func theModelSchemasAcceptEveryPartKind() throws {
    let runtime = FlowRuntime()
    _ = ScriptedModel(runtime, [])
    let action = try #require(runtime.registry.action(forKey: "/model/test/scripted"))
    try action.validate(try JSONValue(parsing: GenkitTypesTests.requestJSON))
    let everyPart = GenerateRequest(messages: [
      Message(
        role: .tool,
        content: [
          .text("t"), .media(Media(url: "https://x/y.png")), toolRequest("a", ["k": 1], ref: "0"),
          .toolResponse(ToolResponse(name: "a", ref: "0", output: [1, 2])), .data(["any": true]),
        ])
    ])
    try action.validate(try json(everyPart))
    let unknownPart: JSONValue = ["messages": [["role": "user", "content": [["reasoning": "hmm"]]]]]
    let error = #expect(throws: FlowError.self) { try action.validate(unknownPart) }
    #expect(error?.status == .invalidArgument)
    #expect(error?.message.contains("$.messages[0].content[0]") == true, "\(error?.message ?? "")")

    let outputSchema = try #require(action.descriptor.outputSchema)
    let response = try JSONValue(parsing: GenkitTypesTests.responseJSON)
    #expect(SchemaValidator(schema: outputSchema).validate(response).isEmpty)
    let textResponse = try json(GenerateResponse(message: .model("hi"), finishReason: .stop))
    #expect(SchemaValidator(schema: outputSchema).validate(textResponse).isEmpty)
  }

  @Test func aToolRunsThroughItsJSONAction() async throws {
    let runtime = FlowRuntime()
    _ = runtime.defineTool("getWeather", description: "Weather") { (q: WeatherQuery) async throws -> String in
      "mild in \(q.city)"
    }
    let action = try #require(runtime.registry.action(forKey: "/tool/getWeather"))
    let sub = runtime.bus.subscribe()
    let result = try await action.run(["city": "Lisbon"])
    #expect(result.result == "mild in Lisbon")
    let span = try endedSpans(sub.drain()).named("getWeather")
    #expect(result.traceId == span.traceId)
    #expect(result.spanId == span.spanId)
    let invalid = try await requireFlowError { try await action.run(["city": 3]) }
    #expect(invalid.status == .invalidArgument)
  }

  @Test func modelAndToolActionsReportTheirTraceAsSoonAsTheyStart() async throws {
    let runtime = FlowRuntime()
    let events = Locked<[String]>([])
    let model = runtime.defineModel("test/ids") { _, _ in
      events.append("model body")
      return GenerateResponse(message: .model("ok"))
    }
    _ = runtime.defineTool("ids", description: "Ids") { (q: WeatherQuery) async throws -> String in
      events.append("tool body")
      return q.city
    }
    let started = Locked<[[String]]>([])
    let options = ActionRunOptions(onTraceStarted: { traceId, spanId in
      events.append("started")
      started.append([traceId, spanId])
    })
    let modelAction = try #require(runtime.registry.action(forKey: model.key))
    let modelResult = try await modelAction.run(try json(GenerateRequest(messages: [.user("x")])), options: options)
    let toolAction = try #require(runtime.registry.action(forKey: "/tool/ids"))
    let toolResult = try await toolAction.run(["city": "Oslo"], options: options)
    #expect(events.value == ["started", "model body", "started", "tool body"])
    #expect(started.value == [[modelResult.traceId, modelResult.spanId], [toolResult.traceId, toolResult.spanId]])
  }

  @Test func failedModelAndToolActionsCarryTheirTraceId() async throws {
    let runtime = FlowRuntime()
    let model = runtime.defineModel("test/failing") { _, _ in throw FlowError(.unavailable, "model down") }
    _ = runtime.defineTool("failing", description: "Fails") { (_: WeatherQuery) async throws -> String in
      throw BoomError(reason: "tool down")
    }
    let sub = runtime.bus.subscribe()
    let modelAction = try #require(runtime.registry.action(forKey: model.key))
    let modelError = try await requireFlowError {
      try await modelAction.run(try json(GenerateRequest(messages: [.user("x")])))
    }
    let toolAction = try #require(runtime.registry.action(forKey: "/tool/failing"))
    let toolError = try await requireFlowError { try await toolAction.run(["city": "Oslo"]) }
    let spans = endedSpans(sub.drain())
    #expect(modelError.status == .unavailable)
    #expect(modelError.traceId == (try spans.named("test/failing").traceId))
    #expect(toolError.status == .internal)
    #expect(toolError.message == "boom: tool down")
    #expect(toolError.traceId == (try spans.named("failing").traceId))
  }

  @Test func latencyIsFilledInWhenTheModelLeavesItOut() async throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(
      runtime, [.text("a"), ScriptedReply(response: GenerateResponse(message: .model("b"), latencyMs: 42))])
    let first = try await scripted.model.generate(GenerateRequest(messages: [.user("x")]))
    #expect((first.latencyMs ?? -1) >= 0)
    let second = try await scripted.model.generate(GenerateRequest(messages: [.user("y")]))
    #expect(second.latencyMs == 42)
  }
}
