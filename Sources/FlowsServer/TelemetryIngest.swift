import Flows
import TraceStore

/// `POST /api/traces`: stores a (partial) `TraceData` as Genkit's telemetry server does and tells
/// live viewers about it.
///
/// Spans are merged by span id with the store's rule (a late start copy never replaces an ended
/// span). Every span of the document is filed under the document's `traceId`. Each span that was
/// not such a stale start is then published on the bus as `.spanReceived`, in start-time order;
/// trace streams turn it into `span_start` (plus `span_end` once it has ended), like Genkit's
/// `spanBroadcastEvents`.
struct TelemetryIngest {
  let store: TraceStore
  let bus: EventBus

  /// A body that is not trace data.
  struct Invalid: Error, CustomStringConvertible {
    var description: String
  }

  func ingest(_ body: JSONValue) throws {
    guard case .object(let object) = body else {
      throw Invalid(description: "expected a TraceData object, got \(body.typeName)")
    }
    guard case .object? = object["spans"] else {
      throw Invalid(description: "TraceData needs \"spans\", an object of SpanData by span id")
    }
    guard let traceId = object["traceId"]?.stringValue else {
      throw Invalid(description: "TraceData needs \"traceId\", a string")
    }
    if case .failure(let error) = TelemetryTraceId.validate(traceId) { throw Invalid(description: error.description) }
    let trace: TraceData
    do {
      trace = try TraceData(json: body)
    } catch {
      throw Invalid(description: "invalid TraceData: \(error)")
    }
    try ingest(trace)
  }

  /// Stores and announces a trace already in Genkit form (its id must be valid, see
  /// `TelemetryTraceId`); the path shared by `POST /api/traces` and OTLP/JSON ingest.
  func ingest(_ trace: TraceData) throws {
    let traceId = trace.traceId
    var spans = trace.spans.values.sorted { ($0.startTime, $0.spanId) < ($1.startTime, $1.spanId) }
    for index in spans.indices where spans[index].traceId != traceId { spans[index].traceId = traceId }
    guard !spans.isEmpty else { return }

    var stale: Set<String> = []
    if spans.contains(where: { $0.endTime == 0 }), let stored = try store.trace(id: traceId) {
      for span in spans where span.endTime == 0 && (stored.spans[span.spanId]?.endTime ?? 0) > 0 {
        stale.insert(span.spanId)
      }
    }
    try store.upsert(spans)
    for span in spans where !stale.contains(span.spanId) { bus.publish(.spanReceived(span)) }
  }
}
