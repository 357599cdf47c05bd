import Flows
import FlowsAI
import FlowsTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Testing

// MARK: - Logging

let quietLogger: Logger = {
  var logger = Logger(label: "flows-otel-tests")
  logger.logLevel = .critical
  return logger
}()

// MARK: - Scripted model

/// A model that answers from a queue of responses (an error once they run out).
func scriptedModel(_ runtime: FlowRuntime, name: String, _ responses: [GenerateResponse]) -> Model {
  let queue = Locked(responses)
  return runtime.defineModel(name) { _, _ in
    let next: GenerateResponse? = queue.mutate { $0.isEmpty ? nil : $0.removeFirst() }
    guard let next else { throw FlowError(.failedPrecondition, "scripted model: no reply left") }
    return next
  }
}

/// A model turn asking for one tool.
func toolTurn(_ name: String, _ input: JSONValue, ref: String?, usage: GenerationUsage) -> GenerateResponse {
  GenerateResponse(
    message: Message(role: .model, content: [.toolRequest(ToolRequest(name: name, ref: ref, input: input))]),
    finishReason: .stop, usage: usage)
}

/// A final text answer.
func textTurn(_ text: String, usage: GenerationUsage) -> GenerateResponse {
  GenerateResponse(message: .model(text), finishReason: .stop, usage: usage)
}

struct WeatherQuery: Codable, Sendable, Equatable {
  var city: String
}

struct BoomError: Error, CustomStringConvertible {
  var description: String { "boom: the oven is on fire" }
}

/// The flows the export tests run, on one runtime:
/// - `steps`: two `run()` steps (`uppercase`, `reverse`);
/// - `agent`: `generate` with `googleai/gemini-test` calling `getWeather` once (ref `call-1`, usage
///   120/12), then answering (usage 92/19); temperature 0.3, 256 max tokens;
/// - `failing`: a step that throws `BoomError`.
struct ExportFlows {
  let runtime = FlowRuntime()
  let steps: Flow<String, String, Never>
  let agent: Flow<String, String, Never>
  let failing: Flow<String, String, Never>

  static let config = GenerationConfig(temperature: 0.3, maxOutputTokens: 256, topP: 0.9, stopSequences: ["END"])

  init() {
    let runtime = self.runtime
    steps = runtime.defineFlow("steps") { (text: String) in
      let upper = try await run("uppercase") { text.uppercased() }
      return try await run("reverse") { String(upper.reversed()) }
    }
    let weather = runtime.defineTool("getWeather", description: "Current weather in a city") {
      (query: WeatherQuery) async throws -> String in
      query.city == "Tortuga" ? "rainy" : "sunny"
    }
    let model = scriptedModel(
      runtime, name: "googleai/gemini-test",
      [
        toolTurn(
          "getWeather", ["city": "Tortuga"], ref: "call-1", usage: GenerationUsage(inputTokens: 120, outputTokens: 12)),
        textTurn("Bring an umbrella", usage: GenerationUsage(inputTokens: 92, outputTokens: 19)),
      ])
    agent = runtime.defineFlow("agent") { (prompt: String) in
      try await generate(model: model, prompt: prompt, tools: [weather.erased], config: Self.config).text
    }
    failing = runtime.defineFlow("failing") { (_: String) -> String in
      try await run("bake") { () throws -> String in throw BoomError() }
    }
  }
}

// MARK: - Service groups

/// Runs `service` in a service group while `body` runs, then shuts the group down gracefully and
/// waits for it to finish.
func withRunning<T: Sendable>(
  _ services: [any Service], _ body: @Sendable () async throws -> T
) async throws -> T {
  let group = ServiceGroup(
    configuration: ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [], logger: quietLogger))
  return try await withThrowingTaskGroup(of: Void.self) { tasks in
    tasks.addTask { try await group.run() }
    do {
      let result = try await body()
      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
      return result
    } catch {
      await group.triggerGracefulShutdown()
      try? await tasks.waitForAll()
      throw error
    }
  }
}

/// Polls `condition` (every 20 ms) until it holds or `limit` passes; returns whether it held. The
/// limit is a safety net against hangs, not a timing assertion.
func eventually(_ limit: Duration = .seconds(30), _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool
{
  let deadline = ContinuousClock.now + limit
  while ContinuousClock.now < deadline {
    if try await condition() { return true }
    try? await Task.sleep(for: .milliseconds(20))
  }
  return try await condition()
}

// MARK: - Spans

extension Array where Element == SpanData {
  /// The one span with this name.
  func named(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> SpanData {
    let matches = filter { $0.displayName == name }
    try #require(
      matches.count == 1, "expected one span named \(name), found \(matches.count)", sourceLocation: sourceLocation)
    return matches[0]
  }
}
