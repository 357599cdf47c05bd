import Flows
import FlowsAI
import Testing

@testable import FlowscopeTUI

/// Flows like the sample ones: a streaming flow, an agent with tools, a failing flow, a plain one.
let sampleEntries: [FlowEntry] = [
  FlowEntry(
    name: "jokeFlow",
    inputSchema: [
      "type": "object", "properties": ["subject": ["type": "string"]], "required": ["subject"],
    ], streams: true),
  FlowEntry(
    name: "weatherAgent",
    inputSchema: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]],
    tools: ["getWeather", "searchRestaurants"]),
  FlowEntry(name: "failingFlow", inputSchema: ["type": "object", "properties": ["item": ["type": "string"]]]),
  FlowEntry(name: "menuFlow"),
]

let wide = TerminalSize(rows: 40, columns: 120)
let small = TerminalSize(rows: 10, columns: 40)

func makeState(size: TerminalSize = wide, flows: [FlowEntry] = sampleEntries) -> AppState {
  AppState(flows: flows, size: size, now: 1_000_000)
}

/// Applies actions in order and collects every effect.
@discardableResult
func send(_ state: inout AppState, _ actions: [Action]) -> [Effect] {
  actions.flatMap { DebuggerUpdate.update(&state, $0) }
}

func key(_ key: Key, alt: Bool = false) -> Action { .input(.key(KeyEvent(key, alt: alt))) }

func type(_ text: String) -> [Action] { text.map { key(.character($0)) } }

func screen(_ state: AppState, _ size: TerminalSize? = nil) -> String {
  DebuggerView.render(state, size: size ?? state.size).text
}

/// Runs `flow` on a real runtime and returns every trace event it published, in order.
func events(of flow: String, input: JSONValue, in runtime: FlowRuntime) async -> (
  events: [TraceEvent], traceId: String?
) {
  let subscription = runtime.bus.subscribe(name: "test")
  var traceId: String?
  do {
    let action = try runtime.registry.requireFlow(named: flow)
    let result = try await action.run(input)
    traceId = result.traceId
  } catch let error as FlowError {
    traceId = error.traceId
  } catch {}
  let events = subscription.drain()
  runtime.bus.unsubscribe(subscription)
  return (events, traceId)
}

/// A runtime with a streaming flow with steps, a failing flow with a nested step, and a tool agent.
func makeRuntime() -> FlowRuntime {
  let runtime = FlowRuntime()
  let model = DemoModel.register(in: runtime, paceMilliseconds: 0)
  struct Subject: Codable, Sendable { var subject: String }
  _ = runtime.defineStreamingFlow("jokeFlow") { (input: Subject, context: FlowContext<String>) -> String in
    let words = try await run("compose") { ["Why", " did", " the", " \(input.subject)", " cross?"] }
    for word in words { context.sendChunk(word) }
    return words.joined()
  }
  struct Order: Codable, Sendable { var item: String }
  _ = runtime.defineFlow("failingFlow") { (input: Order) -> String in
    try await run("charge") { () async throws -> String in
      throw FlowError(.failedPrecondition, "card declined for \(input.item)")
    }
  }
  struct City: Codable, Sendable { var city: String }
  struct Weather: Codable, Sendable { var city: String; var forecast: String }
  let weather = runtime.defineTool("getWeather", description: "Weather for a city") { (input: City) in
    Weather(city: input.city, forecast: "sunny")
  }
  _ = runtime.defineFlow("weatherAgent") { (input: City) -> String in
    let result = try await generate(
      model: model, prompt: "What is the weather in \(input.city)?", tools: [weather.erased])
    return result.text
  }
  return runtime
}
