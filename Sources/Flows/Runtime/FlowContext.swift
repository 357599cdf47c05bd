/// The side channel a flow body gets: send chunks, read the context, know its trace.
public struct FlowContext<Chunk: Encodable & Sendable>: Sendable {
  @usableFromInline let scope: RunScope
  /// The flow's own span.
  public let span: SpanInfo

  @usableFromInline
  init(scope: RunScope, span: SpanInfo) {
    self.scope = scope
    self.span = span
  }

  /// The action context of this run.
  public var context: ActionContext { scope.context }

  /// True when the caller is consuming the stream (chunks are recorded in the trace either way).
  public var isStreaming: Bool { scope.sink != nil }

  /// The run's trace id (32 hex chars).
  public var traceId: String { span.traceId.hex }

  /// Sends one chunk to the caller and into the trace.
  @inlinable
  public func sendChunk(_ chunk: Chunk) { scope.send(chunk) }
}
