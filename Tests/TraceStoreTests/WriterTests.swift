import Flows
import Testing
import TraceStore

struct Order: Codable, Sendable { var item: String }

@Suite struct WriterTests {
  @Test func logRecordsWrittenInARunAreStoredWithTheirTraceAndSpan() async throws {
    let t = try TestStore()
    let runtime = FlowRuntime()
    let writer = TraceStoreWriter(store: t.store, bus: runtime.bus)
    let flow = runtime.defineFlow("logs") { (input: String) async throws -> String in
      SpanLogRecord.record(.info, .string("in the flow"), attributes: ["input": .string(input)])
      try await run("step") { SpanLogRecord.record(.error, ["code": 7]) }
      return input
    }
    let result = try await flow.run("x")
    // A record received from elsewhere is stored by whoever received it, not by the writer.
    runtime.bus.publish(.logReceived(["logId": "elsewhere", "traceId": .string(result.traceId), "timestamp": 1]))
    await writer.flush()
    let page = try t.store.logs(traceId: result.traceId)
    #expect(page.logs.map { $0["body"] } == [["code": 7], "in the flow"])
    #expect(page.logs[1]["spanId"] == .string(result.spanId))
    #expect(page.logs[1]["attributes"] == ["input": "x"])
    let step = try #require(try t.store.trace(id: result.traceId)?.spans.values.first { $0.displayName == "step" })
    #expect(try t.store.logs(traceId: result.traceId, spanId: step.spanId).logs.count == 1)
  }

  @Test func persistsFlowRunsWithStepsChunksAndErrors() async throws {
    let t = try TestStore()
    let runtime = FlowRuntime()
    let writer = TraceStoreWriter(store: t.store, bus: runtime.bus)
    let menu = runtime.defineStreamingFlow("menu") { (input: Order, ctx: FlowContext<String>) in
      let dish = try await run("pick") { input.item.uppercased() }
      ctx.sendChunk("first \(dish)")
      let price = try await run("price") { dish.count * 2 }
      ctx.sendChunk("second \(price)")
      ctx.sendChunk("third")
      return "\(dish) costs \(price)"
    }
    let broken = runtime.defineFlow("broken") { (input: String) async throws -> String in
      _ = try await run("prep") { input + "!" }
      throw FlowError(.internal, "kitchen on fire")
    }

    let result = try await menu.run(Order(item: "soup"))
    await #expect(throws: FlowError.self) { try await broken("x") }
    await writer.flush()

    // The streaming flow: root + two steps, linked to the root, all successful.
    let trace = try #require(try t.store.trace(id: result.traceId))
    #expect(trace.spans.count == 3)
    let root = try #require(trace.spans[result.spanId])
    #expect(root.parentSpanId == nil)
    #expect(root.displayName == "menu")
    #expect(root.attributes["genkit:state"] == "success")
    #expect(root.output == "SOUP costs 8")
    let steps = trace.spans.values.filter { $0.spanId != result.spanId }.sorted { $0.startTime < $1.startTime }
    #expect(steps.map(\.displayName) == ["pick", "price"])
    #expect(steps.allSatisfy { $0.parentSpanId == result.spanId && !$0.isRunning && !$0.isError })
    #expect(steps.map(\.output) == ["SOUP", 8])
    let summary = try #require(try t.store.summary(traceId: result.traceId))
    #expect(summary.status == .ok)
    #expect(summary.name == "menu")
    #expect(summary.rootSpanId == result.spanId)
    #expect(summary.spanCount == 3)
    #expect(summary.inputPreview == "{\"item\":\"soup\"}")

    let chunks = try t.store.chunks(traceId: result.traceId)
    #expect(chunks.map(\.index) == [0, 1, 2])
    #expect(chunks.map(\.json) == ["\"first SOUP\"", "\"second 8\"", "\"third\""])
    #expect(chunks.allSatisfy { $0.spanId == result.spanId })

    // The failing flow: an error trace whose root carries the message; its step succeeded.
    let failed = try t.store.listTraces(TraceQuery(flowName: "broken", status: .error)).traces
    #expect(failed.count == 1)
    let failedSummary = try #require(failed.first)
    #expect(failedSummary.errorMessage == "kitchen on fire")
    let failedTrace = try #require(try t.store.trace(id: failedSummary.traceId))
    #expect(failedTrace.spans.count == 2)
    let failedRoot = try #require(failedTrace.rootSpan)
    #expect(failedRoot.isError)
    #expect(failedRoot.errorMessage == "kitchen on fire")
    let prep = try #require(failedTrace.spans.values.first { $0.displayName == "prep" })
    #expect(prep.parentSpanId == failedRoot.spanId)
    #expect(!prep.isError)

    #expect(try t.store.traceCount() == 2)
    #expect(writer.failedWriteCount == 0)
    #expect(writer.lastError == nil)
    #expect(writer.writtenChunkCount == 3)
    #expect(writer.writtenSpanCount >= 5)
    await writer.stop()
  }

  @Test func flushCoversEverythingPublishedBefore() async throws {
    let t = try TestStore()
    let runtime = FlowRuntime()
    let writer = TraceStoreWriter(store: t.store, bus: runtime.bus)
    let flow = runtime.defineStreamingFlow("count") { (n: Int, ctx: FlowContext<Int>) in
      for i in 0..<3 { ctx.sendChunk(i) }
      return try await run("double") { n * 2 }
    }
    let ids = try await withThrowingTaskGroup(of: String.self) { group in
      for n in 0..<200 { group.addTask { try await flow.run(n).traceId } }
      var ids: [String] = []
      for try await id in group { ids.append(id) }
      return ids
    }
    await writer.flush()
    #expect(try t.store.traceCount() == 200)
    #expect(try t.store.listTraces(TraceQuery(status: .running)).traces.isEmpty)
    #expect(try t.store.listTraces(TraceQuery(status: .ok, limit: 500)).traces.count == 200)
    for id in ids.prefix(20) {
      #expect(try t.store.summary(traceId: id)?.spanCount == 2)
      #expect(try t.store.chunks(traceId: id).map(\.json) == ["0", "1", "2"])
    }
    #expect(writer.writtenChunkCount == 600)
    #expect(writer.failedWriteCount == 0)
    await writer.stop()
  }

  @Test func receivedSpansFollowTheUpsertRule() async throws {
    let t = try TestStore()
    let bus = EventBus()
    let writer = TraceStoreWriter(store: t.store, bus: bus)
    let start = makeSpan(trace: "r1", id: "root", name: "remote", start: 1)
    let end = makeSpan(trace: "r1", id: "root", name: "remote", start: 1, end: 9)
    bus.publish(.spanReceived(start))
    bus.publish(.spanReceived(end))
    bus.publish(.spanReceived(start))  // late copy
    await writer.flush()
    #expect(try t.store.trace(id: "r1")?.spans["root"] == end)
    #expect(try t.store.summary(traceId: "r1")?.status == .ok)
    await writer.stop()
  }

  @Test func writeFailuresAreRecordedAndWritingGoesOn() async throws {
    let t = try TestStore()
    let bus = EventBus()
    let writer = TraceStoreWriter(store: t.store, bus: bus)
    // NaN times cannot be stored (SQLite turns them into NULL): this trace's write fails.
    bus.publish(.spanReceived(makeSpan(trace: "bad", id: "root", start: .nan, end: 2)))
    for span in makeTrace("good", start: 1, children: 2) { bus.publish(.spanReceived(span)) }
    await writer.flush()
    #expect(writer.failedWriteCount == 1)
    #expect(writer.lastError?.contains("traces.sqlite") == true)
    #expect(try t.store.trace(id: "good")?.spans.count == 3)
    #expect(try t.store.trace(id: "bad") == nil)

    for span in makeTrace("later", start: 5) { bus.publish(.spanReceived(span)) }
    await writer.flush()
    #expect(try t.store.trace(id: "later")?.spans.count == 2)
    #expect(writer.failedWriteCount == 1)
    await writer.stop()
  }

  @Test func stopWritesWhatIsLeftAndUnsubscribes() async throws {
    let t = try TestStore()
    let bus = EventBus()
    let writer = TraceStoreWriter(store: t.store, bus: bus)
    #expect(bus.subscriberCount == 1)
    for span in makeTrace("before", start: 1) { bus.publish(.spanReceived(span)) }
    await writer.stop()
    #expect(bus.subscriberCount == 0)
    #expect(try t.store.trace(id: "before")?.spans.count == 2)
    for span in makeTrace("after", start: 2) { bus.publish(.spanReceived(span)) }
    await writer.flush()
    await writer.stop()
    #expect(try t.store.trace(id: "after") == nil)
    #expect(writer.writtenSpanCount == 2)
  }

  @Test func droppingTheWriterUnsubscribes() async throws {
    let t = try TestStore()
    let bus = EventBus()
    do {
      let writer = TraceStoreWriter(store: t.store, bus: bus)
      for span in makeTrace("t1", start: 1) { bus.publish(.spanReceived(span)) }
      await writer.flush()
    }
    #expect(bus.subscriberCount == 0)
    #expect(try t.store.trace(id: "t1")?.spans.count == 2)
  }
}
