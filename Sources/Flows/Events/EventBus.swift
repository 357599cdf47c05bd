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

/// The in-process trace event bus.
///
/// Publishing is synchronous, lock-based and never waits for a consumer: each subscription has its
/// own buffer, and a consumer takes everything buffered in one batch. Any number of subscribers.
public final class EventBus: Sendable {
  private let subscriptions = Mutex<[EventSubscription]>([])

  public init() {}

  /// Adds a subscriber. It receives events published from now on.
  public func subscribe(
    policy: BackpressurePolicy = .unbounded, name: String = "subscriber",
    onAvailable: (@Sendable () -> Void)? = nil
  ) -> EventSubscription {
    let subscription = EventSubscription(policy: policy, name: name, onAvailable: onAvailable)
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
    for subscription in current { subscription.enqueue(event) }
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

/// One subscriber's buffer. Consume it with `nextBatch()` or by iterating (each element is a batch).
public final class EventSubscription: Sendable, AsyncSequence {
  public typealias Element = [TraceEvent]

  struct State {
    var buffer: [TraceEvent] = []
    var waiter: CheckedContinuation<[TraceEvent]?, Never>?
    var finished = false
    var dropped = 0
  }

  public let policy: BackpressurePolicy
  public let name: String
  private let onAvailable: (@Sendable () -> Void)?
  private let state = Mutex(State())

  init(policy: BackpressurePolicy, name: String, onAvailable: (@Sendable () -> Void)?) {
    self.policy = policy
    self.name = name
    self.onAvailable = onAvailable
  }

  /// Events dropped so far under `.bufferingNewest`.
  public var droppedCount: Int { state.withLock { $0.dropped } }

  /// Events waiting to be taken.
  public var pendingCount: Int { state.withLock { $0.buffer.count } }

  func enqueue(_ event: TraceEvent) {
    enum Wake { case none, waiter(CheckedContinuation<[TraceEvent]?, Never>, [TraceEvent]), notify }
    let wake: Wake = state.withLock { s in
      guard !s.finished else { return .none }
      if let waiter = s.waiter {
        s.waiter = nil
        return .waiter(waiter, [event])
      }
      s.buffer.append(event)
      if case .bufferingNewest(let limit) = policy, s.buffer.count > Swift.max(limit, 1) {
        s.buffer.removeFirst(s.buffer.count - Swift.max(limit, 1))
        s.dropped += 1
      }
      return s.buffer.count == 1 ? .notify : .none
    }
    switch wake {
    case .none: break
    case .waiter(let continuation, let batch):
      continuation.resume(returning: batch)
      onAvailable?()
    case .notify: onAvailable?()
    }
  }

  /// Takes everything buffered without waiting (empty when nothing is pending).
  public func drain() -> [TraceEvent] {
    state.withLock { s in
      defer { s.buffer.removeAll(keepingCapacity: true) }
      return s.buffer
    }
  }

  /// Waits until at least one event is buffered and takes all of them; `nil` once finished and empty.
  public func nextBatch() async -> [TraceEvent]? {
    await withCheckedContinuation { (continuation: CheckedContinuation<[TraceEvent]?, Never>) in
      let immediate: [TraceEvent]?? = state.withLock { s in
        if !s.buffer.isEmpty {
          defer { s.buffer = [] }
          return .some(s.buffer)
        }
        if s.finished { return .some(nil) }
        s.waiter = continuation
        return .none
      }
      if let immediate { continuation.resume(returning: immediate) }
    }
  }

  /// Ends the subscription; a waiting consumer receives what is left, then `nil`.
  public func finish() {
    let waiter: CheckedContinuation<[TraceEvent]?, Never>? = state.withLock { s in
      s.finished = true
      defer { s.waiter = nil }
      return s.waiter
    }
    waiter?.resume(returning: nil)
  }

  public struct AsyncIterator: AsyncIteratorProtocol {
    let subscription: EventSubscription
    public mutating func next() async -> [TraceEvent]? { await subscription.nextBatch() }
  }

  public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(subscription: self) }
}
