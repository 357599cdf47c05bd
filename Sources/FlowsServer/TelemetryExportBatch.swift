import Flows

/// Turns a batch of bus events into one `TraceData` document per trace, as Genkit exporters POST
/// them: each span once (its end copy when it ended within the batch, else its start copy when
/// realtime export is on), and the trace-level `displayName`/`startTime`/`endTime` only when the
/// document holds the parentless span (the telemetry server keeps what it has otherwise).
///
/// Only local spans are exported: spans received from elsewhere (`.spanReceived`) are not sent back.
/// Log records written in local runs (`.logRecorded`) go out separately, as OTLP (`logs(_:)`).
enum TelemetryExportBatch {
  /// The log records written in local runs, in order (received ones are not sent back).
  static func logs(_ events: [TraceEvent]) -> [JSONObject] {
    events.compactMap { event in
      if case .logRecorded(let record) = event { return record }
      return nil
    }
  }

  static func documents(_ events: [TraceEvent], realtime: Bool) -> [TraceData] {
    var order: [TraceID] = []
    var chosen: [TraceID: [SpanID: (info: SpanInfo, outcome: SpanOutcome?)]] = [:]
    var spanOrder: [TraceID: [SpanID]] = [:]
    for event in events {
      let info: SpanInfo
      let outcome: SpanOutcome?
      switch event {
      case .spanStarted(let started):
        guard realtime else { continue }
        info = started
        outcome = nil
      case .spanEnded(let ended, let result):
        info = ended
        outcome = result
      case .chunk, .runFinished, .spanReceived, .logRecorded, .logReceived:
        continue
      }
      if chosen[info.traceId] == nil {
        order.append(info.traceId)
        chosen[info.traceId] = [:]
      }
      if let previous = chosen[info.traceId]?[info.spanId] {
        if previous.outcome != nil, outcome == nil { continue }
      } else {
        spanOrder[info.traceId, default: []].append(info.spanId)
      }
      chosen[info.traceId]?[info.spanId] = (info, outcome)
    }
    return order.map { traceId in
      let spans = (spanOrder[traceId] ?? []).compactMap { spanId -> SpanData? in
        guard let entry = chosen[traceId]?[spanId] else { return nil }
        return SpanData(entry.info, outcome: entry.outcome)
      }
      return document(traceId: traceId.hex, spans: spans)
    }
  }

  /// One trace document; trace-level fields only from a parentless span.
  static func document(traceId: String, spans: [SpanData]) -> TraceData {
    var trace = TraceData(traceId: traceId)
    for span in spans { trace.spans[span.spanId] = span }
    if let root = spans.first(where: { $0.parentSpanId == nil }) {
      trace.displayName = root.displayName
      trace.startTime = root.startTime
      trace.endTime = root.endTime
    }
    return trace
  }
}
