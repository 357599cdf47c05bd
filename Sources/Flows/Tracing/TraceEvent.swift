/// Everything the runtime tells its observers, in the order it happens within a run.
public enum TraceEvent: Sendable {
  /// A span began (its `endTime` is still 0 in trace JSON).
  case spanStarted(SpanInfo)
  /// A span ended, with its output or error.
  case spanEnded(SpanInfo, SpanOutcome)
  /// A flow sent a stream chunk.
  case chunk(StreamChunk)
  /// A root run is over: the trace is complete.
  case runFinished(RunSummary)
  /// A span that came from elsewhere (imported, or exported by another runtime) in Genkit form.
  /// Boxed: `SpanData` is large, and every event, chunks included, would otherwise take its size.
  indirect case spanReceived(SpanData)
  /// A log record written in a run on this runtime (`SpanLogRecord`, `FlowLogHandler`), as Genkit's
  /// `LogRecordData` with its `logId`; the trace store writer saves it. Boxed like `spanReceived`.
  indirect case logRecorded(JSONObject)
  /// A log record that came from elsewhere (an OTLP log export), as Genkit's `LogRecordData`, once
  /// it is stored (with its `logId`). Boxed like `spanReceived`.
  indirect case logReceived(JSONObject)

  public var traceId: String {
    switch self {
    case .spanStarted(let span), .spanEnded(let span, _): return span.traceId.hex
    case .chunk(let chunk): return chunk.traceId.hex
    case .runFinished(let summary): return summary.traceId.hex
    case .spanReceived(let span): return span.traceId
    case .logRecorded(let record), .logReceived(let record): return record["traceId"]?.stringValue ?? ""
    }
  }
}

/// One streamed chunk, with where it came from.
public struct StreamChunk: Sendable {
  public let traceId: TraceID
  public let spanId: SpanID
  /// 0-based position within the run's stream.
  public let index: Int
  /// ms since the epoch.
  public let time: Double
  public let value: RecordedValue

  public init(traceId: TraceID, spanId: SpanID, index: Int, time: Double, value: RecordedValue) {
    self.traceId = traceId
    self.spanId = spanId
    self.index = index
    self.time = time
    self.value = value
  }
}

/// The end of a root run.
public struct RunSummary: Sendable {
  public let traceId: TraceID
  public let rootSpanId: SpanID
  public let name: String
  public let startTime: Double
  public let endTime: Double
  /// `nil` on success.
  public let error: SpanError?

  public var durationMilliseconds: Double { endTime - startTime }
}
