import Flows
import Foundation
import Synchronization

/// Persists everything a runtime publishes: subscribes to the event bus (`.unbounded`, so nothing
/// is lost) and writes spans and chunks to a `TraceStore` from a thread of its own (SQLite blocks; the
/// cooperative pool's few threads stay free for flows and request handlers).
///
/// Each wake-up takes every buffered event and writes it in one transaction: several copies of a
/// span in a batch are coalesced (a span that started and ended in the batch is written once).
/// After a small batch the thread pauses ~2 ms so that, under load, events pile up into fewer and
/// bigger transactions. A failed write never stops the flows or the writer: it is counted and
/// remembered in `lastError`, and the writer goes on with the next batch.
///
/// ```swift
/// let writer = TraceStoreWriter(store: store, bus: runtime.bus)
/// _ = try await flow(input)
/// await writer.flush()   // the trace is in the store now
/// ```
public final class TraceStoreWriter: Sendable {
  /// The store written to.
  public let store: TraceStore
  private let bus: EventBus
  private let core: WriterCore
  private let thread: WriterThread

  /// Subscribes to `bus` and starts writing to `store`.
  public init(store: TraceStore, bus: EventBus) {
    // The subscription calls `onAvailable` when its buffer goes from empty to non-empty; the
    // thread then drains it. Events are only ever taken by `drain()` under the core's lock,
    // together with their write, which is what lets `flush()` know that nothing is in flight.
    let thread = WriterThread(name: "flowscope-store")
    let subscription = bus.subscribe(policy: .unbounded, name: "trace-store") { thread.wake() }
    let core = WriterCore(store: store, subscription: subscription)
    thread.start {
      if core.pump() < WriterCore.smallBatch { usleep(WriterCore.pauseMicroseconds) }
    }
    self.store = store
    self.bus = bus
    self.core = core
    self.thread = thread
  }

  deinit {
    bus.unsubscribe(core.subscription)
    thread.stopSoon()
  }

  /// Returns once every event published before the call has been written (or its write failed).
  public func flush() async {
    core.pump()
  }

  /// Unsubscribes, writes what is left and ends the writer's thread. Idempotent; events published
  /// afterwards are not recorded.
  public func stop() async {
    bus.unsubscribe(core.subscription)
    await thread.stop()
  }

  /// Spans written so far (after coalescing copies of a span within a batch).
  public var writtenSpanCount: Int { core.stats.withLock { $0.spans } }
  /// Chunks written so far.
  public var writtenChunkCount: Int { core.stats.withLock { $0.chunks } }
  /// Write transactions committed so far.
  public var transactionCount: Int { core.stats.withLock { $0.transactions } }
  /// Writes that failed (a failed batch is retried trace by trace; each trace that still fails
  /// counts once, and its events are lost).
  public var failedWriteCount: Int { core.stats.withLock { $0.failures } }
  /// The last write error, if any.
  public var lastError: String? { core.stats.withLock { $0.lastError } }
}

/// The writer's state shared with its thread (which must not keep the writer alive).
final class WriterCore: Sendable {
  /// Batches smaller than this are followed by a short pause to let the next one grow.
  static let smallBatch = 256
  /// That pause.
  static let pauseMicroseconds: UInt32 = 2_000

  struct Stats {
    var spans = 0
    var chunks = 0
    var transactions = 0
    var failures = 0
    var lastError: String?
  }

  let store: TraceStore
  let subscription: EventSubscription
  /// Serializes taking events and writing them (held across both). Holds the batch array the
  /// subscription's buffer is swapped with (recycled: no regrowth while events are published).
  private let converter = Mutex((batch: TraceEventBatch(), events: [TraceEvent]()))
  let stats = Mutex(Stats())

  init(store: TraceStore, subscription: EventSubscription) {
    self.store = store
    self.subscription = subscription
  }

  /// Takes every buffered event and writes it in one transaction. Returns the number of events taken.
  @discardableResult
  func pump() -> Int {
    converter.withLock { state in
      subscription.drain(into: &state.events)
      let count = state.events.count
      guard count > 0 else { return 0 }
      let (spans, chunks, logs) = state.batch.convert(state.events)
      state.events.removeAll(keepingCapacity: true)
      do {
        try store.write(spans: spans, blocks: chunks, logs: logs)
        recordSuccess(spans: spans.count, chunks: chunks.chunkCount)
      } catch {
        writeSeparately(spans: spans, chunks: chunks, logs: logs, firstError: error)
      }
      return count
    }
  }

  /// After a failed batch, writes it again one trace at a time, so that one bad trace (or a
  /// transient failure) does not lose the others. Each trace that still fails counts as a failure.
  private func writeSeparately(spans: [SpanData], chunks: [ChunkBlock], logs: [JSONObject], firstError: any Error) {
    var groups: [String: (spans: [SpanData], chunks: [ChunkBlock], logs: [JSONObject])] = [:]
    for span in spans { groups[span.traceId, default: ([], [], [])].spans.append(span) }
    for chunk in chunks { groups[chunk.traceId, default: ([], [], [])].chunks.append(chunk) }
    for log in logs { groups[log["traceId"]?.stringValue ?? "", default: ([], [], [])].logs.append(log) }
    guard groups.count > 1 else {
      recordFailure(firstError)
      return
    }
    for group in groups.values {
      do {
        try store.write(spans: group.spans, blocks: group.chunks, logs: group.logs)
        recordSuccess(spans: group.spans.count, chunks: group.chunks.chunkCount)
      } catch {
        recordFailure(error)
      }
    }
  }

  private func recordSuccess(spans: Int, chunks: Int) {
    stats.withLock { stats in
      stats.spans += spans
      stats.chunks += chunks
      stats.transactions += 1
    }
  }

  private func recordFailure(_ error: any Error) {
    stats.withLock { stats in
      stats.failures += 1
      stats.lastError = "\(error)"
    }
  }
}
