/// A span in Genkit's trace format (`SpanData` in genkit-tools' trace types): the telemetry-server
/// wire format and the storage format, field for field.
public struct SpanData: Sendable, Equatable, Codable {
  public var spanId: String
  public var traceId: String
  public var parentSpanId: String?
  /// ms since the epoch, fractional.
  public var startTime: Double
  /// ms since the epoch; 0 while the span is running.
  public var endTime: Double
  public var attributes: JSONObject
  public var displayName: String
  public var links: [JSONValue]?
  public var instrumentationLibrary: InstrumentationLibrary
  public var spanKind: String
  public var sameProcessAsParentSpan: Bool?
  public var status: SpanStatus?
  public var timeEvents: [TimeEvent]?
  public var truncated: Bool?

  public init(
    spanId: String, traceId: String, parentSpanId: String? = nil, startTime: Double, endTime: Double,
    attributes: JSONObject, displayName: String, links: [JSONValue]? = [],
    instrumentationLibrary: InstrumentationLibrary = .genkit, spanKind: String = "INTERNAL",
    sameProcessAsParentSpan: Bool? = true, status: SpanStatus? = SpanStatus(code: 0),
    timeEvents: [TimeEvent]? = [], truncated: Bool? = nil
  ) {
    self.spanId = spanId
    self.traceId = traceId
    self.parentSpanId = parentSpanId
    self.startTime = startTime
    self.endTime = endTime
    self.attributes = attributes
    self.displayName = displayName
    self.links = links
    self.instrumentationLibrary = instrumentationLibrary
    self.spanKind = spanKind
    self.sameProcessAsParentSpan = sameProcessAsParentSpan
    self.status = status
    self.timeEvents = timeEvents
    self.truncated = truncated
  }

  public struct InstrumentationLibrary: Sendable, Equatable {
    public var name: String
    public var version: String?
    public var schemaUrl: String?

    public init(name: String, version: String? = nil, schemaUrl: String? = nil) {
      self.name = name
      self.version = version
      self.schemaUrl = schemaUrl
    }

    public static let genkit = InstrumentationLibrary(name: "genkit-tracer", version: "v1")
  }

  /// OpenTelemetry status: 0 unset, 1 ok, 2 error (Go's exporter uses 1 for error; see `isError`).
  public struct SpanStatus: Sendable, Equatable {
    public var code: Int
    public var message: String?
    public init(code: Int, message: String? = nil) {
      self.code = code
      self.message = message
    }
  }

  /// A span event (`timeEvents.timeEvent[]`), e.g. the `exception` event of a failed span.
  public struct TimeEvent: Sendable, Equatable {
    public var time: Double
    public var description: String
    public var attributes: JSONObject
    public init(time: Double, description: String, attributes: JSONObject) {
      self.time = time
      self.description = description
      self.attributes = attributes
    }
  }
}

/// A whole trace in Genkit's format: its spans keyed by span id.
public struct TraceData: Sendable, Equatable, Codable {
  public var traceId: String
  public var displayName: String?
  public var startTime: Double?
  public var endTime: Double?
  public var spans: [String: SpanData]

  public init(
    traceId: String, displayName: String? = nil, startTime: Double? = nil, endTime: Double? = nil,
    spans: [String: SpanData] = [:]
  ) {
    self.traceId = traceId
    self.displayName = displayName
    self.startTime = startTime
    self.endTime = endTime
    self.spans = spans
  }

  /// A trace made from spans, taking the trace-level fields from the parentless span (as Genkit does).
  public init(traceId: String, spans: [SpanData]) {
    self.init(traceId: traceId)
    for span in spans { self.spans[span.spanId] = span }
    refreshSummary()
  }

  /// The root span: the first span without a parent in this trace (earliest start wins).
  public var rootSpan: SpanData? {
    let ids = Set(spans.keys)
    return spans.values
      .filter { $0.parentSpanId == nil || !ids.contains($0.parentSpanId ?? "") }
      .min { ($0.parentSpanId == nil ? 0 : 1, $0.startTime) < ($1.parentSpanId == nil ? 0 : 1, $1.startTime) }
  }

  /// Recomputes `displayName`, `startTime` and `endTime` from the root span.
  public mutating func refreshSummary() {
    guard let root = rootSpan else { return }
    displayName = root.displayName
    startTime = root.startTime
    endTime = root.endTime
  }

  /// Merges a span by id. A late "start" copy (endTime 0) never replaces a span that has ended.
  public mutating func merge(_ span: SpanData) {
    if let existing = spans[span.spanId], existing.endTime > 0, span.endTime == 0 { return }
    spans[span.spanId] = span
  }
}
