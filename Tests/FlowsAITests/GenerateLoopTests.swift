import Flows
import FlowsAI
import FlowsTestSupport
import Testing

/// The generate loop against a scripted model: turns, tool calls, tool errors, limits.
@Suite struct GenerateLoopTests {
  @Test func withoutToolsItIsOneTurnWithOneModelSpan() async throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(runtime, [.text("Ahoy!", usage: GenerationUsage(inputTokens: 5, outputTokens: 1))])
    let sub = runtime.bus.subscribe()
    let result = try await generate(
      model: scripted.model, prompt: "Say ahoy", system: "You are a pirate.", config: GenerationConfig(temperature: 0))

    #expect(result.text == "Ahoy!")
    #expect(result.turns == 1)
    #expect(result.usage == GenerationUsage(inputTokens: 5, outputTokens: 1, totalTokens: 6))
    #expect(result.messages == [.system("You are a pirate."), .user("Say ahoy"), .model("Ahoy!")])
    #expect(
      scripted.requests == [
        GenerateRequest(
          messages: [.system("You are a pirate."), .user("Say ahoy")], config: GenerationConfig(temperature: 0))
      ])

    let spans = endedSpans(sub.drain())
    #expect(spans.map(\.displayName) == ["test/scripted", "generate"])
    let generateSpan = try spans.named("generate")
    let modelSpan = try spans.named("test/scripted")
    #expect(modelSpan.parentSpanId == generateSpan.spanId)
    #expect(generateSpan.parentSpanId == nil)
    #expect(generateSpan.attr("genkit:type") == "util")
    #expect(generateSpan.attributes["genkit:metadata:subtype"] == nil)
    #expect(modelSpan.attr("genkit:type") == "action")
    #expect(modelSpan.attr("genkit:metadata:subtype") == "model")
    #expect(modelSpan.attr("genkit:key") == "/model/test/scripted")
    #expect(modelSpan.input == (try json(scripted.requests[0])))
    #expect(modelSpan.output?["message"] == (try json(Message.model("Ahoy!"))))
    #expect(generateSpan.input?["model"] == "test/scripted")
    #expect(generateSpan.input?["messages"] == (try json([Message.system("You are a pirate."), .user("Say ahoy")])))
    #expect(generateSpan.input?["config"] == ["temperature": 0])
    #expect(generateSpan.input?["tools"] == nil)
    #expect(generateSpan.output?["message"] == (try json(Message.model("Ahoy!"))))
  }

  @Test func oneToolCallRunsTheToolAndSendsItsResultBack() async throws {
    let runtime = FlowRuntime()
    let calls = Locked<[WeatherQuery]>([])
    let getWeather = runtime.defineTool("getWeather", description: "Weather in a city") {
      (query: WeatherQuery) async throws -> Weather in
      calls.append(query)
      return Weather(city: query.city, temperatureC: 18, conditions: "rainy")
    }
    let scripted = ScriptedModel(
      runtime,
      [
        .tool("getWeather", ["city": "Tortuga"], usage: GenerationUsage(inputTokens: 120, outputTokens: 12)),
        .text("Rainy in Tortuga: eat chowder.", usage: GenerationUsage(inputTokens: 92, outputTokens: 19)),
      ])

    let result = try await generate(model: scripted.model, prompt: "Invent a pirate dish", tools: [getWeather.erased])

    #expect(calls.value == [WeatherQuery(city: "Tortuga")])
    #expect(result.text == "Rainy in Tortuga: eat chowder.")
    #expect(result.turns == 2)
    #expect(result.usage == GenerationUsage(inputTokens: 212, outputTokens: 31, totalTokens: 243))
    #expect(scripted.remaining == 0)

    let requests = scripted.requests
    try #require(requests.count == 2)
    let definition = try #require(requests[0].tools?.first)
    #expect(definition.name == "getWeather")
    #expect(definition.description == "Weather in a city")
    #expect(definition.inputSchema?["properties"]?["city"]?["type"] == "string")
    #expect(definition.inputSchema?["required"] == ["city"])
    #expect(definition.outputSchema?["properties"]?["temperatureC"]?["type"] == "integer")
    #expect(requests[0].messages == [.user("Invent a pirate dish")])

    // The second request is the first plus the model's message (with a ref assigned) and the tool's answer.
    let expectedModelMessage = Message(
      role: .model, content: [toolRequest("getWeather", ["city": "Tortuga"], ref: "0")])
    let expectedToolMessage = Message(
      role: .tool,
      content: [
        .toolResponse(
          ToolResponse(
            name: "getWeather", ref: "0", output: ["city": "Tortuga", "temperatureC": 18, "conditions": "rainy"]))
      ])
    #expect(requests[1].messages == [.user("Invent a pirate dish"), expectedModelMessage, expectedToolMessage])
    #expect(requests[1].tools == requests[0].tools)
    #expect(result.messages == requests[1].messages + [.model("Rainy in Tortuga: eat chowder.")])
  }

  @Test func usageIsSummedOverTurnsEvenWhenAModelOmitsTheTotal() async throws {
    let runtime = FlowRuntime()
    let tool = runtime.defineTool("getWeather", description: "W") { (q: WeatherQuery) async throws -> String in q.city }
    // The first response is decoded from Genkit JSON whose usage has no totalTokens.
    let scripted = ScriptedModel(
      runtime,
      [
        ScriptedReply(response: try decode(GenerateResponse.self, GenkitTypesTests.responseJSON)),
        .text("done", usage: GenerationUsage(inputTokens: 92, outputTokens: 19)),
      ])
    let result = try await generate(model: scripted.model, prompt: "x", tools: [tool.erased])
    #expect(result.usage == GenerationUsage(inputTokens: 212, outputTokens: 31, totalTokens: 243))
  }

  @Test func aRefTheModelGaveIsKept() async throws {
    let runtime = FlowRuntime()
    let tool = runtime.defineTool("echo", description: "Echo") { (query: WeatherQuery) async throws -> String in
      query.city
    }
    let scripted = ScriptedModel(runtime, [.tool("echo", ["city": "Rome"], ref: "call_abc"), .text("done")])
    _ = try await generate(model: scripted.model, prompt: "go", tools: [tool.erased])
    let toolMessage = try #require(scripted.requests.last?.messages.last)
    #expect(toolMessage.role == .tool)
    #expect(toolMessage.content == [.toolResponse(ToolResponse(name: "echo", ref: "call_abc", output: "Rome"))])
    #expect(scripted.requests.last?.messages.dropLast().last?.toolRequests.first?.ref == "call_abc")
  }

  @Test func parallelToolRequestsRunConcurrentlyAndKeepRequestOrder() async throws {
    let runtime = FlowRuntime()
    let weatherStarted = Signal("getWeather started")
    let timeStarted = Signal("getTime started")
    let timeFinished = Signal("getTime finished")
    let getWeather = runtime.defineTool("getWeather", description: "Weather") {
      (query: WeatherQuery) async throws -> String in
      weatherStarted.fire()
      // Only continues once the other tool is running too: run one after the other, this would time out.
      try await timeStarted.wait()
      // And finishes after the other one, so completion order differs from request order.
      try await timeFinished.wait()
      return "sunny in \(query.city)"
    }
    let getTimeTool = runtime.defineTool("getTime", description: "Time") { (query: TimeQuery) async throws -> String in
      timeStarted.fire()
      try await weatherStarted.wait()
      return "12:00 \(query.zone)"
    }
    // The erased tool, announcing when its call (span included) is over.
    let getTime = AnyTool(definition: getTimeTool.definition) { input, _ in
      let output = try await getTimeTool.erased.call(input)
      timeFinished.fire()
      return output
    }
    let scripted = ScriptedModel(
      runtime,
      [
        .parts([toolRequest("getWeather", ["city": "Oslo"]), toolRequest("getTime", ["zone": "CET"])]),
        .text("Sunny, noon."),
      ])
    let sub = runtime.bus.subscribe()
    let result = try await generate(
      model: scripted.model, prompt: "Weather and time?", tools: [getWeather.erased, getTime])

    #expect(result.text == "Sunny, noon.")
    let toolMessage = try #require(scripted.requests.last?.messages.last)
    #expect(toolMessage.role == .tool)
    #expect(
      toolMessage.content == [
        .toolResponse(ToolResponse(name: "getWeather", ref: "0", output: "sunny in Oslo")),
        .toolResponse(ToolResponse(name: "getTime", ref: "1", output: "12:00 CET")),
      ])
    let modelMessage = try #require(scripted.requests.last?.messages.dropLast().last)
    #expect(modelMessage.toolRequests.map(\.ref) == ["0", "1"])

    let spans = endedSpans(sub.drain())
    let generateSpan = try #require(spans.all(named: "generate").first)
    #expect(try spans.named("getWeather").parentSpanId == generateSpan.spanId)
    #expect(try spans.named("getTime").parentSpanId == generateSpan.spanId)
    // getTime ended first even though it was requested second.
    let toolEndOrder = spans.map(\.displayName).filter { $0 == "getWeather" || $0 == "getTime" }
    #expect(toolEndOrder == ["getTime", "getWeather"])
  }

  @Test func aFailingToolIsReportedToTheModel() async throws {
    let runtime = FlowRuntime()
    let getWeather = runtime.defineTool("getWeather", description: "Weather") {
      (_: WeatherQuery) async throws -> String in
      throw FlowError(.unavailable, "weather API timed out")
    }
    let scripted = ScriptedModel(
      runtime, [.tool("getWeather", ["city": "Tortuga"]), .text("I could not check the weather.")])
    let sub = runtime.bus.subscribe()
    let result = try await generate(model: scripted.model, prompt: "Weather?", tools: [getWeather.erased])

    #expect(result.text == "I could not check the weather.")
    let toolMessage = try #require(scripted.requests.last?.messages.last)
    #expect(
      toolMessage.content == [
        .toolResponse(
          ToolResponse(name: "getWeather", ref: "0", output: ["error": "UNAVAILABLE: weather API timed out"]))
      ])

    let spans = endedSpans(sub.drain())
    let toolSpan = try spans.named("getWeather")
    #expect(toolSpan.attr("genkit:state") == "error")
    #expect(toolSpan.attributes["genkit:isFailureSource"] == true)
    #expect(toolSpan.attr("flowscope:status") == "UNAVAILABLE")
    #expect(toolSpan.status == SpanData.SpanStatus(code: 2, message: "weather API timed out"))
    #expect(toolSpan.input == ["city": "Tortuga"])
    #expect(toolSpan.output == nil)
    for span in spans.all(named: "generate") + spans.all(named: "test/scripted") {
      #expect(span.attr("genkit:state") == "success", "\(span.displayName) recovered from the tool failure")
      #expect(span.attributes["genkit:isFailureSource"] == nil)
    }
  }

  @Test func aToolThrowingAPlainErrorIsReportedAsInternal() async throws {
    let runtime = FlowRuntime()
    let tool = runtime.defineTool("explode", description: "Fails") { (_: WeatherQuery) async throws -> String in
      throw BoomError(reason: "fuse lit")
    }
    let scripted = ScriptedModel(runtime, [.tool("explode", ["city": "x"]), .text("ok")])
    _ = try await generate(model: scripted.model, prompt: "go", tools: [tool.erased])
    let output = scripted.requests.last?.messages.last?.content.first?.toolResponse?.output
    #expect(output == ["error": "INTERNAL: boom: fuse lit"])
  }

  @Test func withFailToolErrorsGenerateThrowsTheToolsError() async throws {
    let runtime = FlowRuntime()
    let getWeather = runtime.defineTool("getWeather", description: "Weather") {
      (_: WeatherQuery) async throws -> String in
      throw BoomError(reason: "no sky")
    }
    let scripted = ScriptedModel(runtime, [.tool("getWeather", ["city": "Tortuga"]), .text("never asked")])
    let sub = runtime.bus.subscribe()
    let error = await thrownError {
      try await generate(model: scripted.model, prompt: "Weather?", tools: [getWeather.erased], toolErrors: .fail)
    }
    let boom = try #require(error as? BoomError, "got \(String(describing: error))")
    #expect(boom.reason == "no sky")
    #expect(scripted.requests.count == 1, "the model is not called again")
    #expect(scripted.remaining == 1)

    let spans = endedSpans(sub.drain())
    let toolSpan = try spans.named("getWeather")
    let generateSpan = try spans.named("generate")
    #expect(toolSpan.attr("genkit:state") == "error")
    #expect(toolSpan.attributes["genkit:isFailureSource"] == true)
    #expect(generateSpan.attr("genkit:state") == "error")
    #expect(generateSpan.attributes["genkit:isFailureSource"] == nil, "the tool, not generate, is the failure source")
    #expect(try spans.named("test/scripted").attr("genkit:state") == "success")
  }

  @Test func aBadToolInputIsAFailedToolSpanAndAnErrorForTheModel() async throws {
    let runtime = FlowRuntime()
    let ran = Locked(false)
    let getWeather = runtime.defineTool("getWeather", description: "Weather") {
      (_: WeatherQuery) async throws -> String in
      ran.mutate { $0 = true }
      return "sunny"
    }
    let scripted = ScriptedModel(runtime, [.tool("getWeather", ["city": 42]), .text("sorry")])
    let sub = runtime.bus.subscribe()
    _ = try await generate(model: scripted.model, prompt: "Weather?", tools: [getWeather.erased])

    #expect(ran.value == false)
    let output = try #require(scripted.requests.last?.messages.last?.content.first?.toolResponse?.output)
    let message = try #require(output["error"]?.stringValue)
    #expect(message.hasPrefix("INVALID_ARGUMENT: tool getWeather: $.city"), "\(message)")

    let toolSpan = try endedSpans(sub.drain()).named("getWeather")
    #expect(toolSpan.attr("genkit:state") == "error")
    #expect(toolSpan.attr("flowscope:status") == "INVALID_ARGUMENT")
    #expect(toolSpan.attributes["genkit:isFailureSource"] == true)
    #expect(toolSpan.input == ["city": 42], "the span shows what the model sent")
    #expect(toolSpan.attr("genkit:key") == "/tool/getWeather")
  }

  @Test func anUnknownToolGetsAnErrorListingTheAvailableTools() async throws {
    let runtime = FlowRuntime()
    let getWeather = runtime.defineTool("getWeather", description: "Weather") {
      (q: WeatherQuery) async throws -> String in q.city
    }
    let getTime = runtime.defineTool("getTime", description: "Time") { (q: TimeQuery) async throws -> String in q.zone }
    let scripted = ScriptedModel(runtime, [.tool("getStockPrice", ["ticker": "GOOG"]), .text("I cannot do that.")])
    let sub = runtime.bus.subscribe()
    let result = try await generate(model: scripted.model, prompt: "GOOG?", tools: [getWeather.erased, getTime.erased])

    #expect(result.text == "I cannot do that.")
    let response = try #require(scripted.requests.last?.messages.last?.content.first?.toolResponse)
    #expect(response.name == "getStockPrice")
    #expect(response.ref == "0")
    let message = try #require(response.output?["error"]?.stringValue)
    #expect(message.hasPrefix("NOT_FOUND"))
    #expect(message.contains("getStockPrice"))
    #expect(message.contains("getWeather, getTime"))
    let names = endedSpans(sub.drain()).map(\.displayName)
    #expect(!names.contains("getStockPrice"))
    #expect(!names.contains("getWeather"))
  }

  @Test func aModelThatKeepsAskingForToolsIsAbortedAtMaxTurns() async throws {
    let runtime = FlowRuntime()
    let calls = Locked(0)
    let getWeather = runtime.defineTool("getWeather", description: "Weather") {
      (q: WeatherQuery) async throws -> String in
      calls.mutate { $0 += 1 }
      return "sunny in \(q.city)"
    }
    let scripted = ScriptedModel(
      runtime, Array(repeating: .tool("getWeather", ["city": "Paris"]), count: 3))
    let sub = runtime.bus.subscribe()
    let error = try await requireFlowError {
      try await generate(model: scripted.model, prompt: "Loop", tools: [getWeather.erased], maxTurns: 2)
    }
    #expect(error.status == .aborted)
    #expect(error.message.contains("getWeather"), "\(error.message)")
    #expect(error.message.contains("2"), "\(error.message)")
    #expect(scripted.requests.count == 2, "maxTurns bounds the number of model calls")
    #expect(calls.value == 1, "the tools of the last allowed turn are not run")

    let generates = endedSpans(sub.drain()).all(named: "generate")
    #expect(generates.count == 2)
    #expect(generates.allSatisfy { $0.attr("flowscope:status") == "ABORTED" })
    #expect(generates.last?.attributes["genkit:isFailureSource"] == true, "the innermost turn raised it")
  }

  @Test func maxTurnsOfOneAllowsASingleModelCall() async throws {
    let runtime = FlowRuntime()
    let tool = runtime.defineTool("getWeather", description: "W") { (q: WeatherQuery) async throws -> String in q.city }
    let scripted = ScriptedModel(runtime, [.tool("getWeather", ["city": "Paris"])])
    let error = try await requireFlowError {
      try await generate(model: scripted.model, prompt: "x", tools: [tool.erased], maxTurns: 1)
    }
    #expect(error.status == .aborted)
    #expect(scripted.requests.count == 1)
  }

  @Test func toolRequestsWithoutToolsEndTheLoop() async throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(runtime, [.tool("getWeather", ["city": "Paris"])])
    let result = try await generate(model: scripted.model, prompt: "x")
    #expect(result.turns == 1)
    #expect(result.response.toolRequests.map(\.name) == ["getWeather"])
    #expect(scripted.requests.first?.tools == nil)
  }

  @Test func toolChoiceAndOutputReachTheModel() async throws {
    let runtime = FlowRuntime()
    let tool = runtime.defineTool("getWeather", description: "W") { (q: WeatherQuery) async throws -> String in q.city }
    let scripted = ScriptedModel(runtime, [.text("fine")])
    _ = try await generate(
      model: scripted.model, prompt: "x", tools: [tool.erased], output: OutputConfig(format: "text"), toolChoice: "none"
    )
    #expect(scripted.requests.first?.toolChoice == "none")
    #expect(scripted.requests.first?.output == OutputConfig(format: "text"))
  }

  @Test func historyMessagesComeBetweenSystemAndPrompt() async throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(runtime, [.text("Third answer")])
    let history: [Message] = [.user("first"), .model("First answer")]
    let result = try await generate(model: scripted.model, prompt: "second", system: "sys", messages: history)
    #expect(
      scripted.requests.first?.messages == [.system("sys"), .user("first"), .model("First answer"), .user("second")])
    #expect(result.messages.last == .model("Third answer"))
  }

  @Test func generateNeedsAPromptOrMessages() async throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(runtime, [.text("unused")])
    let error = try await requireFlowError { try await generate(model: scripted.model) }
    #expect(error.status == .invalidArgument)
    #expect(scripted.requests.isEmpty)
  }

  @Test func aResponseWithoutAMessageIsAnInternalError() async throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(
      runtime,
      [ScriptedReply(response: GenerateResponse(message: nil, finishReason: .blocked, finishMessage: "safety"))])
    let error = try await requireFlowError { try await generate(model: scripted.model, prompt: "x") }
    #expect(error.status == .internal)
    #expect(error.message.contains("test/scripted"))
    #expect(error.message.contains("blocked"))
  }

  @Test func aFailingModelFailsGenerateWithTheModelAsFailureSource() async throws {
    let runtime = FlowRuntime()
    let model = runtime.defineModel("test/broken") { _, _ in throw FlowError(.resourceExhausted, "quota used up") }
    let sub = runtime.bus.subscribe()
    let error = try await requireFlowError { try await generate(model: model, prompt: "x") }
    #expect(error.status == .resourceExhausted)
    let spans = endedSpans(sub.drain())
    #expect(try spans.named("test/broken").attributes["genkit:isFailureSource"] == true)
    #expect(try spans.named("generate").attributes["genkit:isFailureSource"] == nil)
    #expect(try spans.named("generate").attr("flowscope:status") == "RESOURCE_EXHAUSTED")
  }
}
