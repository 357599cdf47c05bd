import Synchronization
import Testing

@testable import TraceStore

@Suite struct WriterThreadTests {
  @Test func aWakeUpBeforeTheStartGivesARoundAndStopRunsALastOne() async {
    let rounds = Atomic<Int>(0)
    let thread = WriterThread(name: "test-writer")
    thread.wake()
    thread.start { rounds.wrappingAdd(1, ordering: .relaxed) }
    await thread.stop()
    // The round asked for before the start, possibly merged with the stop's last round.
    #expect((1...2).contains(rounds.load(ordering: .relaxed)))
    await thread.stop()  // idempotent, returns at once
  }

  @Test func everyWakeUpIsFollowedByARound() async {
    let rounds = Atomic<Int>(0)
    let thread = WriterThread(name: "test-writer")
    thread.start { rounds.wrappingAdd(1, ordering: .relaxed) }
    for expected in 1...20 {
      thread.wake()
      while rounds.load(ordering: .relaxed) < expected { await Task.yield() }
    }
    await thread.stop()
    #expect(rounds.load(ordering: .relaxed) == 21)
  }
}
