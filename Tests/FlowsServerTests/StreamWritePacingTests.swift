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
    #expect(await queue.next()?.count == 1)
    #expect(await queue.next() == nil)
  }

  @Test func aPauseAfterTheEndDoesNotWait() async {
    let queue = StreamEventQueue<FlowStreamEvent>()
    queue.finish()
    await queue.pause(until: .now + .seconds(600))
    #expect(await queue.next() == nil)
  }
}
