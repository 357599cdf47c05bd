/// Where a flow's chunks go: the caller's sink (when it asked to stream) and the event bus (always,
/// so the stream is part of the trace). Owned by the flow's span; nested steps and actions inherit it.
struct StreamTarget: Sendable {
  let sink: (@Sendable (any Encodable & Sendable) -> Void)?
  let span: SpanInfo
  let bus: EventBus

  func send(_ value: any Encodable & Sendable) {
    let index = span.chunkCounter.wrappingAdd(1, ordering: .relaxed).oldValue
    bus.publish(
      .chunk(
        StreamChunk(
          traceId: span.traceId, spanId: span.spanId, index: index, time: TraceClock.nowMilliseconds(),
          value: .encodable(value))))
    sink?(value)
  }
}

/// The side channel a flow body gets: send chunks, read the context, know its trace.
public struct FlowContext<Chunk: Encodable & Sendable>: Sendable {
  let stream: StreamTarget
  /// The action context of this run.
  public let context: ActionContext

  /// The flow's own span.
  public var span: SpanInfo { stream.span }

  /// True when the caller is consuming the stream (chunks are recorded in the trace either way).
  public var isStreaming: Bool { stream.sink != nil }

  /// The run's trace id (32 hex chars).
  public var traceId: String { span.traceId.hex }

  /// Sends one chunk to the caller and into the trace.
  public func sendChunk(_ chunk: Chunk) { stream.send(chunk) }
}
