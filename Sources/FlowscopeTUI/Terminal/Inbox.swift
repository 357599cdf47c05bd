import Synchronization

/// A thread-safe queue of events for the UI loop. Any thread or task may `post`; the UI thread
/// polls `wakeDescriptor` and calls `drain()`.
///
/// Posting never blocks and writes a single wake byte only when the queue goes from empty to
/// non-empty, so a fast producer costs the UI thread one wake-up per drain, not one per event.
public final class Inbox<Event: Sendable>: Sendable {
  private let queue = Mutex<[Event]>([])
  private let pipe: SelfPipe

  /// Creates an empty inbox with its own wake pipe.
  /// - Throws: `SystemCallError` when the pipe cannot be created.
  public init() throws(SystemCallError) {
    pipe = try SelfPipe()
  }

  deinit { pipe.closeDescriptors() }

  /// The descriptor that becomes readable when events are waiting (`poll` it for `POLLIN`).
  public var wakeDescriptor: Int32 { pipe.readDescriptor }

  /// Appends one event. Never blocks.
  public func post(_ event: Event) {
    let wasEmpty = queue.withLock { events in
      let wasEmpty = events.isEmpty
      events.append(event)
      return wasEmpty
    }
    if wasEmpty { pipe.post(byte: 1) }
  }

  /// Appends several events in order, atomically with respect to other posters. Never blocks.
  public func post(contentsOf newEvents: some Sequence<Event>) {
    let wasEmpty = queue.withLock { events in
      let wasEmpty = events.isEmpty
      events.append(contentsOf: newEvents)
      return wasEmpty && !events.isEmpty
    }
    if wasEmpty { pipe.post(byte: 1) }
  }

  /// Takes every waiting event, oldest first, and clears the wake descriptor.
  public func drain() -> [Event] {
    // Empty the pipe before taking the queue: a post that lands in between then leaves its
    // byte in the pipe (at worst one spurious wake-up), never an event without a wake-up.
    _ = pipe.drain()
    return queue.withLock { events in
      let taken = events
      events = []
      return taken
    }
  }

  /// Whether events are waiting (for tests and diagnostics).
  public var isEmpty: Bool { queue.withLock { $0.isEmpty } }
}
