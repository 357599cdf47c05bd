import Flows
import FlowsAI
import FlowsTestSupport
import Testing

struct Forecast: Codable, Sendable, Equatable {
  var city: String
  var temperatureC: Int
  var conditions: [String]
}

/// `generate(T.self, …)`: the schema goes to the model, its text comes back as a `T`.
@Suite struct StructuredOutputTests {
  @Test func validJSONDecodesAndTheRequestCarriesTheSchema() async throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(runtime, [.text(#"{"city":"Paris","temperatureC":21,"conditions":["sunny","calm"]}"#)])
    let forecast = try await generate(Forecast.self, model: scripted.model, prompt: "Forecast for Paris")
    #expect(forecast == Forecast(city: "Paris", temperatureC: 21, conditions: ["sunny", "calm"]))

    let output = try #require(scripted.requests.first?.output)
    #expect(output.format == "json")
    #expect(output.constrained == true)
    #expect(output.schema == (try JSONSchemaDerivation.schema(for: Forecast.self)))
    #expect(output.schema?["properties"]?["temperatureC"]?["type"] == "integer")
    #expect(output.schema?["required"] == ["city", "temperatureC", "conditions"])
  }

  @Test func mismatchNamesTheJSONPathAndQuotesTheOutput() async throws {
    let runtime = FlowRuntime()
    let text = #"{"city":"Paris","temperatureC":"warm","conditions":[]}"#
    let scripted = ScriptedModel(runtime, [.text(text)])
    let error = try await requireFlowError {
      try await generate(Forecast.self, model: scripted.model, prompt: "Forecast for Paris")
    }
    #expect(error.status == .invalidArgument)
    #expect(error.message.contains("$.temperatureC"), "\(error.message)")
    #expect(error.message.contains(text), "\(error.message)")
    #expect(error.details?["text"] == .string(text))
  }

  @Test func aMissingFieldIsReportedWithItsPath() async throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(runtime, [.text(#"{"city":"Paris","conditions":["x",3]}"#)])
    let error = try await requireFlowError {
      try await generate(Forecast.self, model: scripted.model, prompt: "Forecast")
    }
    #expect(error.status == .invalidArgument)
    #expect(error.message.contains("temperatureC"), "\(error.message)")
    #expect(error.message.contains("$.conditions[1]"), "\(error.message)")
  }

  @Test func fencedJSONWithTextAroundItDecodes() async throws {
    let runtime = FlowRuntime()
    let text = """
      Sure! Here is the forecast:
      ```json
      {"city": "Oslo", "temperatureC": -3, "conditions": ["snow"]}
      ```
      Stay warm.
      """
    let scripted = ScriptedModel(runtime, [.text(text)])
    let forecast = try await generate(Forecast.self, model: scripted.model, prompt: "Forecast for Oslo")
    #expect(forecast == Forecast(city: "Oslo", temperatureC: -3, conditions: ["snow"]))
  }

  @Test func jsonInsideProseWithoutFencesDecodes() async throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(
      runtime, [.text(#"The answer is {"city":"Rome","temperatureC":25,"conditions":[]} as requested."#)])
    let forecast = try await generate(Forecast.self, model: scripted.model, prompt: "Forecast for Rome")
    #expect(forecast == Forecast(city: "Rome", temperatureC: 25, conditions: []))
  }

  @Test func textWithoutJSONIsAnInvalidArgument() async throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(runtime, [.text("I would rather not say.")])
    let error = try await requireFlowError {
      try await generate(Forecast.self, model: scripted.model, prompt: "Forecast")
    }
    #expect(error.status == .invalidArgument)
    #expect(error.message.contains("not JSON"))
    #expect(error.message.contains("I would rather not say."))
  }

  @Test func anExplicitSchemaIsUsedInsteadOfTheDerivedOne() async throws {
    let runtime = FlowRuntime()
    let schema: JSONValue = [
      "type": "object", "properties": ["city": ["type": "string", "minLength": 10]], "required": ["city"],
    ]
    struct CityOnly: Codable, Sendable { var city: String }
    let scripted = ScriptedModel(runtime, [.text(#"{"city":"Rome"}"#)])
    let error = try await requireFlowError {
      try await generate(CityOnly.self, model: scripted.model, prompt: "x", schema: schema)
    }
    #expect(error.status == .invalidArgument)
    #expect(error.message.contains("$.city"), "\(error.message)")
    #expect(scripted.requests.first?.output?.schema == schema)
  }

  @Test func structuredOutputAfterAToolCall() async throws {
    let runtime = FlowRuntime()
    let getWeather = runtime.defineTool("getWeather", description: "Weather") { (q: WeatherQuery) async throws -> Int in
      q.city == "Paris" ? 21 : 0
    }
    let scripted = ScriptedModel(
      runtime,
      [
        .tool("getWeather", ["city": "Paris"]),
        .text(#"{"city":"Paris","temperatureC":21,"conditions":["clear"]}"#),
      ])
    let forecast = try await generate(
      Forecast.self, model: scripted.model, prompt: "Paris?", tools: [getWeather.erased])
    #expect(forecast.temperatureC == 21)
    #expect(scripted.requests.count == 2)
    #expect(scripted.requests.allSatisfy { $0.output?.format == "json" })
    #expect(scripted.requests.last?.messages.last?.content.first?.toolResponse?.output == 21)
  }
}
