import Flows

/// One OTLP/JSON `Span` as a Genkit `SpanData` (see `OTLPJSONTraceConverter` for the mapping).
enum OTLPJSONSpan {
  typealias Values = OTLPJSONValues

  /// `SPAN_FLAGS_CONTEXT_HAS_IS_REMOTE_MASK`: the flags say whether the parent is remote.
  static let hasIsRemoteFlag: Int64 = 0x100
  /// `SPAN_FLAGS_CONTEXT_IS_REMOTE_MASK`: the parent is in another process.
  static let isRemoteFlag: Int64 = 0x200

  static func convert(_ span: JSONObject, scope: OTLPJSONTraceConverter.Scope) -> Result<SpanData, Rejection> {
    guard case .valid(let traceId) = Values.id(Values.field(span, "traceId", "trace_id"), byteCount: 16) else {
      return .failure(Rejection(reason: "missing or invalid traceId"))
    }
    guard case .valid(let spanId) = Values.id(Values.field(span, "spanId", "span_id"), byteCount: 8) else {
      return .failure(Rejection(reason: "missing or invalid spanId"))
    }
    let parentSpanId: String?
    switch Values.id(Values.field(span, "parentSpanId", "parent_span_id"), byteCount: 8) {
    case .absent: parentSpanId = nil
    case .valid(let id): parentSpanId = id
    case .invalid(let text):
      return .failure(Rejection(reason: "invalid parentSpanId \(JSONValue.string(text).serialized())"))
    }
    guard let start = Values.nanoseconds(Values.field(span, "startTimeUnixNano", "start_time_unix_nano")), start > 0
    else {
      return .failure(Rejection(reason: "missing or invalid startTimeUnixNano"))
    }
    let end = Values.nanoseconds(Values.field(span, "endTimeUnixNano", "end_time_unix_nano")) ?? 0
    let endTime = end > 0 ? Values.milliseconds(end) : 0

    var attributes = Values.keyValues(span["attributes"])
    if let serviceName = scope.serviceName, attributes["service.name"] == nil {
      attributes["service.name"] = serviceName
    }
    let status = self.status(span["status"])
    if attributes["genkit:state"] == nil, endTime > 0 {
      attributes["genkit:state"] = status?.code == 2 ? "error" : "success"
    }
    let name = span["name"]?.stringValue ?? ""
    return .success(
      SpanData(
        spanId: spanId, traceId: traceId, parentSpanId: parentSpanId, startTime: Values.milliseconds(start),
        endTime: endTime, attributes: attributes,
        displayName: name.isEmpty ? attributes["genkit:name"]?.stringValue ?? "" : name,
        links: (span["links"]?.arrayValue ?? []).compactMap(link), instrumentationLibrary: scope.library,
        spanKind: kind(span["kind"]),
        sameProcessAsParentSpan: sameProcess(span["flags"], hasParent: parentSpanId != nil),
        status: status ?? SpanData.SpanStatus(code: 0),
        timeEvents: (span["events"]?.arrayValue ?? []).map(event)))
  }

  /// Why a span was not converted.
  struct Rejection: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
  }

  /// `kind`: the enum number (or its name) as Genkit's `spanKind` string.
  static func kind(_ value: JSONValue?) -> String {
    let names = ["INTERNAL", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"]
    if let number = value?.int64Value, number >= 0, number < names.count { return names[Int(number)] }
    if let text = value?.stringValue {
      let name = text.hasPrefix("SPAN_KIND_") ? String(text.dropFirst("SPAN_KIND_".count)) : text
      if names.contains(name) { return name }
    }
    return "INTERNAL"
  }

  /// `status`: `{code: 0 unset | 1 ok | 2 error (or the enum names), message}`.
  static func status(_ value: JSONValue?) -> SpanData.SpanStatus? {
    guard let object = value?.objectValue else { return nil }
    var code = 0
    if let number = object["code"]?.int64Value, (0...2).contains(number) {
      code = Int(number)
    } else if let name = object["code"]?.stringValue {
      code = ["STATUS_CODE_UNSET": 0, "STATUS_CODE_OK": 1, "STATUS_CODE_ERROR": 2][name] ?? 0
    }
    let message = object["message"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    return SpanData.SpanStatus(code: code, message: message)
  }

  /// An event as a Genkit time event (its name is the description).
  static func event(_ value: JSONValue) -> SpanData.TimeEvent {
    let time = Values.nanoseconds(value["timeUnixNano"] ?? value["time_unix_nano"]).map(Values.milliseconds) ?? 0
    return SpanData.TimeEvent(
      time: time, description: value["name"]?.stringValue ?? "", attributes: Values.keyValues(value["attributes"]))
  }

  /// A link as Genkit writes links: `{context: {traceId, spanId, traceState?}, attributes}`.
  static func link(_ value: JSONValue) -> JSONValue? {
    guard let object = value.objectValue,
      case .valid(let traceId) = Values.id(Values.field(object, "traceId", "trace_id"), byteCount: 16),
      case .valid(let spanId) = Values.id(Values.field(object, "spanId", "span_id"), byteCount: 8)
    else { return nil }
    var context: JSONObject = ["traceId": .string(traceId), "spanId": .string(spanId)]
    if let state = Values.field(object, "traceState", "trace_state")?.stringValue, !state.isEmpty {
      context["traceState"] = .string(state)
    }
    return ["context": .object(context), "attributes": .object(Values.keyValues(object["attributes"]))]
  }

  /// `sameProcessAsParentSpan` from the span flags, when they say whether the parent is remote.
  static func sameProcess(_ flags: JSONValue?, hasParent: Bool) -> Bool? {
    guard hasParent, let flags = flags?.int64Value, flags & hasIsRemoteFlag != 0 else { return nil }
    return flags & isRemoteFlag == 0
  }
}
