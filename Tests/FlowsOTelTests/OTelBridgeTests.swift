import Flows
import FlowsAI
import FlowsOTel
import FlowsTestSupport
import InMemoryTracing
import Testing
import Tracing

/// The span bridge against swift-distributed-tracing's in-memory tracer: names, tree, times,
/// attributes, status and events, without a collector.
@Suite struct OTelBridgeTests {
  /// Runs `body` with an exporter into a fresh in-memory tracer, flushes, and returns the finished
  /// spans with the Flowscope spans the runtime published meanwhile.
  func export(
    _ flows: ExportFlows, options: OTelSpanOptions = OTelSpanOptions(), _ body: () async throws -> Void
  ) async throws -> (otel: [FinishedInMemorySpan], genkit: [SpanData], tracer: InMemoryTracer) {
    let tracer = InMemoryTracer()
    let exporter = OTelFlowExporter(runtime: flows.runtime, tracer: tracer, options: options, logger: quietLogger)
    let subscription = flows.runtime.bus.subscribe()
    try await body()
    await exporter.flush()
    return (tracer.finishedSpans, endedSpans(subscription.drain()), tracer)
  }

  @Test func aFlowWithTwoStepsBecomesTheSameTree() async throws {
    let flows = ExportFlows()
    let result = Locked<FlowResult<String>?>(nil)
    let (spans, genkit, tracer) = try await export(flows) {
      let run = try await flows.steps.run("abc")
      result.mutate { $0 = run }
    }
    let run = try #require(result.value)
    #expect(run.output == "CBA")
    #expect(spans.map(\.operationName).sorted() == ["reverse", "steps", "uppercase"])
    let root = try #require(spans.one("steps"))
    let upper = try #require(spans.one("uppercase"))
    let reverse = try #require(spans.one("reverse"))
    #expect(root.parentSpanID == nil)
    #expect(upper.parentSpanID == root.spanID && reverse.parentSpanID == root.spanID)
    #expect(Set(spans.map(\.traceID)).count == 1)
    #expect(spans.allSatisfy { $0.kind == .internal })
    #expect(spans.allSatisfy { $0.status == SpanStatus(code: .ok) })
    #expect(tracer.numberOfForceFlushes == 0, "export is left to the tracer's schedule")

    #expect(root.string("genkit:type") == "action")
    #expect(root.string("genkit:metadata:subtype") == "flow")
    #expect(root.string("genkit:name") == "steps")
    #expect(root.string("genkit:key") == "/flow/steps")
    #expect(root.attributes.get("genkit:isRoot") == .bool(true))
    #expect(root.string("genkit:path") == "/{steps,t:flow}")
    #expect(root.string("genkit:input") == #""abc""#)
    #expect(root.string("genkit:output") == #""CBA""#)
    #expect(root.string("genkit:state") == "success")
    #expect(root.string("genkit:traceId") == run.traceId)
    #expect(root.string("genkit:spanId") == run.spanId)
    #expect(root.string("genkit:parentSpanId") == nil)
    #expect(upper.string("genkit:type") == "flowStep")
    #expect(upper.string("genkit:path") == "/{steps,t:flow}/{uppercase,t:flowStep}")
    #expect(upper.string("genkit:output") == #""ABC""#)
    #expect(upper.string("genkit:parentSpanId") == run.spanId)

    for span in spans {
      let original = try genkit.named(span.operationName)
      #expect(span.string("genkit:spanId") == original.spanId)
      #expect(nanosecondsClose(span.startInstant.nanosecondsSinceEpoch, original.startTime))
      #expect(nanosecondsClose(span.endInstant.nanosecondsSinceEpoch, original.endTime))
    }
  }

  @Test func aFailureHasErrorStatusAndTheExceptionEvent() async throws {
    let flows = ExportFlows()
    let (spans, genkit, _) = try await export(flows) { _ = await thrownError { try await flows.failing("x") } }
    let bake = try #require(spans.one("bake"))
    let root = try #require(spans.one("failing"))
    #expect(bake.parentSpanID == root.spanID)
    for span in [bake, root] {
      #expect(span.status == SpanStatus(code: .error, message: "boom: the oven is on fire"))
      #expect(span.string("genkit:state") == "error")
      let exception = try #require(span.events.first { $0.name == "exception" })
      #expect(exception.attributes.get("exception.type") == .string("BoomError"))
      #expect(exception.attributes.get("exception.message") == .string("boom: the oven is on fire"))
      guard case .string(let stack)? = exception.attributes.get("exception.stacktrace") else {
        Issue.record("no stack")
        continue
      }
      #expect(stack.hasPrefix("BoomError: boom: the oven is on fire"))
      let original = try genkit.named(span.operationName)
      #expect(nanosecondsClose(exception.nanosecondsSinceEpoch, original.endTime))
    }
    #expect(bake.attributes.get("genkit:isFailureSource") == .bool(true))
    #expect(root.attributes.get("genkit:isFailureSource") == nil, "only the innermost span claims the failure")
    #expect(bake.string("flowscope:status") == "INTERNAL")
  }

  @Test func modelAndToolSpansCarryGenAIAttributes() async throws {
    let flows = ExportFlows()
    let (spans, _, _) = try await export(flows) { _ = try await flows.agent("Weather in Tortuga?") }
    #expect(spans.count == 6)
    let models = spans.filter { $0.operationName == "googleai/gemini-test" }
      .sorted { $0.startInstant.nanosecondsSinceEpoch < $1.startInstant.nanosecondsSinceEpoch }
    try #require(models.count == 2)
    let generates = spans.filter { $0.operationName == "generate" }
    let outer = try #require(generates.first { $0.parentSpanID == spans.one("agent")?.spanID })
    #expect(models[0].parentSpanID == outer.spanID)
    #expect(models.allSatisfy { $0.kind == .client })
    #expect(models[0].string("gen_ai.operation.name") == "chat")
    #expect(models[0].string("gen_ai.provider.name") == "gcp.gemini")
    #expect(models[0].string("gen_ai.request.model") == "gemini-test")
    #expect(models[0].attributes.get("gen_ai.request.temperature") == .double(0.3))
    #expect(models[0].attributes.get("gen_ai.request.max_tokens") == .int64(256))
    #expect(models[0].attributes.get("gen_ai.usage.input_tokens") == .int64(120))
    #expect(models[0].attributes.get("gen_ai.usage.output_tokens") == .int64(12))
    #expect(models[0].attributes.get("gen_ai.response.finish_reasons") == .stringArray(["stop"]))
    #expect(models[1].attributes.get("gen_ai.usage.input_tokens") == .int64(92))
    #expect(models[0].string("genkit:metadata:subtype") == "model")

    let tool = try #require(spans.one("getWeather"))
    #expect(tool.parentSpanID == outer.spanID)
    #expect(tool.kind == .internal)
    #expect(tool.string("gen_ai.operation.name") == "execute_tool")
    #expect(tool.string("gen_ai.tool.name") == "getWeather")
    #expect(tool.string("gen_ai.tool.call.id") == "call-1")
    #expect(tool.string("gen_ai.tool.description") == "Current weather in a city")
    #expect(tool.string("genkit:input") == #"{"city":"Tortuga"}"#)
    #expect(spans.one("agent")?.string("gen_ai.operation.name") == nil)
  }

  @Test func missedStartsAreRecoveredWithTheirTimes() async throws {
    let runtime = FlowRuntime()
    let entered = Signal()
    let release = Signal()
    let flow = runtime.defineFlow("held") { (text: String) in
      let first = try await run("first") {
        entered.fire()
        await release.wait()
        return text + "1"
      }
      return try await run("second") { first + "2" }
    }
    let genkit = runtime.bus.subscribe()
    let call = Task { try await flow.run("x") }
    await entered.wait()
    // Subscribe mid-run: the starts of `held` and `first` are never seen.
    let tracer = InMemoryTracer()
    let exporter = OTelFlowExporter(runtime: runtime, tracer: tracer, logger: quietLogger)
    release.fire()
    let result = try await call.value
    await exporter.flush()

    let spans = tracer.finishedSpans
    #expect(spans.count == 3)
    let root = try #require(spans.one("held"))
    #expect(spans.one("first")?.parentSpanID == root.spanID)
    #expect(spans.one("second")?.parentSpanID == root.spanID)
    #expect(root.string("genkit:spanId") == result.spanId)
    #expect(exporter.recoveredStartCount == 2)
    #expect(exporter.exportedSpanCount == 3)
    let original = try endedSpans(genkit.drain()).named("held")
    #expect(nanosecondsClose(root.startInstant.nanosecondsSinceEpoch, original.startTime))
    #expect(tracer.activeSpans.isEmpty, "nothing is left open")
  }

  @Test func aChildThatOutlivesItsTraceKeepsItsParent() async throws {
    let runtime = FlowRuntime()
    let release = Signal()
    let done = Signal()
    let flow = runtime.defineFlow("spawner") { (_: String) in
      // Unstructured work inherits the current span and outlives the flow.
      Task {
        await release.wait()
        _ = try? await run("late") { "late work" }
        done.fire()
      }
      return "returned"
    }
    let tracer = InMemoryTracer()
    let exporter = OTelFlowExporter(runtime: runtime, tracer: tracer, logger: quietLogger)
    _ = try await flow("x")
    await exporter.flush()
    #expect(tracer.finishedSpans.count == 1, "the trace is over")
    release.fire()
    await done.wait()
    await exporter.flush()
    let root = try #require(tracer.finishedSpans.one("spawner"))
    let late = try #require(tracer.finishedSpans.one("late"))
    #expect(late.parentSpanID == root.spanID)
    #expect(late.traceID == root.traceID)
    #expect(exporter.recoveredStartCount == 0)
  }

  @Test func payloadsCanBeLeftOutAndLongValuesCut() async throws {
    let flows = ExportFlows()
    let options = OTelSpanOptions(attributeValueLengthLimit: 6, recordsPayloads: false)
    let (spans, _, _) = try await export(flows, options: options) { _ = try await flows.agent("Weather?") }
    for span in spans {
      #expect(span.attributes.get("genkit:input") == nil && span.attributes.get("genkit:output") == nil)
    }
    let model = try #require(spans.first { $0.operationName == "googleai/gemini-test" })
    #expect(model.string("genkit:path") == "/{agen")
    #expect(model.string("gen_ai.request.model") == "gemini")
    #expect(model.attributes.get("gen_ai.usage.input_tokens") != nil, "GenAI attributes stay")
  }

  @Test func spansStillRunningAtShutdownAreEndedAndMarked() async throws {
    let runtime = FlowRuntime()
    let entered = Signal()
    let release = Signal()
    let flow = runtime.defineFlow("slow") { (_: String) in
      entered.fire()
      await release.wait()
      return "late"
    }
    let tracer = InMemoryTracer()
    let exporter = OTelFlowExporter(runtime: runtime, tracer: tracer, logger: quietLogger)
    let call = Task { try await flow("x") }
    try await withRunning([exporter]) { await entered.wait() }
    #expect(exporter.unfinishedSpanCount == 1)
    let span = try #require(tracer.finishedSpans.one("slow"))
    #expect(span.attributes.get("flowscope:unfinished") == .bool(true))
    #expect(span.string("genkit:name") == "slow" && span.string("genkit:state") == nil)
    #expect(span.string("genkit:input") == #""x""#)
    release.fire()
    _ = try await call.value
    #expect(runtime.bus.subscriberCount == 0, "unsubscribed at shutdown")
    #expect(tracer.finishedSpans.count == 1)
  }

  @Test func spansFromElsewhereAreNotExported() async throws {
    let runtime = FlowRuntime()
    let tracer = InMemoryTracer()
    let exporter = OTelFlowExporter(runtime: runtime, tracer: tracer, logger: quietLogger)
    runtime.bus.publish(
      .spanReceived(
        SpanData(spanId: "s", traceId: "t", startTime: 1, endTime: 2, attributes: [:], displayName: "imported")))
    await exporter.flush()
    #expect(tracer.finishedSpans.isEmpty && exporter.exportedSpanCount == 0)
  }

  @Test func manyConcurrentRunsStayApart() async throws {
    let flows = ExportFlows()
    let (spans, _, _) = try await export(flows) {
      try await withThrowingTaskGroup(of: Void.self) { group in
        for n in 0..<20 { group.addTask { _ = try await flows.steps("run \(n)") } }
        try await group.waitForAll()
      }
    }
    #expect(spans.count == 60)
    let byTrace = Dictionary(grouping: spans, by: \.traceID)
    #expect(byTrace.count == 20)
    for (_, trace) in byTrace {
      let root = try #require(trace.one("steps"))
      #expect(trace.filter { $0.parentSpanID == root.spanID }.count == 2)
    }
  }

  @Test func aDisabledConfigurationExportsNothing() async throws {
    var configuration = OTelExportConfiguration(diagnosticLogger: quietLogger)
    configuration.otel.traces.enabled = false
    let flows = ExportFlows()
    let exporter = try OTelFlowExporter(runtime: flows.runtime, configuration: configuration, logger: quietLogger)
    #expect(!exporter.isEnabled)
    #expect(flows.runtime.bus.subscriberCount == 0)
    try await withRunning([exporter]) { _ = try await flows.steps("x") }
    #expect(exporter.exportedSpanCount == 0)
  }
}

/// True when an OTel timestamp is the Genkit time (fractional ms) to within a microsecond.
func nanosecondsClose(_ nanoseconds: UInt64, _ milliseconds: Double) -> Bool {
  abs(Double(nanoseconds) / 1_000_000 - milliseconds) < 0.001
}

extension FinishedInMemorySpan {
  /// A string attribute.
  func string(_ key: String) -> String? {
    if case .string(let value)? = attributes.get(key) { return value }
    return nil
  }
}

extension Array where Element == FinishedInMemorySpan {
  /// The one span with this name (nil when there is not exactly one).
  func one(_ name: String) -> FinishedInMemorySpan? {
    let matches = filter { $0.operationName == name }
    return matches.count == 1 ? matches[0] : nil
  }
}
