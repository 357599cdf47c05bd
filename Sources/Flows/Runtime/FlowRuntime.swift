import Runtime

/// The runtime: a registry of actions and the event bus their traces go to.
///
/// ```swift
/// let runtime = FlowRuntime()
/// let joke = runtime.defineFlow("jokeFlow") { (subject: String) in "Why did the \(subject) cross the road?" }
/// print(try await joke("chicken"))
/// ```
public final class FlowRuntime: Sendable {
  public let registry: ActionRegistry
  public let bus: EventBus
  /// Storage for libraries built on the runtime (the AI layer keeps its models and tools here).
  public let extensions = RuntimeExtensions()

  public init(registry: ActionRegistry = ActionRegistry(), bus: EventBus = EventBus()) {
    self.registry = registry
    self.bus = bus
  }

  /// Runs `body` as a new span: a child of the current span, or the root of a new trace.
  ///
  /// This is the one place spans begin and end. The span is published when it starts and when it
  /// ends; values are recorded as-is and encoded by consumers, so the traced path does no I/O and
  /// no JSON work.
  @inlinable
  public func traced<T>(
    _ name: String,
    kind: SpanKind,
    input: RecordedValue? = nil,
    actionKey: String? = nil,
    context: ActionContext? = nil,
    metadata: [String: String] = [:],
    labels: [String: String] = [:],
    isolation: isolated (any Actor)? = #isolation,
    recordOutput: (T) -> RecordedValue?,
    _ body: (SpanInfo) async throws -> T
  ) async throws -> T {
    try await traced(
      name, kind: kind, input: input, actionKey: actionKey, context: context, metadata: metadata, labels: labels,
      ownsStream: false, sink: nil, isolation: isolation, recordOutput: recordOutput, body)
  }

  @inlinable
  func traced<T>(
    _ name: String,
    kind: SpanKind,
    input: RecordedValue?,
    actionKey: String?,
    context: ActionContext?,
    metadata: [String: String],
    labels: [String: String],
    ownsStream: Bool,
    sink: ChunkSink?,
    isolation: isolated (any Actor)? = #isolation,
    recordOutput: (T) -> RecordedValue?,
    _ body: (SpanInfo) async throws -> T
  ) async throws -> T {
    let span = beginSpan(
      name, kind: kind, input: input, actionKey: actionKey, context: context, metadata: metadata, labels: labels,
      ownsStream: ownsStream, sink: sink)
    do {
      let result = try await SpanInfo.currentLocal.withValue(
        span, operation: { try await body(span) }, isolation: isolation)
      endSpan(span, output: recordOutput(result))
      return result
    } catch {
      failSpan(span, error: error)
      throw error
    }
  }

  /// Creates a span under the current one (or a new trace) and publishes its start.
  @usableFromInline
  func beginSpan(
    _ name: String, kind: SpanKind, input: RecordedValue?, actionKey: String?, context: ActionContext?,
    metadata: [String: String], labels: [String: String], ownsStream: Bool,
    sink: ChunkSink?
  ) -> SpanInfo {
    let parent = SpanInfo.current
    let traceId = parent?.traceId ?? TraceID.timeOrdered()
    let spanId = SpanID.random()
    let scope: RunScope
    if let parent, !ownsStream, context == nil, parent.scope.runtime === self {
      scope = parent.scope
    } else {
      scope = RunScope(
        runtime: self, context: context ?? parent?.scope.context ?? ActionContext(), sink: ownsStream ? sink : nil,
        traceId: traceId, spanId: spanId)
    }
    let span = SpanInfo(
      traceId: traceId, spanId: spanId, parent: parent, name: name, kind: kind,
      startTime: TraceClock.nowMilliseconds(), input: input, metadata: metadata, scope: scope, actionKey: actionKey,
      labels: parent == nil ? labels : [:])
    bus.publish(.spanStarted(span))
    return span
  }

  /// Publishes a successful end (and the end of the run, for a root span).
  @usableFromInline
  func endSpan(_ span: SpanInfo, output: RecordedValue?) {
    let end = TraceClock.nowMilliseconds()
    bus.publish(.spanEnded(span, SpanOutcome(endTime: end, output: output)))
    if span.parent == nil { publishRunFinished(span, end: end, error: nil) }
  }

  /// Publishes a failed end, settling the failure source (and the end of the run, for a root span).
  @usableFromInline
  func failSpan(_ span: SpanInfo, error: any Error) {
    let spanError = Self.spanError(for: error, in: span)
    let end = TraceClock.nowMilliseconds()
    bus.publish(.spanEnded(span, SpanOutcome(endTime: end, error: spanError)))
    if span.parent == nil { publishRunFinished(span, end: end, error: spanError) }
  }

  func publishRunFinished(_ span: SpanInfo, end: Double, error: SpanError?) {
    bus.publish(
      .runFinished(
        RunSummary(
          traceId: span.traceId, rootSpanId: span.spanId, name: span.name, startTime: span.startTime, endTime: end,
          error: error)))
  }

  /// Classifies an error for a span and settles which span is the failure source: the innermost
  /// span that saw this error, i.e. one whose children did not fail with the same error.
  static func spanError(for error: any Error, in span: SpanInfo) -> SpanError {
    let status: StatusCode
    let message: String
    var backtrace: Backtrace?
    switch error {
    case let flowError as FlowError:
      status = flowError.status
      message = flowError.message
      backtrace = flowError.backtrace
    case is CancellationError:
      status = .cancelled
      message = "Action was cancelled"
    default:
      status = Task.isCancelled ? .cancelled : FlowError(wrapping: error).status
      message = String(describing: error)
    }
    let errorType = String(describing: type(of: error))
    let note = FailureNote(errorType: errorType, message: message)
    let childClaimed = span.failureNotes.withLock { $0.contains(note) }
    if let parent = span.parent { parent.failureNotes.withLock { $0.append(note) } }
    if !childClaimed, backtrace == nil { backtrace = NativeBacktrace.capture() }
    return SpanError(
      status: status, message: message, errorType: errorType, isFailureSource: !childClaimed,
      logicalPath: span.displayPath, backtrace: childClaimed ? nil : backtrace)
  }
}
