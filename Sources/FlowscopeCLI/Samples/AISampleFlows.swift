import Flows
import FlowsAI
import Foundation

/// The AI sample flows: an agent with two tools, a streaming chat, and structured output. They use
/// the model named by `model` (the offline demo model unless `--model` says otherwise).
public enum AISampleFlows {
  /// Input of `weatherAgent`.
  public struct WeatherQuestion: Codable, Sendable {
    public var city: String
    /// Optional extra wish, e.g. "somewhere with vegetarian food".
    public var request: String?
  }

  /// Input of `getWeather`.
  public struct WeatherQuery: Codable, Sendable {
    public var city: String
  }

  /// Output of `getWeather`.
  public struct Weather: Codable, Sendable {
    public var city: String
    public var temperatureC: Int
    public var conditions: String
  }

  /// Input of `searchRestaurants`.
  public struct RestaurantQuery: Codable, Sendable {
    public var city: String
    public var cuisine: String?
  }

  /// One result of `searchRestaurants`.
  public struct Restaurant: Codable, Sendable {
    public var name: String
    public var cuisine: String
    public var rating: Double
  }

  /// Input of `chatFlow`.
  public struct ChatRequest: Codable, Sendable {
    public var message: String
    /// Earlier turns, oldest first.
    public var history: [Message]?
  }

  /// Input of `recipeFlow`.
  public struct RecipeRequest: Codable, Sendable {
    public var dish: String
  }

  /// Output of `recipeFlow` (structured output).
  public struct Recipe: Codable, Sendable {
    public var name: String
    public var ingredients: [String]
    public var minutes: Int
  }

  static let conditions = ["sunny", "cloudy", "light rain", "windy", "clear", "foggy"]

  /// Registers the tools and flows, using the model named `model` (resolved at run time).
  public static func register(in runtime: FlowRuntime, model: String) {
    let getWeather = runtime.defineTool(
      "getWeather", description: "Current weather for a city: temperature in °C and conditions."
    ) { (query: WeatherQuery) async throws -> Weather in
      let seed = query.city.unicodeScalars.reduce(0) { $0 &+ Int($1.value) }
      return Weather(city: query.city, temperatureC: 8 + seed % 20, conditions: conditions[seed % conditions.count])
    }
    let searchRestaurants = runtime.defineTool(
      "searchRestaurants", description: "Finds well-rated restaurants in a city, optionally by cuisine."
    ) { (query: RestaurantQuery) async throws -> [Restaurant] in
      let cuisine = query.cuisine ?? "local"
      return ["The Golden Fork", "Chez \(query.city)", "Blue Lantern"].enumerated().map { index, name in
        Restaurant(name: name, cuisine: cuisine, rating: 4.8 - Double(index) * 0.3)
      }
    }

    runtime.defineStreamingFlow(
      "weatherAgent",
      description: "Agent: checks the weather, searches restaurants, and recommends where to eat (tool calls).",
      metadata: ["tools": ["getWeather", "searchRestaurants"]]
    ) { (question: WeatherQuestion, ctx: FlowContext<String>) async throws -> String in
      let result = try await generate(
        model: runtime.model(named: model),
        prompt: "What is the weather in \(question.city), and where should I eat tonight? \(question.request ?? "")",
        system:
          "You are a helpful local guide. Use the tools to check the weather and find restaurants, then answer briefly.",
        tools: [getWeather.erased, searchRestaurants.erased],
        config: GenerationConfig(temperature: 0),
        onChunk: { ctx.sendChunk($0.text) })
      return result.text
    }

    runtime.defineStreamingFlow(
      "chatFlow", description: "A streaming chat turn with optional history."
    ) { (request: ChatRequest, ctx: FlowContext<String>) async throws -> String in
      let result = try await generate(
        model: runtime.model(named: model), prompt: request.message, system: "You are a friendly, concise assistant.",
        messages: request.history ?? [], config: GenerationConfig(temperature: 0),
        onChunk: { ctx.sendChunk($0.text) })
      return result.text
    }

    runtime.defineFlow(
      "recipeFlow", description: "Structured output: a recipe as JSON matching a schema."
    ) { (request: RecipeRequest) async throws -> Recipe in
      try await generate(
        Recipe.self, model: runtime.model(named: model),
        prompt: "Give a short recipe for \(request.dish): its name, the ingredients, and the minutes it takes.",
        config: GenerationConfig(temperature: 0))
    }
  }
}
