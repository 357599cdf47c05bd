import FlowscopeTUI
import Foundation
import Testing

@Suite struct InboxTests {
  /// How many wake bytes are waiting, without consuming events.
  private func pendingWakeBytes(_ descriptor: Int32) -> Int {
    var count: Int32 = 0
    _ = ioctl(descriptor, UInt(FIONREAD), &count)
    return Int(count)
  }

  @Test func drainReturnsEventsInOrderAndEmptiesTheInbox() throws {
    let inbox = try Inbox<Int>()
    inbox.post(1)
    inbox.post(contentsOf: [2, 3])
    inbox.post(4)
    #expect(inbox.drain() == [1, 2, 3, 4])
    #expect(inbox.drain().isEmpty)
    #expect(inbox.isEmpty)
  }

  @Test func onlyTheFirstPostAfterADrainWritesAWakeByte() throws {
    let inbox = try Inbox<Int>()
    #expect(pendingWakeBytes(inbox.wakeDescriptor) == 0)
    for value in 0..<1000 { inbox.post(value) }
    #expect(pendingWakeBytes(inbox.wakeDescriptor) == 1)
    _ = inbox.drain()
    #expect(pendingWakeBytes(inbox.wakeDescriptor) == 0)
    inbox.post(contentsOf: [Int]())
    #expect(pendingWakeBytes(inbox.wakeDescriptor) == 0)
    inbox.post(contentsOf: [1, 2])
    #expect(pendingWakeBytes(inbox.wakeDescriptor) == 1)
  }

  @Test func concurrentPostersKeepTheirOwnOrderAndWakeOnce() async throws {
    struct Tagged: Sendable {
      var poster: Int
      var sequence: Int
    }
    let inbox = try Inbox<Tagged>()
    let posters = 8
    let perPoster = 5000
    await withTaskGroup(of: Void.self) { group in
      for poster in 0..<posters {
        group.addTask {
          for sequence in 0..<perPoster { inbox.post(Tagged(poster: poster, sequence: sequence)) }
        }
      }
    }
    #expect(pendingWakeBytes(inbox.wakeDescriptor) == 1)
    let events = inbox.drain()
    #expect(events.count == posters * perPoster)
    for poster in 0..<posters {
      #expect(events.filter { $0.poster == poster }.map(\.sequence) == Array(0..<perPoster))
    }
  }

  @Test func postingWhileDrainingNeverLosesAWakeUp() throws {
    let inbox = try Inbox<Int>()
    let total = 20_000
    let producer = Thread {
      for value in 0..<total { inbox.post(value) }
    }
    producer.start()
    var received: [Int] = []
    var descriptor = pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)
    while received.count < total {
      // Every event that is waiting must be announced by the descriptor.
      let ready = poll(&descriptor, 1, 5000)
      try #require(ready == 1)
      received += inbox.drain()
    }
    #expect(received == Array(0..<total))
  }
}
