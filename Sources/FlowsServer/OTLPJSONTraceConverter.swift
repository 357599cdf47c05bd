import Flows

/// The traces of one OTLP/JSON `ExportTraceServiceRequest`, in Genkit form.
public struct OTLPJSONTraces: Sendable, Equatable {
  /// One trace per trace id, in the order the ids first appear in the request.
  public var traces: [TraceData]
  /// Spans that could not be converted (missing or malformed ids or start time).
  public var rejectedSpans: Int
  /// Why spans were rejected (the first few reasons), for OTLP's `partialSuccess.errorMessage`.
  public var rejectionMessages: [String]

  /// Converted traces and rejections.
  public init(traces: [TraceData] = [], rejectedSpans: Int = 0, rejectionMessages: [String] = []) {
    self.traces = traces
    self.rejectedSpans = rejectedSpans
    self.rejectionMessages = rejectionMessages
  }

  /// The number of spans converted.
  public var spanCount: Int { traces.reduce(0) { $0 + $1.spans.count } }
}

/// Converts OTLP/JSON trace exports (`ExportTraceServiceRequest`, as OpenTelemetry SDKs post to
/// `/v1/traces` with `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`) into Genkit `TraceData`, so spans of any
/// OpenTelemetry-instrumented program can be stored and shown like Genkit's.
///
/// Per span:
/// - ids become lowercase hex (hex or base64 input); an empty or all-zero `parentSpanId` means root;
/// - `startTimeUnixNano`/`endTimeUnixNano` (decimal strings or numbers) become fractional ms; a
///   missing end time means the span is still running (`endTime` 0);
/// - attributes are flattened to JSON values (`intValue` strings become integers, `arrayValue` arrays,
///   `kvlistValue` objects, `bytesValue` base64 strings), so `genkit:*` attributes round-trip as-is;
/// - the resource's `service.name` is kept as the span attribute `service.name`;
/// - `displayName` is the span name (`genkit:name` when the name is empty);
/// - `status` is kept, and sets `genkit:state` (`error` for code 2, else `success`) on ended spans
///   that have none;
/// - events become `timeEvents` (the `exception` event carries the error message and stack), links
///   become Genkit links, the scope becomes `instrumentationLibrary`, `kind` the `spanKind` name, and
///   the parent-is-remote span flags `sameProcessAsParentSpan`.
///
/// Spans without a valid trace id, span id or start time are counted as rejected, not fatal; a body
/// that is not an export request at all throws `OTLPJSONTraceConverter.Invalid`.
public enum OTLPJSONTraceConverter {
  /// A body that is not an OTLP/JSON `ExportTraceServiceRequest`.
  public struct Invalid: Error, Sendable, CustomStringConvertible {
    public var description: String
  }

  /// How many rejection reasons are kept.
  static let maxRejectionMessages = 5

  /// True when `body` carries trace data (a `resourceSpans` field), as opposed to OTLP logs or metrics.
  public static func containsTraces(_ body: JSONValue) -> Bool {
    guard let object = body.objectValue else { return false }
    return OTLPJSONValues.field(object, "resourceSpans", "resource_spans") != nil
  }

  /// Converts an `ExportTraceServiceRequest`.
  public static func traces(from body: JSONValue) throws(Invalid) -> OTLPJSONTraces {
    guard let request = body.objectValue else {
      throw Invalid(description: "expected an OTLP ExportTraceServiceRequest object, got \(body.typeName)")
    }
    var builder = Builder()
    for (r, resourceSpans) in try list(request, "resourceSpans", "resource_spans", at: "").enumerated() {
      let path = "resourceSpans[\(r)]"
      guard let resourceObject = resourceSpans.objectValue else { throw notObject(path, resourceSpans) }
      let resource = OTLPJSONValues.keyValues(resourceObject["resource"]?["attributes"])
      let scopes =
        try list(resourceObject, "scopeSpans", "scope_spans", at: path)
        + list(resourceObject, "instrumentationLibrarySpans", "instrumentation_library_spans", at: path)
      for (s, scopeSpans) in scopes.enumerated() {
        let scopePath = path + ".scopeSpans[\(s)]"
        guard let scopeObject = scopeSpans.objectValue else { throw notObject(scopePath, scopeSpans) }
        let scope = Scope(scopeObject, resource: resource)
        for (n, span) in try list(scopeObject, "spans", nil, at: scopePath).enumerated() {
          let spanPath = scopePath + ".spans[\(n)]"
          guard let spanObject = span.objectValue else { throw notObject(spanPath, span) }
          switch OTLPJSONSpan.convert(spanObject, scope: scope) {
          case .success(let converted): builder.add(converted)
          case .failure(let reason): builder.reject("\(spanPath): \(reason)")
          }
        }
      }
    }
    return builder.result
  }

  /// The array at `camel`/`snake` (empty when absent).
  static func list(_ object: JSONObject, _ camel: String, _ snake: String?, at path: String) throws(Invalid)
    -> [JSONValue]
  {
    guard let value = OTLPJSONValues.field(object, camel, snake), !value.isNull else { return [] }
    guard let array = value.arrayValue else {
      throw Invalid(description: "\(path.isEmpty ? "" : path + ".")\(camel) must be an array, got \(value.typeName)")
    }
    return array
  }

  static func notObject(_ path: String, _ value: JSONValue) -> Invalid {
    Invalid(description: "\(path) must be an object, got \(value.typeName)")
  }

  /// What a span inherits from its resource and scope.
  struct Scope {
    var library: SpanData.InstrumentationLibrary
    var serviceName: JSONValue?

    init(_ scopeSpans: JSONObject, resource: JSONObject) {
      let scope =
        OTLPJSONValues.field(scopeSpans, "scope") ?? OTLPJSONValues.field(scopeSpans, "instrumentationLibrary")
      let schemaUrl = OTLPJSONValues.field(scopeSpans, "schemaUrl", "schema_url")?.stringValue
      library = SpanData.InstrumentationLibrary(
        name: scope?["name"]?.stringValue ?? "",
        version: scope?["version"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
        schemaUrl: schemaUrl.flatMap { $0.isEmpty ? nil : $0 })
      serviceName = resource["service.name"]
    }
  }

  /// Groups converted spans by trace, in order of first appearance.
  struct Builder {
    var order: [String] = []
    var spans: [String: [SpanData]] = [:]
    var rejected = 0
    var messages: [String] = []

    mutating func add(_ span: SpanData) {
      if spans[span.traceId] == nil { order.append(span.traceId) }
      spans[span.traceId, default: []].append(span)
    }

    mutating func reject(_ message: String) {
      rejected += 1
      if messages.count < OTLPJSONTraceConverter.maxRejectionMessages { messages.append(message) }
    }

    var result: OTLPJSONTraces {
      let traces = order.map { traceId in
        var trace = TraceData(traceId: traceId)
        for span in spans[traceId] ?? [] { trace.merge(span) }
        trace.refreshSummary()
        return trace
      }
      return OTLPJSONTraces(traces: traces, rejectedSpans: rejected, rejectionMessages: messages)
    }
  }
}
