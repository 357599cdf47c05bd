import Testing

@testable import FlowsServer

@Suite struct StreamWritePacingTests {
  let start = ContinuousClock.now

  @Test func theFirstWriteAndWritesOfASlowStreamNeverWait() {
    var pacer = StreamWritePacer(interval: .milliseconds(1))
    #expect(pacer.wrote(at: start) == nil)
    // Tokens 20 ms apart: each goes out as soon as it is produced.
    #expect(pacer.wrote(at: start + .milliseconds(20)) == nil)
    #expect(pacer.wrote(at: start + .milliseconds(40)) == nil)
  }

  @Test func aFastStreamIsWrittenAtMostOncePerInterval() {
    var pacer = StreamWritePacer(interval: .milliseconds(1))
    #expect(pacer.wrote(at: start) == nil)
    let second = start + .microseconds(30)
    #expect(pacer.wrote(at: second) == second + .milliseconds(1))
    // Writing again right at the deadline keeps the stream paced.
    let third = second + .milliseconds(1)
    #expect(pacer.wrote(at: third) == third + .milliseconds(1))
    // A pause of two intervals or more ends the pacing.
    #expect(pacer.wrote(at: third + .milliseconds(2)) == nil)
  }

  @Test func aPauseEndsAtItsDeadline() async {
    let queue = StreamEventQueue<FlowStreamEvent>()
    let before = ContinuousClock.now
    await queue.pause(until: before + .milliseconds(20))
    #expect(ContinuousClock.now - before >= .milliseconds(20))
  }

  @Test func aPauseEndsAtOnceWhenTheStreamFinishes() async {
    let queue = StreamEventQueue<FlowStreamEvent>()
    let before = ContinuousClock.now
    async let paused: Void = queue.pause(until: before + .seconds(600))
    // Chunks pushed during the pause wait for the next batch; only the end cuts the pause short.
    queue.push(.chunk(.integer(1)))
    queue.finish()
    await paused
    #expect(ContinuousClock.now - before < .seconds(600))
    var batch: [FlowStreamEvent] = []
    #expect(await queue.next(into: &batch))
    #expect(batch.count == 1)
    #expect(await queue.next(into: &batch) == false)
  }

  @Test func takingABatchRecyclesTheWritersArray() async {
    let queue = StreamEventQueue<FlowStreamEvent>()
    var batch: [FlowStreamEvent] = [.chunk(.integer(0))]
    batch.reserveCapacity(1024)
    let capacity = batch.capacity
    queue.push(.chunk(.integer(1)))
    #expect(await queue.next(into: &batch))
    #expect(batch.count == 1)
    // The writer's old storage (emptied) is the buffer the flow appends to now.
    for index in 2..<100 { queue.push(.chunk(.integer(Int64(index)))) }
    queue.finish()
    #expect(await queue.next(into: &batch))
    #expect(batch.count == 98)
    #expect(batch.capacity == capacity)
    #expect(await queue.next(into: &batch) == false)
  }

  @Test func aPauseAfterTheEndDoesNotWait() async {
    let queue = StreamEventQueue<FlowStreamEvent>()
    queue.finish()
    await queue.pause(until: .now + .seconds(600))
    var batch: [FlowStreamEvent] = []
    #expect(await queue.next(into: &batch) == false)
  }
}
