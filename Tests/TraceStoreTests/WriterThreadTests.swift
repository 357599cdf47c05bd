import Foundation
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

  /// The name shows in `top -H` and `perf`; Linux refuses names over 15 bytes, so a long one is cut.
  @Test(arguments: [
    ("test-writer", "test-writer"), ("flowscope-trace-store", "flowscope-trace"), ("écrivain-àéé", "écrivain-àé"),
  ])
  func theThreadCarriesItsNameCutToWhatLinuxKeeps(name: String, shown: String) async {
    let seen = Mutex<String?>(nil)
    let thread = WriterThread(name: name)
    thread.start {
      // The kernel's copy of the name, as `top -H` and `perf` read it.
      let name = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
      seen.withLock { $0 = name?.trimmingCharacters(in: .newlines) }
    }
    thread.wake()
    await thread.stop()
    #expect(seen.withLock { $0 } == shown)
  }
}
