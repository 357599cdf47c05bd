import Flows
import FlowsTestSupport
import Testing

/// A distinguishable event: a received span whose display name is `name`.
private func event(_ name: String) -> TraceEvent {
  .spanReceived(SpanData(spanId: name, traceId: "t", startTime: 0, endTime: 0, attributes: [:], displayName: name))
}

private func names(_ events: [TraceEvent]) -> [String] {
  events.map { event in
    if case .spanReceived(let span) = event { return span.displayName }
    return "?"
  }
}

@Suite struct EventBusTests {
  @Test func everySubscriberGetsEveryEventInOrder() {
    let bus = EventBus()
    let first = bus.subscribe(name: "first")
    let second = bus.subscribe(policy: .unbounded, name: "second")
    #expect(bus.subscriberCount == 2)
    for i in 0..<5 { bus.publish(event("e\(i)")) }
    #expect(names(first.drain()) == ["e0", "e1", "e2", "e3", "e4"])
    #expect(names(second.drain()) == ["e0", "e1", "e2", "e3", "e4"])
    #expect(first.drain().isEmpty)
    #expect(first.name == "first")
    #expect(second.policy == .unbounded)
  }

  @Test func drainingIntoABatchReplacesItsContentsAndRecyclesItsStorage() {
    let bus = EventBus()
    let subscription = bus.subscribe(policy: .unbounded, name: "recycling")
    var batch = [event("stale")]
    for i in 0..<3 { bus.publish(event("a\(i)")) }
    subscription.drain(into: &batch)
    #expect(names(batch) == ["a0", "a1", "a2"])
    // The emptied old storage is the buffer now: new events land there, and nothing is lost.
    bus.publish(event("b0"))
    #expect(subscription.pendingCount == 1)
    subscription.drain(into: &batch)
    #expect(names(batch) == ["b0"])
    subscription.drain(into: &batch)
    #expect(batch.isEmpty)
  }

  @Test func aBatchArrayLeftByABurstIsNotRecycled() {
    let bus = EventBus()
    let subscription = bus.subscribe(policy: .unbounded, name: "burst")
    var batch: [TraceEvent] = []
    batch.reserveCapacity(EventSubscription.recycledCapacityLimit + 1)
    subscription.drain(into: &batch)
    // The big array was let go, not swapped in as the new buffer.
    bus.publish(event("after"))
    subscription.drain(into: &batch)
    #expect(names(batch) == ["after"])
    #expect(batch.capacity <= EventSubscription.recycledCapacityLimit)
  }

  @Test func aSubscriptionWithoutChunksGetsEverythingElseInOrder() {
    let bus = EventBus()
    let everything = bus.subscribe(name: "store")
    let spansOnly = bus.subscribe(policy: .bufferingNewest(2), events: .withoutChunks, name: "tail")
    #expect(everything.events == .all)
    #expect(spansOnly.events == .withoutChunks)
    let chunk = TraceEvent.chunk(
      StreamChunk(traceId: .random(), spanId: .random(), index: 0, time: 0, value: .json(.integer(1))))
    bus.publish(event("before"))
    for _ in 0..<10 { bus.publish(chunk) }
    bus.publish(event("after"))
    // A burst of chunks neither reaches the span consumer nor pushes its spans out of a bounded buffer.
    #expect(names(spansOnly.drain()) == ["before", "after"])
    #expect(spansOnly.droppedCount == 0)
    #expect(everything.drain().count == 12)
  }

  @Test func subscribersOnlySeeEventsPublishedAfterSubscribing() {
    let bus = EventBus()
    let early = bus.subscribe()
    bus.publish(event("before"))
    let late = bus.subscribe()
    bus.publish(event("after"))
    #expect(names(early.drain()) == ["before", "after"])
    #expect(names(late.drain()) == ["after"])
  }

  @Test func publishWithNoConsumerNeverBlocks() {
    let bus = EventBus()
    bus.publish(event("nobody listens"))
    let idle = bus.subscribe()
    let bounded = bus.subscribe(policy: .bufferingNewest(10))
    for i in 0..<10_000 { bus.publish(event("\(i)")) }
    #expect(idle.pendingCount == 10_000)
    #expect(idle.droppedCount == 0)
    #expect(bounded.pendingCount == 10)
    #expect(bounded.droppedCount == 9_990)
  }

  @Test func bufferingNewestDropsTheOldestAndCountsThem() {
    let bus = EventBus()
    let subscription = bus.subscribe(policy: .bufferingNewest(3))
    for i in 0..<7 { bus.publish(event("e\(i)")) }
    #expect(subscription.pendingCount == 3)
    #expect(subscription.droppedCount == 4)
    #expect(names(subscription.drain()) == ["e4", "e5", "e6"])
    #expect(subscription.pendingCount == 0)
    bus.publish(event("e7"))
    #expect(names(subscription.drain()) == ["e7"])
    #expect(subscription.droppedCount == 4)
  }

  @Test func bufferingNewestWithAZeroLimitKeepsOne() {
    let bus = EventBus()
    let subscription = bus.subscribe(policy: .bufferingNewest(0))
    for i in 0..<3 { bus.publish(event("e\(i)")) }
    #expect(names(subscription.drain()) == ["e2"])
    #expect(subscription.droppedCount == 2)
  }

  @Test func nextBatchWaitsForEvents() async {
    let bus = EventBus()
    let subscription = bus.subscribe()
    let waiting = Task { await subscription.nextBatch() }
    bus.publish(event("a"))
    let batch = await waiting.value
    #expect(batch.map(names) == ["a"])
  }

  @Test func nextBatchTakesEverythingBufferedAtOnce() async {
    let bus = EventBus()
    let subscription = bus.subscribe()
    bus.publish(event("a"))
    bus.publish(event("b"))
    #expect(await subscription.nextBatch().map(names) == ["a", "b"])
    bus.publish(event("c"))
    var batch: [TraceEvent] = [event("stale")]
    #expect(await subscription.nextBatch(into: &batch))
    #expect(names(batch) == ["c"])
  }

  @Test func finishEndsIterationAfterDraining() async {
    let bus = EventBus()
    let subscription = bus.subscribe()
    bus.publish(event("a"))
    bus.publish(event("b"))
    subscription.finish()
    bus.publish(event("ignored"))
    var seen: [String] = []
    var batches = 0
    for await batch in subscription {
      batches += 1
      seen += names(batch)
    }
    #expect(seen == ["a", "b"])
    #expect(batches == 1)
    var batch: [TraceEvent] = [event("stale")]
    #expect(await subscription.nextBatch(into: &batch) == false)
    #expect(batch.isEmpty)
    #expect(await subscription.nextBatch() == nil)
  }

  @Test func finishWakesAWaitingConsumer() async {
    let bus = EventBus()
    let subscription = bus.subscribe()
    let consumer = Task { () -> [String] in
      var seen: [String] = []
      for await batch in subscription { seen += names(batch) }
      return seen
    }
    bus.publish(event("x"))
    subscription.finish()
    #expect(await consumer.value == ["x"])
  }

  @Test func unsubscribeStopsDeliveryAndEndsTheStream() async {
    let bus = EventBus()
    let kept = bus.subscribe()
    let removed = bus.subscribe()
    bus.publish(event("a"))
    bus.unsubscribe(removed)
    #expect(bus.subscriberCount == 1)
    bus.publish(event("b"))
    #expect(await removed.nextBatch().map(names) == ["a"])
    #expect(await removed.nextBatch() == nil)
    #expect(names(kept.drain()) == ["a", "b"])
  }

  @Test func finishAllEndsEverySubscription() async {
    let bus = EventBus()
    let a = bus.subscribe()
    let b = bus.subscribe(policy: .bufferingNewest(5))
    bus.publish(event("last"))
    bus.finishAll()
    #expect(bus.subscriberCount == 0)
    bus.publish(event("after"))
    #expect(await a.nextBatch().map(names) == ["last"])
    #expect(await a.nextBatch() == nil)
    #expect(await b.nextBatch().map(names) == ["last"])
    #expect(await b.nextBatch() == nil)
  }

  @Test func onAvailableFiresWhenTheBufferBecomesNonEmpty() {
    let bus = EventBus()
    let calls = Locked(0)
    let subscription = bus.subscribe(onAvailable: { calls.increment() })
    bus.publish(event("a"))
    bus.publish(event("b"))
    #expect(calls.value == 1)
    _ = subscription.drain()
    bus.publish(event("c"))
    #expect(calls.value == 2)
  }

  @Test func concurrentPublishersLoseNothing() async {
    let bus = EventBus()
    let subscription = bus.subscribe()
    await withTaskGroup(of: Void.self) { group in
      for p in 0..<8 {
        group.addTask {
          for i in 0..<500 { bus.publish(event("\(p)-\(i)")) }
        }
      }
    }
    let all = names(subscription.drain())
    #expect(all.count == 4_000)
    #expect(Set(all).count == 4_000)
    // Each publisher's events stay in its own order.
    for p in 0..<8 {
      let mine = all.filter { $0.hasPrefix("\(p)-") }
      #expect(mine == (0..<500).map { "\(p)-\($0)" })
    }
  }

  @Test func aConsumerTaskReceivesARunAsItHappens() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe(name: "store")
    let consumer = Task { () -> [String] in
      var shape: [String] = []
      for await batch in subscription {
        shape += eventShape(batch)
        if shape.last?.hasPrefix("finished:") == true { break }
      }
      return shape
    }
    let flow = runtime.defineFlow("observed") { (s: String) in try await run("step") { s } }
    _ = try await flow("x")
    #expect(await consumer.value == ["start:observed", "start:step", "end:step", "end:observed", "finished:observed"])
  }
}
