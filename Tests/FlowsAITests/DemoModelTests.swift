import Flows
import FlowsAI
import FlowsTestSupport
import Testing

struct Recipe: Codable, Sendable, Equatable {
  var name: String
  var ingredients: [String]
  var minutes: Int
  var vegetarian: Bool
}

/// The offline demo model (`demo/assistant`).
@Suite struct DemoModelTests {
  /// A runtime with the demo model (no pacing), `getWeather`, `searchRestaurants` and a
  /// `weatherAgent` flow; tool calls are recorded in order.
  struct Setup {
    let runtime = FlowRuntime()
    let calls = Locked<[String]>([])
    let model: Model
    let tools: [AnyTool]
    let agent: Flow<String, String, Never>

    init() {
      model = DemoModel.register(in: runtime, paceMilliseconds: 0)
      let calls = self.calls
      let getWeather = runtime.defineTool("getWeather", description: "Current weather for a city.") {
        (query: WeatherQuery) async throws -> Weather in
        calls.append("getWeather(\(query.city))")
        return Weather(city: query.city, temperatureC: 19, conditions: "sunny")
      }
      let searchRestaurants = runtime.defineTool("searchRestaurants", description: "Restaurants in a city.") {
        (query: RestaurantQuery) async throws -> [Restaurant] in
        calls.append("searchRestaurants(\(query.city), \(query.cuisine ?? "-"))")
        return [Restaurant(name: "The Golden Fork", rating: 4.8), Restaurant(name: "Chez \(query.city)", rating: 4.5)]
      }
      let tools = [getWeather.erased, searchRestaurants.erased]
      self.tools = tools
      let model = self.model
      agent = runtime.defineFlow("weatherAgent") { (prompt: String) in
        try await generate(model: model, prompt: prompt, tools: tools).text
      }
    }
  }

  static let weatherPrompt = "What is the weather in Paris, and where should I eat tonight?"

  @Test func isRegisteredAsAModel() throws {
    let setup = Setup()
    #expect(setup.model.name == DemoModel.name)
    #expect(setup.model.name == "demo/assistant")
    #expect(try setup.runtime.model(named: "demo/assistant").key == "/model/demo/assistant")
    let action = try #require(setup.runtime.registry.action(forKey: "/model/demo/assistant"))
    #expect(action.descriptor.actionType == "model")
    #expect(action.descriptor.metadata["model"]?["supports"]?["tools"] == true)
  }

  @Test func weatherAgentCallsEachToolInOrderWithTheCityFromThePrompt() async throws {
    let setup = Setup()
    let sub = setup.runtime.bus.subscribe()
    let result = try await setup.agent.run(Self.weatherPrompt)

    #expect(setup.calls.value == ["getWeather(Paris)", "searchRestaurants(Paris, local)"])
    let text = result.output
    #expect(text.contains("getWeather"), "\(text)")
    #expect(text.contains("sunny"), "\(text)")
    #expect(text.contains("19"), "\(text)")
    #expect(text.contains("The Golden Fork"), "\(text)")
    #expect(text.contains("Chez Paris"), "\(text)")

    let events = sub.drain()
    let spans = endedSpans(events)
    #expect(spans.all(named: "demo/assistant").count == 3, "one turn per tool, then the answer")
    let weatherSpan = try spans.named("getWeather")
    let restaurantSpan = try spans.named("searchRestaurants")
    #expect(weatherSpan.input == ["city": "Paris"])
    #expect(restaurantSpan.input == ["city": "Paris", "cuisine": "local"])
    let order = events.compactMap { event -> String? in
      switch event {
      case .spanStarted(let span) where span.kind == .tool: return "start:\(span.name)"
      case .spanEnded(let span, _) where span.kind == .tool: return "end:\(span.name)"
      default: return nil
      }
    }
    #expect(
      order == ["start:getWeather", "end:getWeather", "start:searchRestaurants", "end:searchRestaurants"],
      "tools run one per turn, in order")
    #expect(spans.allSatisfy { $0.attr("genkit:state") == "success" })
    let tree = TraceTree(try traceData(spans))
    #expect((tree.roots.first?.usage?.totalTokens ?? 0) > 0, "the demo model reports usage")
  }

  @Test func usageIsReportedForEveryCall() async throws {
    let setup = Setup()
    let result = try await generate(model: setup.model, prompt: Self.weatherPrompt, tools: setup.tools)
    #expect(result.turns == 3)
    let usage = result.usage
    #expect((usage.inputTokens ?? 0) > 0)
    #expect((usage.outputTokens ?? 0) > 0)
    #expect(usage.totalTokens == (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0))
    #expect(result.response.finishReason == .stop)
    #expect(result.response.latencyMs != nil)
  }

  @Test func streamsTheAnswerWordByWord() async throws {
    let setup = Setup()
    let chunks = Locked<[GenerateResponseChunk]>([])
    let result = try await generate(
      model: setup.model, prompt: "Tell me a joke about compilers", onChunk: { chunks.append($0) })
    let received = chunks.value
    #expect(received.count > 3, "\(received.count) chunks")
    #expect(received.map(\.text).joined() == result.text)
    #expect(received.allSatisfy { $0.index == 0 })
    #expect(result.text.split(separator: " ").count == received.count)
  }

  @Test func streamsOnlyTheFinalTurnOfAToolRun() async throws {
    let setup = Setup()
    let chunks = Locked<[GenerateResponseChunk]>([])
    let result = try await generate(
      model: setup.model, prompt: Self.weatherPrompt, tools: setup.tools, onChunk: { chunks.append($0) })
    let received = chunks.value
    #expect(received.count > 3)
    #expect(Set(received.compactMap(\.index)) == [4], "only the third model turn (message 4) streams text")
    #expect(received.map(\.text).joined() == result.text)
  }

  @Test func structuredOutputDecodesIntoAStruct() async throws {
    let setup = Setup()
    let recipe = try await generate(Recipe.self, model: setup.model, prompt: "Give a short recipe for pancakes")
    #expect(
      recipe == Recipe(name: "Pancakes", ingredients: ["pancakes", "salt", "water"], minutes: 20, vegetarian: true))
  }

  @Test func structuredOutputAfterTools() async throws {
    let setup = Setup()
    let forecast = try await generate(
      Forecast.self, model: setup.model, prompt: "Forecast for Paris please", tools: setup.tools)
    #expect(forecast.city == "Paris")
    #expect(setup.calls.value == ["getWeather(Paris)", "searchRestaurants(Paris, local)"])
  }

  @Test func isDeterministic() async throws {
    var texts: [String] = []
    var usages: [GenerationUsage] = []
    for _ in 0..<2 {
      let setup = Setup()
      let result = try await generate(model: setup.model, prompt: Self.weatherPrompt, tools: setup.tools)
      texts.append(result.text)
      usages.append(result.usage)
    }
    #expect(texts[0] == texts[1])
    #expect(usages[0] == usages[1])
    let setup = Setup()
    let first = try await setup.agent(Self.weatherPrompt)
    let second = try await setup.agent(Self.weatherPrompt)
    #expect(first == second)
    #expect(first == texts[0])
  }

  @Test func toolChoiceNoneAnswersWithoutTools() async throws {
    let setup = Setup()
    let result = try await generate(
      model: setup.model, prompt: Self.weatherPrompt, tools: setup.tools, toolChoice: "none")
    #expect(setup.calls.value.isEmpty)
    #expect(result.turns == 1)
    #expect(result.text.contains("Paris"))
  }

  @Test func aFailingToolIsMentionedInTheAnswer() async throws {
    let runtime = FlowRuntime()
    let model = DemoModel.register(in: runtime, paceMilliseconds: 0)
    let broken = runtime.defineTool("getWeather", description: "Weather") { (_: WeatherQuery) async throws -> String in
      throw FlowError(.unavailable, "weather service down")
    }
    let result = try await generate(model: model, prompt: Self.weatherPrompt, tools: [broken.erased])
    #expect(result.text.contains("getWeather tool failed"), "\(result.text)")
    #expect(result.text.contains("weather service down"), "\(result.text)")
  }

  @Test func aCityIsTakenFromThePromptEvenWhenUnknown() async throws {
    let setup = Setup()
    _ = try await generate(model: setup.model, prompt: "Is it raining in Reykjavik today?", tools: [setup.tools[0]])
    #expect(setup.calls.value == ["getWeather(Reykjavik)"])
  }

  @Test func aCityMustBeAWholeWord() async throws {
    let setup = Setup()
    _ = try await generate(
      model: setup.model, prompt: "Will it rain in Bergen? I need to know if my chromebook stays dry.",
      tools: [setup.tools[0]])
    _ = try await generate(model: setup.model, prompt: "Weather for New York please", tools: [setup.tools[0]])
    #expect(setup.calls.value == ["getWeather(Bergen)", "getWeather(New York)"])
  }

  @Test func aNewQuestionInAConversationCallsTheToolsAgain() async throws {
    let setup = Setup()
    let first = try await generate(model: setup.model, prompt: "What is the weather in Paris?", tools: [setup.tools[0]])
    let second = try await generate(
      model: setup.model, prompt: "And what is the weather in London?", messages: first.messages,
      tools: [setup.tools[0]])
    #expect(setup.calls.value == ["getWeather(Paris)", "getWeather(London)"])
    #expect(second.text.contains("city London"), "\(second.text)")
    #expect(!second.text.contains("city Paris"), "only this question's tool results are summarised: \(second.text)")
  }

  @Test func onlyAGreetingGetsTheGreetingReply() async throws {
    let setup = Setup()
    let hello = try await generate(model: setup.model, prompt: "hi there")
    #expect(hello.text.hasPrefix("Hello!"))
    for prompt in ["history of the Roman empire", "tell me about Delhi traffic"] {
      let reply = try await generate(model: setup.model, prompt: prompt)
      #expect(!reply.text.hasPrefix("Hello!"), "\(prompt) → \(reply.text)")
    }
  }
}
