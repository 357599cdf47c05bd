import Flows
import FlowsTestSupport
import Testing

@Suite struct StepsAndNestingTests {
  @Test func stepsBecomeChildSpansWithOutputsAndPaths() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("menu") { (theme: String) in
      let specials = try await run("fetch-specials") { ["chowder", "grog"] }
      let pick = try await run("pick", input: specials) { specials[0] + " (\(theme))" }
      return pick
    }
    let result = try await flow.run("pirate")
    #expect(result.output == "chowder (pirate)")

    let events = subscription.drain()
    #expect(
      eventShape(events) == [
        "start:menu", "start:fetch-specials", "end:fetch-specials", "start:pick", "end:pick", "end:menu",
        "finished:menu",
      ])
    let spans = endedSpans(events)
    let root = try spans.named("menu")
    let fetch = try spans.named("fetch-specials")
    let pick = try spans.named("pick")

    #expect(root.parentSpanId == nil)
    #expect(fetch.parentSpanId == root.spanId)
    #expect(pick.parentSpanId == root.spanId)
    #expect(Set(spans.map(\.traceId)) == [result.traceId])
    #expect(Set(spans.map(\.spanId)).count == 3)

    #expect(root.attr("genkit:path") == "/{menu,t:flow}")
    #expect(fetch.attr("genkit:path") == "/{menu,t:flow}/{fetch-specials,t:flowStep}")
    #expect(pick.attr("genkit:path") == "/{menu,t:flow}/{pick,t:flowStep}")

    #expect(fetch.attr("genkit:type") == "flowStep")
    #expect(fetch.attr("genkit:name") == "fetch-specials")
    #expect(fetch.attributes["genkit:isRoot"] == nil)
    #expect(fetch.attr("genkit:key") == nil)
    #expect(fetch.attributes["genkit:metadata:subtype"] == nil)
    #expect(fetch.attr("genkit:input") == nil)
    #expect(fetch.attr("genkit:output") == #"["chowder","grog"]"#)
    #expect(fetch.attr("genkit:state") == "success")
    #expect(fetch.kindLabel == "flowStep")

    #expect(pick.attr("genkit:input") == #"["chowder","grog"]"#)
    #expect(pick.attr("genkit:output") == #""chowder (pirate)""#)

    #expect(root.attr("genkit:type") == "action")
    #expect(root.attr("genkit:metadata:subtype") == "flow")
    #expect(root.attr("genkit:key") == "/flow/menu")
    #expect(root.attributes["genkit:isRoot"] == true)
    #expect(root.attr("genkit:input") == #""pirate""#)
    #expect(root.attr("genkit:output") == #""chowder (pirate)""#)
    #expect(root.kindLabel == "flow")
  }

  @Test func nestedStepsBuildADeeperTree() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("outer") { (n: Int) in
      try await run("a") {
        let doubled = try await run("b") { n * 2 }
        return try await run("c") {
          try await run("d") { doubled + 1 }
        }
      }
    }
    #expect(try await flow(20) == 41)
    let spans = endedSpans(subscription.drain())
    #expect(spans.map(\.displayName) == ["b", "d", "c", "a", "outer"])
    let outer = try spans.named("outer")
    let a = try spans.named("a")
    let b = try spans.named("b")
    let c = try spans.named("c")
    let d = try spans.named("d")
    #expect(a.parentSpanId == outer.spanId)
    #expect(b.parentSpanId == a.spanId)
    #expect(c.parentSpanId == a.spanId)
    #expect(d.parentSpanId == c.spanId)
    #expect(b.attr("genkit:path") == "/{outer,t:flow}/{a,t:flowStep}/{b,t:flowStep}")
    #expect(d.attr("genkit:path") == "/{outer,t:flow}/{a,t:flowStep}/{c,t:flowStep}/{d,t:flowStep}")
    #expect(a.attr("genkit:output") == "41")
    #expect(b.attr("genkit:output") == "40")
  }

  @Test func voidAndNonEncodableStepsRecordNoOutput() async throws {
    struct Opaque: Sendable { var n: Int }
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let sideEffects = Locked(0)
    let flow = runtime.defineFlow("effects") { (n: Int) in
      try await run("log", input: ["n": n]) { sideEffects.increment() }
      let opaque = try await run("opaque") { Opaque(n: n) }
      return opaque.n
    }
    #expect(try await flow(7) == 7)
    #expect(sideEffects.value == 1)
    let spans = endedSpans(subscription.drain())
    let log = try spans.named("log")
    #expect(log.attr("genkit:input") == #"{"n":7}"#)
    #expect(log.attr("genkit:output") == nil)
    #expect(log.attr("genkit:state") == "success")
    let opaque = try spans.named("opaque")
    #expect(opaque.attr("genkit:output") == nil)
    #expect(opaque.attr("genkit:state") == "success")
  }

  @Test func synchronousAndThrowingClosuresWork() async throws {
    let runtime = FlowRuntime()
    let flow = runtime.defineFlow("sync") { (s: String) in
      let upper = try await run("upper") { s.uppercased() }
      let count = try await run("count") { () throws -> Int in
        guard !upper.isEmpty else { throw FlowError(.invalidArgument, "empty") }
        return upper.count
      }
      return "\(upper):\(count)"
    }
    #expect(try await flow("abc") == "ABC:3")
  }

  @Test func stepsInsideChildTasksStillBelongToTheFlow() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("fanout") { (n: Int) in
      try await withThrowingTaskGroup(of: Int.self) { group in
        for i in 0..<n {
          group.addTask { try await run("part-\(i)") { i * i } }
        }
        return try await group.reduce(0, +)
      }
    }
    #expect(try await flow(4) == 14)
    let spans = endedSpans(subscription.drain())
    let root = try spans.named("fanout")
    let parts = spans.filter { $0.displayName.hasPrefix("part-") }
    #expect(parts.count == 4)
    #expect(parts.allSatisfy { $0.parentSpanId == root.spanId && $0.traceId == root.traceId })
    #expect(
      Set(parts.compactMap { $0.attr("genkit:path") })
        == Set((0..<4).map { "/{fanout,t:flow}/{part-\($0),t:flowStep}" }))
  }

  @Test func concurrentRunsKeepTheirSpansApart() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("parallel") { (n: Int) in
      try await run("work") { n * 10 }
    }
    let results = try await withThrowingTaskGroup(of: (Int, FlowResult<Int>).self) { group in
      for n in 0..<20 { group.addTask { (n, try await flow.run(n)) } }
      return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
    }
    #expect(results.count == 20)
    let spans = endedSpans(subscription.drain())
    #expect(spans.count == 40)
    let byTrace = Dictionary(grouping: spans, by: \.traceId)
    #expect(byTrace.count == 20)
    for (n, result) in results {
      #expect(result.output == n * 10)
      let trace = try #require(byTrace[result.traceId])
      let root = try trace.named("parallel")
      let work = try trace.named("work")
      #expect(root.spanId == result.spanId)
      #expect(work.parentSpanId == root.spanId)
      #expect(root.input == .integer(Int64(n)))
      #expect(work.output == .integer(Int64(n * 10)))
    }
  }

  @Test func runOutsideAFlowJustRunsTheBody() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let value = try await run("loose") { 42 }
    #expect(value == 42)
    try await run("loose-void") {}
    #expect(subscription.drain().isEmpty)
    #expect(CurrentSpan.info == nil)
    #expect(CurrentSpan.traceId == nil)
  }

  @Test func currentSpanIsVisibleInsideStepsAndFlows() async throws {
    let runtime = FlowRuntime()
    let seen = Locked<[String]>([])
    let flow = runtime.defineFlow("where") { (_: String) in
      seen.append(CurrentSpan.info?.displayPath ?? "none")
      try await run("inner") { seen.append(CurrentSpan.info?.path ?? "none") }
      return CurrentSpan.traceId ?? ""
    }
    let result = try await flow.run("x")
    #expect(result.output == result.traceId)
    #expect(seen.value == ["where", "/{where,t:flow}/{inner,t:flowStep}"])
  }

  @Test func flowsCallingFlowsMakeNestedFlowSpans() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let inner = runtime.defineFlow("inner") { (s: String) in
      try await run("shout") { s.uppercased() }
    }
    let outer = runtime.defineFlow("outer") { (s: String) in
      let a = try await inner(s)
      let b = try await run("wrap") { try await inner(a + "!") }
      return b
    }
    let result = try await outer.run("hi")
    #expect(result.output == "HI!")

    let events = subscription.drain()
    #expect(runSummaries(events).count == 1, "only the outer flow is a root run")
    #expect(runSummaries(events).first?.name == "outer")
    let spans = endedSpans(events)
    #expect(spans.count == 6)
    let root = try spans.named("outer")
    let inners = spans.filter { $0.displayName == "inner" }
    let shouts = spans.filter { $0.displayName == "shout" }
    let wrap = try spans.named("wrap")
    #expect(inners.count == 2)
    #expect(shouts.count == 2)
    #expect(Set(spans.map(\.traceId)) == [result.traceId])

    let direct = try #require(inners.first { $0.parentSpanId == root.spanId })
    let viaStep = try #require(inners.first { $0.parentSpanId == wrap.spanId })
    #expect(wrap.parentSpanId == root.spanId)

    #expect(direct.attr("genkit:path") == "/{outer,t:flow}/{inner,t:flow,s:flow}")
    #expect(viaStep.attr("genkit:path") == "/{outer,t:flow}/{wrap,t:flowStep}/{inner,t:flow,s:flow}")
    #expect(direct.attr("genkit:type") == "action")
    #expect(direct.attr("genkit:metadata:subtype") == "flow")
    #expect(direct.attr("genkit:key") == "/flow/inner")
    #expect(direct.attributes["genkit:isRoot"] == nil)
    #expect(direct.attr("genkit:metadata:context") == nil)
    #expect(direct.attr("genkit:input") == #""hi""#)
    #expect(direct.attr("genkit:output") == #""HI""#)
    #expect(root.attributes["genkit:isRoot"] == true)

    let directShout = try #require(shouts.first { $0.parentSpanId == direct.spanId })
    #expect(directShout.attr("genkit:path") == "/{outer,t:flow}/{inner,t:flow}/{shout,t:flowStep}")
    let nestedShout = try #require(shouts.first { $0.parentSpanId == viaStep.spanId })
    #expect(nestedShout.attr("genkit:path") == "/{outer,t:flow}/{wrap,t:flowStep}/{inner,t:flow}/{shout,t:flowStep}")
  }

  @Test func spanInfoDescribesItsPlaceInTheTree() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let inner = runtime.defineFlow("inner") { (s: String) in try await run("leaf") { s } }
    let outer = runtime.defineFlow("outer") { (s: String) in try await inner(s) }
    _ = try await outer("x")
    let infos = endedOutcomes(subscription.drain()).map(\.info)
    let leaf = try #require(infos.first { $0.name == "leaf" })
    #expect(leaf.displayPath == "outer > inner > leaf")
    #expect(leaf.flowName == "inner")
    #expect(leaf.kind == .flowStep)
    #expect(!leaf.isRoot)
    #expect(leaf.parent?.name == "inner")
    #expect(leaf.parent?.parent?.isRoot == true)
    #expect(leaf.parentSpanId == leaf.parent?.spanId)
    #expect(leaf.parent?.parent?.parentSpanId == nil)
  }

  @Test func customSpanKindsThroughTraced() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("chat") { (prompt: String) in
      try await runtime.traced(
        "googleai/gemini", kind: .model, input: .json(["prompt": .string(prompt)]), actionKey: "/model/googleai/gemini",
        metadata: ["provider": "googleai"], recordOutput: { .json(.string($0)) }
      ) { span in
        #expect(span.kind == .model)
        return "reply to \(prompt)"
      }
    }
    #expect(try await flow("hi") == "reply to hi")
    let model = try endedSpans(subscription.drain()).named("googleai/gemini")
    #expect(model.attr("genkit:path") == "/{chat,t:flow}/{googleai/gemini,t:action,s:model}")
    #expect(model.attr("genkit:type") == "action")
    #expect(model.attr("genkit:metadata:subtype") == "model")
    #expect(model.attr("genkit:key") == "/model/googleai/gemini")
    #expect(model.attr("genkit:input") == #"{"prompt":"hi"}"#)
    #expect(model.attr("genkit:output") == #""reply to hi""#)
    #expect(model.kindLabel == "model")
    #expect(model.attr("genkit:metadata:provider") == "googleai")
  }

  @Test func outputsThatFailToEncodeAreRecordedAsADescriptionNotAFailure() async throws {
    struct Stubborn: Encodable, Sendable {
      func encode(to encoder: any Encoder) throws { throw BoomError(reason: "cannot encode") }
    }
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("lossy") { (s: String) in
      _ = try await run("stubborn") { Stubborn() }
      return s
    }
    #expect(try await flow("x") == "x")
    let step = try endedSpans(subscription.drain()).named("stubborn")
    #expect(step.attr("genkit:state") == "success")
    #expect(step.output == "<unencodable Stubborn: boom: cannot encode>")
  }
}
