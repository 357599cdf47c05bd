import Synchronization

/// Where a flow's chunks go: the caller's sink (when it asked to stream) and the event bus (always,
/// so the stream is part of the trace).
final class ChunkChannel: Sendable {
  let sink: (@Sendable (any Encodable & Sendable) -> Void)?
  let bus: EventBus
  private let counter = Atomic<Int>(0)
  let span = Mutex<SpanInfo?>(nil)

  init(sink: (@Sendable (any Encodable & Sendable) -> Void)?, bus: EventBus) {
    self.sink = sink
    self.bus = bus
  }

  func send(_ value: any Encodable & Sendable) {
    let index = counter.wrappingAdd(1, ordering: .relaxed).oldValue
    if let owner = span.withLock({ $0 }) {
      bus.publish(
        .chunk(
          StreamChunk(
            traceId: owner.traceId, spanId: owner.spanId, index: index, time: TraceClock.nowMilliseconds(),
            value: .encodable(value))))
    }
    sink?(value)
  }

  var count: Int { counter.load(ordering: .relaxed) }
}

/// The side channel a flow body gets: send chunks, read the context, know its trace.
public struct FlowContext<Chunk: Encodable & Sendable>: Sendable {
  let channel: ChunkChannel
  /// The flow's own span.
  public let span: SpanInfo
  /// The action context of this run.
  public let context: ActionContext

  /// True when the caller is consuming the stream (chunks are recorded in the trace either way).
  public var isStreaming: Bool { channel.sink != nil }

  /// The run's trace id (32 hex chars).
  public var traceId: String { span.traceId.hex }

  /// Sends one chunk to the caller and into the trace.
  public func sendChunk(_ chunk: Chunk) { channel.send(chunk) }
}
