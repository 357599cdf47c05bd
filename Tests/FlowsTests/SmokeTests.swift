import Flows
import Testing

struct JokeInput: Codable, Sendable { var subject: String }

@Test func flowRunsAndTraces() async throws {
  let runtime = FlowRuntime()
  let sub = runtime.bus.subscribe()
  let flow = runtime.defineStreamingFlow("joke") { (input: JokeInput, ctx: FlowContext<String>) in
    let a = try await run("step-a") { input.subject.uppercased() }
    ctx.sendChunk(a)
    let b = try await run("step-b") { a + "!" }
    return b
  }
  let result = try await flow.run(JokeInput(subject: "cats")) { _ in }
  #expect(result.output == "CATS!")
  let events = sub.drain()
  let spans = events.compactMap { e -> SpanData? in if case .spanEnded(let i, let o) = e { return SpanData(i, outcome: o) } else { return nil } }
  #expect(spans.count == 3)
  #expect(spans.last?.attributes["genkit:path"] == "/{joke,t:flow}")
  #expect(spans.first?.attributes["genkit:path"] == "/{joke,t:flow}/{step-a,t:flowStep}")
  let action = try #require(runtime.registry.flow(named: "joke"))
  await #expect(throws: FlowError.self) { try await action.run(["subject": 3]) }
  do { _ = try await action.run(["subject": 3]) } catch let e as FlowError { #expect(e.message == "$.subject: expected string, got number") }
}
