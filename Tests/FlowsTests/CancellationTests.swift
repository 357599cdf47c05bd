import Flows
import FlowsTestSupport
import Testing

/// A flow whose `wait` step signals that it started, then sleeps until cancelled.
private func sleepyFlow(_ runtime: FlowRuntime, started: Signal) -> Flow<String, String, Never> {
  runtime.defineFlow("sleepy") { (input: String) in
    _ = try await run("prepare") { input }
    try await run("wait") {
      started.fire()
      try await Task.sleep(for: .seconds(30))
    }
    return "woke up"
  }
}

@Suite struct CancellationTests {
  @Test func cancellingTheCallerTaskCancelsTheFlow() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let started = Signal()
    let flow = sleepyFlow(runtime, started: started)
    let task = Task { try await flow("x") }
    await started.wait()
    task.cancel()
    await #expect(throws: CancellationError.self) { try await task.value }

    let events = subscription.drain()
    #expect(
      eventShape(events) == [
        "start:sleepy", "start:prepare", "end:prepare", "start:wait", "end:wait!", "end:sleepy!", "finished:sleepy!",
      ])
    let spans = endedSpans(events)
    let wait = try spans.named("wait")
    let root = try spans.named("sleepy")
    for span in [wait, root] {
      #expect(span.attr("genkit:state") == "error")
      #expect(span.attr("flowscope:status") == "CANCELLED")
      #expect(span.status == SpanData.SpanStatus(code: 2, message: "Action was cancelled"))
      #expect(span.exceptionEvents.first?.attributes["exception.type"] == "CancellationError")
    }
    #expect(wait.attributes["genkit:isFailureSource"] == true)
    #expect(root.attributes["genkit:isFailureSource"] == nil)
    #expect(try spans.named("prepare").attr("genkit:state") == "success")
    #expect(runSummaries(events).first?.error?.status == .cancelled)
  }

  @Test func cancellingAJSONRunIsACancelledFlowErrorWithTheTraceId() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let started = Signal()
    _ = sleepyFlow(runtime, started: started)
    let action = try runtime.registry.requireFlow(named: "sleepy")
    let task = Task { try await action.run("x") }
    await started.wait()
    task.cancel()
    let error = try await requireFlowError { try await task.value }
    #expect(error.status == .cancelled)
    #expect(error.message == "Action was cancelled")
    #expect(error.traceId == (try endedSpans(subscription.drain()).named("sleepy").traceId))
  }

  @Test func cancellingAStreamCancelsTheFlow() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let started = Signal()
    let flow = runtime.defineStreamingFlow("ticker") { (_: String, ctx: FlowContext<Int>) in
      ctx.sendChunk(1)
      try await run("wait") {
        started.fire()
        try await Task.sleep(for: .seconds(30))
      }
      ctx.sendChunk(2)
      return "done"
    }
    let stream = flow.stream("x")
    await started.wait()
    stream.cancel()
    await #expect(throws: CancellationError.self) { try await stream.output }
    var received: [Int] = []
    let iterationError = await thrownError {
      for try await chunk in stream { received.append(chunk) }
    }
    #expect(received == [1])
    #expect(iterationError is CancellationError)
    let spans = endedSpans(subscription.drain())
    #expect(try spans.named("wait").attributes["genkit:isFailureSource"] == true)
    #expect(try spans.named("ticker").attr("flowscope:status") == "CANCELLED")
  }

  @Test
  func abandoningStreamIterationCancelsTheFlow() async throws {
    let runtime = FlowRuntime()
    let flow = runtime.defineStreamingFlow("endless") { (_: String, ctx: FlowContext<Int>) -> String in
      ctx.sendChunk(0)
      try await Task.sleep(for: .seconds(30))
      return "never"
    }
    let stream = flow.stream("x")
    for try await chunk in stream {
      #expect(chunk == 0)
      break
    }
    await #expect(throws: CancellationError.self) { try await stream.output }
  }

  @Test func droppingTheStreamCancelsTheFlow() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let started = Signal()
    let flow = runtime.defineStreamingFlow("dropped") { (_: String, ctx: FlowContext<Int>) -> String in
      ctx.sendChunk(0)
      started.fire()
      try await Task.sleep(for: .seconds(30))
      return "never"
    }
    do {
      let stream = flow.stream("x")
      var iterator = stream.makeAsyncIterator()
      #expect(try await iterator.next() == 0)
    }
    await started.wait()
    // The flow ends (cancelled) without anyone awaiting it: wait for its root span to end on the bus.
    var ended: [SpanData] = []
    for await batch in subscription {
      ended += endedSpans(batch)
      if !runSummaries(batch).isEmpty { break }
    }
    #expect(ended.map(\.displayName) == ["dropped"])
    #expect(ended.first?.attr("flowscope:status") == "CANCELLED")
  }

  @Test func cancellationBeforeTheFlowStartsStillTracesACancelledRun() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let gate = Signal()
    let flow = runtime.defineFlow("late") { (_: String) in
      try Task.checkCancellation()
      return "ran"
    }
    let task = Task {
      await gate.wait()
      return try await flow("x")
    }
    task.cancel()
    gate.fire()
    await #expect(throws: CancellationError.self) { try await task.value }
    let root = try endedSpans(subscription.drain()).named("late")
    #expect(root.attr("flowscope:status") == "CANCELLED")
    #expect(root.attributes["genkit:isFailureSource"] == true)
  }
}
