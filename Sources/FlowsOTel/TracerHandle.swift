import Tracing

/// A tracer of any type, used through its concrete `Tracer` conformance (an `any Tracer` would
/// resolve `startAnySpan` to the deprecated `LegacyTracer` overloads).
///
/// There is deliberately no flush here: `forceFlush()` is only declared by the deprecated
/// `LegacyTracer`, and swift-otel 1.6.0's batch span processor exports a copy of its buffer on
/// force-flush without clearing it, so every forced flush would export the same spans again on
/// the next scheduled batch and at shutdown. Export is left to the processor's schedule
/// (`OTEL_BSP_SCHEDULE_DELAY`) and its final export at graceful shutdown.
struct TracerHandle: Sendable {
  /// Starts a span with an explicit parent context and start instant.
  let startSpan:
    @Sendable (
      _ name: String, _ context: InstrumentationContext, _ kind: Tracing.SpanKind,
      _ start: DefaultTracerClock.Timestamp
    ) -> any Tracing.Span

  init<T: Tracer>(_ tracer: T) {
    startSpan = { name, context, kind, start in
      tracer.startSpan(name, context: context, ofKind: kind, at: start, function: #function, file: #fileID, line: #line)
    }
  }
}
