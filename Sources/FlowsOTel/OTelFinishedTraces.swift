import Flows
import Tracing

/// The span contexts of recently finished traces (bounded, oldest forgotten first), so a span that
/// starts after its whole trace ended (work left running in an unstructured task) still gets its
/// parent.
struct FinishedTraces {
  let capacity: Int
  private var contexts: [TraceID: [SpanID: InstrumentationContext]] = [:]
  private var order: [TraceID] = []

  init(capacity: Int) { self.capacity = max(capacity, 1) }

  /// Keeps the contexts of a trace that has no open span left.
  mutating func remember(_ traceId: TraceID, contexts ended: [SpanID: InstrumentationContext]) {
    if contexts.updateValue(ended, forKey: traceId) == nil { order.append(traceId) }
    while order.count > capacity { contexts[order.removeFirst()] = nil }
  }

  /// The state of a trace that becomes active again: its remembered contexts (forgotten here),
  /// or a fresh state.
  mutating func revive(_ traceId: TraceID) -> OTelSpanBridge.TraceState {
    guard let ended = contexts.removeValue(forKey: traceId) else { return OTelSpanBridge.TraceState() }
    order.removeAll { $0 == traceId }
    return OTelSpanBridge.TraceState(ended: ended)
  }
}
