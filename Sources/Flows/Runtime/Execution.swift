/// What a running task knows about the run it belongs to: the current span, the runtime that
/// traces it, the action context and the enclosing flow's stream.
struct Execution: Sendable {
  let span: SpanInfo
  let runtime: FlowRuntime
  let context: ActionContext
  let stream: StreamTarget?

  @TaskLocal static var current: Execution?
}

/// The span the calling task runs in, if it is inside a traced run.
public enum CurrentSpan {
  public static var info: SpanInfo? { Execution.current?.span }
  public static var traceId: String? { Execution.current?.span.traceId.hex }
}
