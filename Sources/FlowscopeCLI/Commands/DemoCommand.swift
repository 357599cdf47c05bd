import ArgumentParser
import Flows

/// `flowscope demo`: runs the sample flows and prints what was traced.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo",
    abstract: "Run the sample flows (streaming, steps, nested flow, failure) and print their trace trees.")

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var modelOptions: ModelOptions

  static let runs: [(flow: String, input: JSONValue)] = [
    ("jokeFlow", ["subject": "cats"]),
    ("menuFlow", ["theme": "pirate", "courses": 2]),
    ("weatherAgent", ["city": "Paris"]),
    ("failingFlow", ["item": "espresso", "quantity": 2]),
  ]

  func run() async throws {
    let environment = try await AppEnvironment.make(databasePath: storeOptions.db, model: modelOptions)
    let events = environment.runtime.bus.subscribe(name: "demo")
    for (flow, input) in Self.runs {
      Console.out("▶ flowscope run \(flow) '\(input.serialized())' --stream")
      let printer = ChunkPrinter(enabled: true)
      let action = try environment.runtime.registry.requireFlow(named: flow)
      var traceId: String?
      do {
        let result = try await action.run(input, options: ActionRunOptions(onChunk: { printer.print($0) }))
        printer.finishLine()
        Console.out("Result: \(result.result.serialized())")
        traceId = result.traceId
      } catch let error as FlowError {
        printer.finishLine()
        Console.out("Error: \(error.status.rawValue): \(error.message)")
        traceId = error.traceId
      }
      if let traceId {
        var spans: [SpanData] = []
        var logs: [JSONObject] = []
        for event in events.drain() where event.traceId == traceId {
          switch event {
          case .spanEnded(let span, let outcome): spans.append(SpanData(span, outcome: outcome))
          case .logRecorded(let record): logs.append(record)
          default: continue
          }
        }
        Console.out("Trace ID: \(traceId)")
        Console.out(
          TraceTreeFormatter(valueWidth: 100, logs: logs).format(TraceData(traceId: traceId, spans: spans)))
      }
      Console.out("")
    }
    await environment.finish()
    Console.out("Saved traces: flowscope traces list · one trace: flowscope traces show <id>")
  }
}
