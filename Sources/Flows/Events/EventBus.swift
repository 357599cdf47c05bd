import Synchronization

/// How a subscription behaves when its consumer falls behind.
public enum BackpressurePolicy: Sendable, Equatable {
  /// Keep every event; the buffer grows as needed. For consumers that must never lose data (the
  /// trace store). Delivery is batched, so a slow consumer catches up in few wake-ups.
  case unbounded
  /// Keep at most `limit` events, dropping the oldest, and count the drops. For consumers that only
  /// need the latest state.
  case bufferingNewest(Int)
}

/// Which events a subscription receives.
public enum SubscribedEvents: Sendable, Equatable {
  /// Every event.
  case all
  /// Every event but stream chunks: for consumers of spans only (exporters, a trace's live tail),
  /// which then neither pay for nor buffer a fast stream's chunks.
  case withoutChunks
}

/// The in-process trace event bus.
///
/// Publishing is synchronous, lock-based and never waits for a consumer: each subscription has its
/// own buffer, and a consumer takes everything buffered in one batch. Any number of subscribers.
public final class EventBus: Sendable {
  private let subscriptions = Mutex<[EventSubscription]>([])

  public init() {}

  /// Adds a subscriber. It receives events published from now on.
  public func subscribe(
    policy: BackpressurePolicy = .unbounded, events: SubscribedEvents = .all, name: String = "subscriber",
    onAvailable: (@Sendable () -> Void)? = nil
  ) -> EventSubscription {
    let subscription = EventSubscription(policy: policy, events: events, name: name, onAvailable: onAvailable)
    subscriptions.withLock { $0.append(subscription) }
    return subscription
  }

  /// Removes a subscriber and ends its stream.
  public func unsubscribe(_ subscription: EventSubscription) {
    subscriptions.withLock { $0.removeAll { $0 === subscription } }
    subscription.finish()
  }

  public var subscriberCount: Int { subscriptions.withLock { $0.count } }

  /// Delivers an event to every subscriber. Never blocks on a consumer.
  public func publish(_ event: TraceEvent) {
    let current = subscriptions.withLock { $0 }
    if case .chunk = event {
      for subscription in current where subscription.events == .all { subscription.enqueue(event) }
    } else {
      for subscription in current { subscription.enqueue(event) }
    }
  }

  /// Ends every subscription (consumers see the end after draining what is buffered).
  public func finishAll() {
    let current = subscriptions.withLock { list in
      defer { list.removeAll() }
      return list
    }
    for subscription in current { subscription.finish() }
  }
}

/// One subscriber's buffer. Consume it with `nextBatch(into:)` (which recycles the consumer's
/// previous batch storage, so steady-state delivery allocates nothing), `nextBatch()`, or by
/// iterating (each element is a batch).
public final class EventSubscription: Sendable, AsyncSequence {
  public typealias Element = [TraceEvent]

  struct State {
    var buffer: [TraceEvent] = []
    var waiter: CheckedContinuation<Void, Never>?
    var finished = false
    var dropped = 0
  }

  public let policy: BackpressurePolicy
  /// The events it receives.
  public let events: SubscribedEvents
  public let name: String
  private let onAvailable: (@Sendable () -> Void)?
  private let state = Mutex(State())

  init(policy: BackpressurePolicy, events: SubscribedEvents, name: String, onAvailable: (@Sendable () -> Void)?) {
    self.policy = policy
    self.events = events
    self.name = name
    self.onAvailable = onAvailable
  }

  /// Events dropped so far under `.bufferingNewest`.
  public var droppedCount: Int { state.withLock { $0.dropped } }

  /// Events waiting to be taken.
  public var pendingCount: Int { state.withLock { $0.buffer.count } }

  func enqueue(_ event: TraceEvent) {
    let (waiter, becameNonEmpty): (CheckedContinuation<Void, Never>?, Bool) = state.withLock { s in
      guard !s.finished else { return (nil, false) }
      s.buffer.append(event)
      if case .bufferingNewest(let limit) = policy, s.buffer.count > Swift.max(limit, 1) {
        s.buffer.removeFirst(s.buffer.count - Swift.max(limit, 1))
        s.dropped += 1
      }
      let waiter = s.waiter
      s.waiter = nil
      return (waiter, s.buffer.count == 1)
    }
    waiter?.resume()
    if becameNonEmpty { onAvailable?() }
  }

  /// Takes everything buffered without waiting (empty when nothing is pending).
  public func drain() -> [TraceEvent] {
    var batch: [TraceEvent] = []
    state.withLock { swap(&batch, &$0.buffer) }
    return batch
  }

  /// Takes everything buffered without waiting, into `batch` (emptied first), whose old storage
  /// becomes the new buffer: a consumer that keeps its batch array allocates nothing in steady
  /// state, and publishers append into storage that is already big enough.
  /// A batch array bigger than `recycledCapacityLimit` (left by a burst) is let go instead, so memory
  /// goes back after the burst.
  public func drain(into batch: inout [TraceEvent]) {
    if batch.capacity > Self.recycledCapacityLimit {
      batch = []
    } else {
      batch.removeAll(keepingCapacity: true)
    }
    state.withLock { swap(&batch, &$0.buffer) }
  }

  /// The largest batch array `drain(into:)` recycles.
  public static let recycledCapacityLimit = 65_536

  /// Waits until at least one event is buffered, then swaps the buffer with `batch`: `batch` gets
  /// the events, and its old storage (emptied first) becomes the new buffer. Returns false once the
  /// subscription is finished and nothing is left.
  public func nextBatch(into batch: inout [TraceEvent]) async -> Bool {
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

  /// Waits for and takes the next batch; `nil` once finished and empty.
  public func nextBatch() async -> [TraceEvent]? {
    var batch: [TraceEvent] = []
    return await nextBatch(into: &batch) ? batch : nil
  }

  /// Ends the subscription; a waiting consumer receives what is left, then the end.
  public func finish() {
    let waiter: CheckedContinuation<Void, Never>? = state.withLock { s in
      s.finished = true
      defer { s.waiter = nil }
      return s.waiter
    }
    waiter?.resume()
  }

  public struct AsyncIterator: AsyncIteratorProtocol {
    let subscription: EventSubscription
    public mutating func next() async -> [TraceEvent]? { await subscription.nextBatch() }
  }

  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(subscription: self) }
}
