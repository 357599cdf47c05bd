#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The debugger's event loop: one thread (the caller of `run()`) owns the terminal and the
/// delegate, and sleeps in `poll()` on the terminal's input, the inbox and the signal pipe.
///
/// - Idle, it blocks without a timeout (no CPU) unless the delegate asks for a deadline.
/// - Input is read and delivered as soon as it arrives, and may redraw immediately.
/// - The inbox is drained at most once per frame interval: after a drain the loop stops watching
///   the inbox until the interval has passed, so 10 000 events/s cost about `framesPerSecond`
///   wake-ups per second, delivered in batches.
/// - SIGTERM/SIGHUP/SIGINT (through the terminal's `SignalPipe`) and a hang-up on the input
///   become `loopReceivedTermination(signal:)`; SIGWINCH makes the loop read input (KEY_RESIZE).
public final class UILoop<Delegate: UILoopDelegate> {
  /// Counters for diagnostics and tests.
  public struct Statistics: Sendable, Hashable {
    /// Returns from `poll()`.
    public var wakeUps = 0
    /// Frames handed to the terminal.
    public var framesDrawn = 0
    /// Non-empty inbox drains (calls of `loop(received events:)`).
    public var eventBatches = 0
  }

  private let terminal: any Terminal
  private let inbox: Inbox<Delegate.Event>
  private let delegate: Delegate
  private let signals: SignalPipe?
  private let frameInterval: Duration
  private let clock = ContinuousClock()
  /// What the loop has done so far.
  public private(set) var statistics = Statistics()

  /// - Parameters:
  ///   - terminal: Used only from the thread that calls `run()`.
  ///   - inbox: Where other threads and tasks post events.
  ///   - framesPerSecond: The most event-driven frames (and inbox drains) per second.
  ///   - signals: Where signals arrive; nil = the terminal's own when it is `SignalReporting`.
  public init(
    terminal: any Terminal, inbox: Inbox<Delegate.Event>, delegate: Delegate, framesPerSecond: Int = 60,
    signals: SignalPipe? = nil
  ) {
    self.terminal = terminal
    self.inbox = inbox
    self.delegate = delegate
    self.signals = signals ?? (terminal as? any SignalReporting)?.signals
    frameInterval = .seconds(1) / max(framesPerSecond, 1)
  }

  /// Runs until the delegate `isFinished` (checked before each wait). Draws a first frame at once.
  public func run() {
    var watchInput = true
    var drainNotBefore = clock.now
    drawFrame()
    while !delegate.isFinished {
      let now = clock.now
      let deadline = delegate.nextDeadline
      let inboxDeferred = now < drainNotBefore
      var wakeAt = deadline
      if inboxDeferred { wakeAt = min(wakeAt ?? drainNotBefore, drainNotBefore) }

      var descriptors = [
        pollfd(fd: watchInput ? terminal.inputDescriptor : -1, events: Int16(POLLIN), revents: 0),
        pollfd(fd: inboxDeferred ? -1 : inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0),
        pollfd(fd: signals?.readDescriptor ?? -1, events: Int16(POLLIN), revents: 0),
      ]
      let result = poll(&descriptors, nfds_t(descriptors.count), Self.timeout(until: wakeAt, now: now))
      let pollError = result < 0 ? errno : 0
      statistics.wakeUps += 1
      let interrupted = result < 0
      if interrupted, pollError != EINTR, pollError != EAGAIN { return }  // a broken descriptor set: give up

      var changed = false
      var readInput = interrupted || descriptors[0].revents & Int16(POLLIN) != 0
      if descriptors[2].revents & Int16(POLLIN) != 0, let signals {
        for signal in signals.drain() {
          if signal == SIGWINCH {
            readInput = true
          } else {
            delegate.loopReceivedTermination(signal: signal)
            changed = true
          }
        }
      }
      if readInput, watchInput {
        let input = terminal.readInput()
        if !input.isEmpty {
          delegate.loop(received: input)
          changed = true
        }
      }
      if watchInput, descriptors[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
        watchInput = false  // the terminal is gone; polling it again would spin
        delegate.loopReceivedTermination(signal: SIGHUP)
        changed = true
      }

      let after = clock.now
      if after >= drainNotBefore, inboxDeferred || descriptors[1].revents & Int16(POLLIN) != 0 {
        let events = inbox.drain()
        if !events.isEmpty {
          statistics.eventBatches += 1
          delegate.loop(received: events)
          changed = true
          drainNotBefore = after + frameInterval
        }
      }
      if let deadline, deadline <= after { changed = true }
      if changed, !delegate.isFinished { drawFrame() }
    }
  }

  private func drawFrame() {
    guard let frame = delegate.nextFrame(size: terminal.size) else { return }
    terminal.draw(frame.canvas, cursor: frame.cursor)
    statistics.framesDrawn += 1
  }

  /// The `poll` timeout in whole milliseconds (rounded up) until `deadline`; -1 = none.
  static func timeout(until deadline: ContinuousClock.Instant?, now: ContinuousClock.Instant) -> Int32 {
    guard let deadline else { return -1 }
    guard deadline > now else { return 0 }
    let (seconds, attoseconds) = (deadline - now).components
    let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    return Int32(clamping: milliseconds)
  }
}
