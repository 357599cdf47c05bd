import Foundation
import Testing

@testable import FlowscopeTUI

/// A delegate that records everything and finishes when `done` says so (or after a safety timeout).
private final class RecordingDelegate: UILoopDelegate {
  typealias Event = Int

  var input: [TerminalInput] = []
  var events: [Int] = []
  var eventBatches = 0
  var terminations: [Int32] = []
  var framesRequested = 0
  var dirty = true
  var timedOut = false
  var tick: ContinuousClock.Instant?
  var onInput: ([TerminalInput]) -> Void = { _ in }
  var done: (RecordingDelegate) -> Bool
  private let safetyDeadline = ContinuousClock.now + .seconds(10)

  init(done: @escaping (RecordingDelegate) -> Bool) {
    self.done = done
  }

  func loop(received input: [TerminalInput]) {
    self.input += input
    dirty = true
    onInput(input)
  }

  func loop(received events: [Int]) {
    self.events += events
    eventBatches += 1
    dirty = true
  }

  func loopReceivedTermination(signal: Int32) {
    terminations.append(signal)
  }

  func nextFrame(size: TerminalSize) -> (canvas: Canvas, cursor: (row: Int, column: Int)?)? {
    framesRequested += 1
    guard dirty else { return nil }
    dirty = false
    var canvas = Canvas(rows: size.rows, columns: size.columns)
    canvas.put("events \(events.count) keys \(input.count)", row: 0, column: 0)
    return (canvas, (row: 0, column: 1))
  }

  var nextDeadline: ContinuousClock.Instant? { min(tick ?? safetyDeadline, safetyDeadline) }

  var isFinished: Bool {
    if ContinuousClock.now >= safetyDeadline { timedOut = true }
    return timedOut || done(self)
  }
}

/// Loops block the calling thread; run them one at a time so they never take every worker thread.
@Suite(.serialized) struct UILoopTests {
  @Test func drawsAFirstFrameAndExitsWhenFinished() throws {
    let terminal = try MemoryTerminal(size: TerminalSize(rows: 5, columns: 30))
    let delegate = RecordingDelegate { _ in true }
    let loop = UILoop(terminal: terminal, inbox: try Inbox<Int>(), delegate: delegate)
    loop.run()
    #expect(terminal.drawCount == 1)
    #expect(terminal.lastCanvas?.rowText(0).hasPrefix("events 0 keys 0") == true)
    #expect(terminal.cursor?.row == 0 && terminal.cursor?.column == 1)
    #expect(loop.statistics.wakeUps == 0)
  }

  @Test func keysAreDeliveredInOrderAndRedrawn() throws {
    let terminal = try MemoryTerminal()
    terminal.feed.send(keys: .character("j"), .down, .enter)
    terminal.feed.send([.paste("hi"), .key(KeyEvent(.character("q")))])
    let delegate = RecordingDelegate { $0.input.contains(.key(KeyEvent(.character("q")))) }
    UILoop(terminal: terminal, inbox: try Inbox<Int>(), delegate: delegate).run()
    #expect(!delegate.timedOut)
    #expect(
      delegate.input == [
        .key(KeyEvent(.character("j"))), .key(KeyEvent(.down)), .key(KeyEvent(.enter)), .paste("hi"),
        .key(KeyEvent(.character("q"))),
      ])
  }

  @Test func keysSentWhileRunningAreHandledImmediately() throws {
    let terminal = try MemoryTerminal()
    let feed = terminal.feed
    let delegate = RecordingDelegate { $0.input.count >= 3 }
    delegate.onInput = { _ in feed.send(keys: .character("x")) }  // each key triggers the next
    let start = ContinuousClock.now
    terminal.feed.send(keys: .character("x"))
    UILoop(terminal: terminal, inbox: try Inbox<Int>(), delegate: delegate).run()
    #expect(!delegate.timedOut)
    #expect(ContinuousClock.now - start < .seconds(1))
    #expect(terminal.drawCount == 3)  // first frame, one per key until the third finishes: no frame wait
  }

  @Test func aFastEventStreamIsCoalescedIntoFewFrames() throws {
    let terminal = try MemoryTerminal()
    let inbox = try Inbox<Int>()
    let total = 10_000
    let delegate = RecordingDelegate { $0.events.count >= total }
    let producer = Thread {
      for value in 0..<total {
        inbox.post(value)
        if value % 100 == 99 { usleep(1000) }  // ~100 bursts over ~0.1-0.3 s
      }
    }
    producer.start()
    let start = ContinuousClock.now
    let loop = UILoop(terminal: terminal, inbox: inbox, delegate: delegate, framesPerSecond: 60)
    loop.run()
    let elapsed = ContinuousClock.now - start
    #expect(!delegate.timedOut)
    #expect(delegate.events == Array(0..<total))
    // At most one drain per 1/60 s (plus the first), however many events arrive.
    let allowed = Int(elapsed / .milliseconds(16)) + 2
    #expect(delegate.eventBatches <= allowed)
    #expect(delegate.eventBatches < 100)
    #expect(terminal.drawCount <= delegate.eventBatches + 1)
    #expect(loop.statistics.wakeUps <= 2 * allowed)
  }

  @Test func terminationSignalReachesTheDelegate() throws {
    let terminal = try MemoryTerminal()
    let delegate = RecordingDelegate { !$0.terminations.isEmpty }
    let signals = terminal.signals
    Thread.detachNewThread {
      usleep(20_000)
      signals.notify(SIGTERM)
    }
    UILoop(terminal: terminal, inbox: try Inbox<Int>(), delegate: delegate).run()
    #expect(!delegate.timedOut)
    #expect(delegate.terminations == [SIGTERM])
  }

  @Test func windowChangeSignalOnlyTriggersAnInputRead() throws {
    let terminal = try MemoryTerminal()
    let delegate = RecordingDelegate { !$0.input.isEmpty || !$0.terminations.isEmpty }
    terminal.signals.notify(SIGWINCH)
    terminal.feed.resize(to: TerminalSize(rows: 10, columns: 40))
    UILoop(terminal: terminal, inbox: try Inbox<Int>(), delegate: delegate).run()
    #expect(delegate.terminations.isEmpty)
    #expect(delegate.input == [.resize(TerminalSize(rows: 10, columns: 40))])
    #expect(terminal.lastCanvas?.rows == 10 && terminal.lastCanvas?.columns == 40)
  }

  @Test func closedInputIsTreatedAsHangUp() throws {
    let terminal = try MemoryTerminal()
    let delegate = RecordingDelegate { !$0.terminations.isEmpty }
    terminal.feed.hangUp()
    UILoop(terminal: terminal, inbox: try Inbox<Int>(), delegate: delegate).run()
    #expect(!delegate.timedOut)
    #expect(delegate.terminations == [SIGHUP])
  }

  @Test func deadlineWakesTheLoopWithoutInput() throws {
    let terminal = try MemoryTerminal()
    let delegate = RecordingDelegate { $0.framesRequested >= 4 }
    delegate.tick = ContinuousClock.now + .milliseconds(10)
    UILoop(terminal: terminal, inbox: try Inbox<Int>(), delegate: delegate).run()
    #expect(!delegate.timedOut)
  }

  @Test func unchangedFramesAreNotDrawn() throws {
    let terminal = try MemoryTerminal()
    let delegate = RecordingDelegate { $0.framesRequested >= 3 }
    delegate.tick = ContinuousClock.now  // wake at once, but nothing is dirty
    UILoop(terminal: terminal, inbox: try Inbox<Int>(), delegate: delegate).run()
    #expect(terminal.drawCount == 1)
  }

  @Test func pollTimeoutRoundsUpToMilliseconds() {
    let now = ContinuousClock.now
    #expect(UILoop<RecordingDelegate>.timeout(until: nil, now: now) == -1)
    #expect(UILoop<RecordingDelegate>.timeout(until: now - .seconds(1), now: now) == 0)
    #expect(UILoop<RecordingDelegate>.timeout(until: now + .microseconds(100), now: now) == 1)
    #expect(UILoop<RecordingDelegate>.timeout(until: now + .milliseconds(1500), now: now) == 1500)
  }
}

@Suite struct MemoryTerminalTests {
  @Test func countsOnlyChangedCellsAndRepaintsAfterInvalidate() throws {
    let terminal = try MemoryTerminal(size: TerminalSize(rows: 2, columns: 4))
    var canvas = Canvas(rows: 2, columns: 4)
    terminal.draw(canvas, cursor: nil)
    #expect(terminal.cellsWritten == 8)
    canvas.put("漢", row: 0, column: 0)
    terminal.draw(canvas, cursor: nil)
    #expect(terminal.cellsWritten == 9)  // the wide character; its continuation cell is skipped
    terminal.invalidate()
    terminal.draw(canvas, cursor: (row: 1, column: 2))
    #expect(terminal.cellsWritten == 16)
    #expect(terminal.cursor?.row == 1)
    terminal.writePassthrough("\u{1B}]52;c;aGk=\u{07}")
    #expect(terminal.passthroughWrites == ["\u{1B}]52;c;aGk=\u{07}"])
  }
}
