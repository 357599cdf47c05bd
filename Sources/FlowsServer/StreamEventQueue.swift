import Synchronization

/// The events of one streaming call (chunks, then an end), from the flow task to the response writer.
///
/// The flow side never waits (`push` is a lock and an append). The writer takes everything that is
/// buffered at once, so a burst of chunks goes out in one write and one flush while a slow trickle
/// goes out chunk by chunk as it is produced. A writer that paces its writes (`pause(until:)`) lets
/// a fast stream's chunks gather into fewer, bigger writes.
final class StreamEventQueue<Event: Sendable>: Sendable {
  private struct State {
    var buffer: [Event] = []
    var finished = false
    var waiter: CheckedContinuation<Void, Never>?
    var pauseWaiter: CheckedContinuation<Void, Never>?
  }

  private let state = Mutex(State())

  /// Adds an event (ignored after `finish`).
  func push(_ event: Event) {
    let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
      guard !s.finished else { return nil }
      s.buffer.append(event)
      defer { s.waiter = nil }
      return s.waiter
    }
    waiter?.resume()
  }

  /// Ends the queue; the writer drains what is left, then sees the end (a pause ends at once).
  func finish() {
    let (waiter, pauseWaiter) = state.withLock { s in
      s.finished = true
      defer {
        s.waiter = nil
        s.pauseWaiter = nil
      }
      return (s.waiter, s.pauseWaiter)
    }
    waiter?.resume()
    pauseWaiter?.resume()
  }

  /// Waits until `deadline`, or less if the queue is finished first (so the end of a stream is
  /// never held back). Events pushed meanwhile stay buffered for the next
  /// `next(into:)`.
  func pause(until deadline: ContinuousClock.Instant) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let finished = state.withLock { s in
        if s.finished { return true }
        s.pauseWaiter = continuation
        return false
      }
      if finished {
        continuation.resume()
        return
      }
      Task {
        try? await Task.sleep(until: deadline, clock: .continuous)
        self.endPause()
      }
    }
  }

  private func endPause() {
    let waiter = state.withLock { s in
      defer { s.pauseWaiter = nil }
      return s.pauseWaiter
    }
    waiter?.resume()
  }

  /// Waits for at least one event and moves all buffered events into `batch` (emptied first),
  /// whose old storage becomes the buffer: a writer that keeps its batch array lets the flow append
  /// into storage that is already big enough. Returns false once finished and drained. One
  /// consumer at a time.
  func next(into batch: inout [Event]) async -> Bool {
    batch.removeAll(keepingCapacity: true)
    while true {
      let taken: Bool? = state.withLock { s in
        if !s.buffer.isEmpty {
          swap(&batch, &s.buffer)
          return true
        }
        return s.finished ? false : nil
      }
      if let taken { return taken }
      await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let ready = state.withLock { s in
          if !s.buffer.isEmpty || s.finished { return true }
          s.waiter = continuation
          return false
        }
        if ready { continuation.resume() }
      }
    }
  }
}
