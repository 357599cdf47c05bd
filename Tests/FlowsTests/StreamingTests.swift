import Flows
import FlowsTestSupport
import Testing

private struct Progress: Codable, Sendable, Equatable {
  var step: Int
  var note: String
}

/// A flow that streams `count` chunks, some from inside a step, and returns how many it sent.
private func countingFlow(_ runtime: FlowRuntime) -> Flow<Int, Int, Progress> {
  runtime.defineStreamingFlow("count") { (count: Int, ctx: FlowContext<Progress>) in
    for i in 0..<count {
      if i % 2 == 0 {
        ctx.sendChunk(Progress(step: i, note: "direct"))
      } else {
        try await run("step-\(i)") { ctx.sendChunk(Progress(step: i, note: "from step")) }
      }
    }
    return count
  }
}

private func expectedChunks(_ count: Int) -> [Progress] {
  (0..<count).map { Progress(step: $0, note: $0 % 2 == 0 ? "direct" : "from step") }
}

@Suite struct StreamingTests {
  @Test func streamDeliversEveryChunkInOrderThenTheOutput() async throws {
    let runtime = FlowRuntime()
    let flow = countingFlow(runtime)
    let stream = flow.stream(50)
    var received: [Progress] = []
    for try await chunk in stream { received.append(chunk) }
    #expect(received == expectedChunks(50))
    #expect(try await stream.output == 50)
    let result = try await stream.result
    #expect(result.output == 50)
    #expect(isLowerHex(result.traceId, count: 32))
  }

  @Test func outputCanBeAwaitedWithoutIterating() async throws {
    let runtime = FlowRuntime()
    let stream = countingFlow(runtime).stream(3)
    #expect(try await stream.output == 3)
    var received: [Progress] = []
    for try await chunk in stream { received.append(chunk) }
    #expect(received == expectedChunks(3))
  }

  @Test func onChunkReceivesEveryChunkInOrder() async throws {
    let runtime = FlowRuntime()
    let received = Locked<[Progress]>([])
    let result = try await countingFlow(runtime).run(20) { received.append($0) }
    #expect(result.output == 20)
    #expect(received.value == expectedChunks(20))
  }

  @Test func busChunkEventsAreIndexedAndBelongToTheFlowSpan() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let result = try await countingFlow(runtime).run(6) { _ in }
    let events = subscription.drain()
    let chunks = chunkEvents(events)
    #expect(chunks.map(\.index) == Array(0..<6))
    #expect(chunks.allSatisfy { $0.spanId.hex == result.spanId && $0.traceId.hex == result.traceId })
    let expectedJSON = try expectedChunks(6).map { try JSONValueEncoder().encode($0) }
    #expect(chunks.map(\.value.json) == expectedJSON)
    #expect(chunks.map(\.value.jsonString).first == #"{"step":0,"note":"direct"}"#)
    // Chunks sit between the flow's start and end, in send order relative to the steps.
    #expect(
      eventShape(events) == [
        "start:count", "chunk:0", "start:step-1", "chunk:1", "end:step-1", "chunk:2", "start:step-3", "chunk:3",
        "end:step-3", "chunk:4", "start:step-5", "chunk:5", "end:step-5", "end:count", "finished:count",
      ])
  }

  @Test func chunksAreTracedEvenWhenNobodyStreams() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let streaming = Locked<[Bool]>([])
    let flow = runtime.defineStreamingFlow("quiet") { (n: Int, ctx: FlowContext<Int>) in
      streaming.append(ctx.isStreaming)
      for i in 0..<n { ctx.sendChunk(i) }
      return n
    }
    #expect(try await flow(3) == 3)
    _ = try await flow.run(2) { _ in }
    #expect(streaming.value == [false, true])
    let chunks = chunkEvents(subscription.drain())
    #expect(chunks.map(\.index) == [0, 1, 2, 0, 1])
    #expect(chunks.map(\.value.json) == [0, 1, 2, 0, 1])
  }

  @Test func jsonPathStreamsChunksAsJSON() async throws {
    let runtime = FlowRuntime()
    _ = countingFlow(runtime)
    let received = Locked<[JSONValue]>([])
    let action = try runtime.registry.requireFlow(named: "count")
    let result = try await action.run(4, options: ActionRunOptions(onChunk: { received.append($0) }))
    #expect(result.result == 4)
    #expect(
      received.value == [
        ["step": 0, "note": "direct"], ["step": 1, "note": "from step"], ["step": 2, "note": "direct"],
        ["step": 3, "note": "from step"],
      ])
    #expect(received.value.first?.serialized() == #"{"step":0,"note":"direct"}"#)
  }

  @Test func jsonPathWithoutOnChunkIsNotStreaming() async throws {
    let runtime = FlowRuntime()
    let streaming = Locked<[Bool]>([])
    runtime.defineStreamingFlow("probe") { (_: String, ctx: FlowContext<String>) in
      streaming.append(ctx.isStreaming)
      ctx.sendChunk("ignored")
      return "done"
    }
    let action = try runtime.registry.requireFlow(named: "probe")
    #expect(try await action.run("x").result == "done")
    _ = try await action.run("x", options: ActionRunOptions(onChunk: { _ in }))
    #expect(streaming.value == [false, true])
  }

  @Test func flowContextKnowsItsTrace() async throws {
    let runtime = FlowRuntime()
    let seen = Locked<[String]>([])
    let flow = runtime.defineStreamingFlow("self") { (_: String, ctx: FlowContext<String>) in
      seen.mutate { $0 = [ctx.traceId, ctx.span.spanId.hex, ctx.span.name] }
      return "ok"
    }
    let result = try await flow.run("x")
    #expect(seen.value == [result.traceId, result.spanId, "self"])
  }

  @Test func nestedStreamingFlowsKeepTheirOwnStream() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let inner = runtime.defineStreamingFlow("inner") { (n: Int, ctx: FlowContext<String>) in
      for i in 0..<n { ctx.sendChunk("inner-\(i)") }
      return n
    }
    let outer = runtime.defineStreamingFlow("outer") { (n: Int, ctx: FlowContext<String>) in
      ctx.sendChunk("outer-start")
      let m = try await inner(n)
      ctx.sendChunk("outer-end")
      return m
    }
    let received = Locked<[String]>([])
    let result = try await outer.run(2) { received.append($0) }
    #expect(received.value == ["outer-start", "outer-end"])
    let events = subscription.drain()
    let innerSpan = try endedSpans(events).named("inner")
    let chunks = chunkEvents(events)
    let outerChunks = chunks.filter { $0.spanId.hex == result.spanId }
    let innerChunks = chunks.filter { $0.spanId.hex == innerSpan.spanId }
    #expect(outerChunks.map(\.index) == [0, 1])
    #expect(outerChunks.map(\.value.json) == ["outer-start", "outer-end"])
    #expect(innerChunks.map(\.index) == [0, 1])
    #expect(innerChunks.map(\.value.json) == ["inner-0", "inner-1"])
  }

  @Test func streamSurfacesTheFlowError() async throws {
    let runtime = FlowRuntime()
    let flow = runtime.defineStreamingFlow("fails") { (_: String, ctx: FlowContext<Int>) -> String in
      ctx.sendChunk(1)
      ctx.sendChunk(2)
      throw FlowError(.unavailable, "backend down")
    }
    let stream = flow.stream("x")
    var received: [Int] = []
    let iterationError = await thrownError {
      for try await chunk in stream { received.append(chunk) }
    }
    #expect(received == [1, 2])
    let flowError = try #require(iterationError as? FlowError)
    #expect(flowError.status == .unavailable)
    #expect(flowError.message == "backend down")
    let outputError = try await requireFlowError { try await stream.output }
    #expect(outputError.status == .unavailable)
  }
}
