import Synchronization

/// What the spans of one flow invocation share: the runtime that traces them, the action context,
/// and the flow's stream. Steps and nested actions reuse their parent's scope, so starting a span
/// costs one allocation (its `SpanInfo`) and a task-local push of one reference.
@usableFromInline
final class RunScope: Sendable {
  @usableFromInline let runtime: FlowRuntime
  @usableFromInline let context: ActionContext
  /// The caller's chunk sink, when it asked to stream.
  @usableFromInline let sink: ChunkSink?
  /// The span that owns the stream (ids only, so the scope does not retain its span).
  let streamTraceId: TraceID
  let streamSpanId: SpanID
  private let chunkCounter = Atomic<Int>(0)

  init(
    runtime: FlowRuntime, context: ActionContext, sink: ChunkSink?,
    traceId: TraceID, spanId: SpanID
  ) {
    self.runtime = runtime
    self.context = context
    self.sink = sink
    self.streamTraceId = traceId
    self.streamSpanId = spanId
  }

  /// Sends a chunk to the caller and into the trace (as a `.chunk` event of the owning flow span).
  ///
  /// Generic and inlinable so that a flow's chunk type is known where it is encoded: strings,
  /// numbers, booleans and `JSONValue`s then become JSON without the `Encodable` machinery.
  @inlinable
  func send<Value: Encodable & Sendable>(_ value: Value) {
    switch sink {
    case .json(let deliver):
      // Encoded once: the caller and the trace share the JSON.
      let json = RecordedValue.json(of: value)
      publish(.json(json))
      deliver(json)
    case .values(let deliver):
      publish(.encodable(value))
      deliver(value)
    case nil:
      publish(.encodable(value))
    }
  }

  @usableFromInline
  func publish(_ value: RecordedValue) {
    let index = chunkCounter.wrappingAdd(1, ordering: .relaxed).oldValue
    runtime.bus.publish(
      .chunk(
        StreamChunk(
          traceId: streamTraceId, spanId: streamSpanId, index: index, time: TraceClock.nowMilliseconds(),
          value: value)))
  }
}

/// Where a flow's stream chunks go, besides its trace.
@usableFromInline
enum ChunkSink: Sendable {
  /// The values themselves (a Swift caller's `onChunk`).
  case values(@Sendable (any Encodable & Sendable) -> Void)
  /// The values as JSON (the JSON action path: servers, the debugger). They are encoded once, and
  /// the trace records that same JSON.
  case json(@Sendable (JSONValue) -> Void)
}

extension SpanInfo {
  /// The task-local slot holding the span the calling task runs in.
  @usableFromInline
  static let currentLocal = TaskLocal<SpanInfo?>(wrappedValue: nil)

  /// The span the calling task runs in.
  @usableFromInline
  static var current: SpanInfo? { currentLocal.get() }
}

/// The span the calling task runs in, if it is inside a traced run.
public enum CurrentSpan {
  public static var info: SpanInfo? { SpanInfo.current }
  public static var traceId: String? { SpanInfo.current?.traceId.hex }
}
