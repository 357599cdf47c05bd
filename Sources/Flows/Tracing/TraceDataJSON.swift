/// JSON mapping of the Genkit trace types. Decoding is tolerant of what other SDKs send: float
/// status codes (`2.0`), missing optional fields, and attribute values of any JSON type.
public struct TraceFormatError: Error, Sendable, CustomStringConvertible {
  public var description: String
}

extension SpanData {
  /// The span as Genkit JSON, fields in Genkit's order.
  public var json: JSONValue {
    var o = JSONObject()
    o["spanId"] = .string(spanId)
    o["traceId"] = .string(traceId)
    if let parentSpanId { o["parentSpanId"] = .string(parentSpanId) }
    o["startTime"] = .number(startTime)
    o["endTime"] = .number(endTime)
    o["attributes"] = .object(attributes)
    o["displayName"] = .string(displayName)
    if let links { o["links"] = .array(links) }
    var library = JSONObject()
    library["name"] = .string(instrumentationLibrary.name)
    if let version = instrumentationLibrary.version { library["version"] = .string(version) }
    if let schemaUrl = instrumentationLibrary.schemaUrl { library["schemaUrl"] = .string(schemaUrl) }
    o["instrumentationLibrary"] = .object(library)
    o["spanKind"] = .string(spanKind)
    if let sameProcessAsParentSpan { o["sameProcessAsParentSpan"] = ["value": .bool(sameProcessAsParentSpan)] }
    if let status {
      var s = JSONObject()
      s["code"] = .integer(Int64(status.code))
      if let message = status.message { s["message"] = .string(message) }
      o["status"] = .object(s)
    }
    if let timeEvents {
      let events: [JSONValue] = timeEvents.map { event in
        [
          "time": .number(event.time),
          "annotation": ["attributes": .object(event.attributes), "description": .string(event.description)],
        ]
      }
      o["timeEvents"] = ["timeEvent": .array(events)]
    }
    if let truncated { o["truncated"] = .bool(truncated) }
    return .object(o)
  }

  /// Reads a span from Genkit JSON.
  public init(json: JSONValue) throws {
    guard case .object(let o) = json else { throw TraceFormatError(description: "span is not an object") }
    func string(_ key: String) throws -> String {
      guard let value = o[key]?.stringValue else {
        throw TraceFormatError(description: "span field '\(key)' is missing or not a string")
      }
      return value
    }
    spanId = try string("spanId")
    traceId = try string("traceId")
    parentSpanId = o["parentSpanId"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    startTime = o["startTime"]?.doubleValue ?? 0
    endTime = o["endTime"]?.doubleValue ?? 0
    attributes = o["attributes"]?.objectValue ?? JSONObject()
    displayName = o["displayName"]?.stringValue ?? attributes["genkit:name"]?.stringValue ?? ""
    links = o["links"]?.arrayValue
    let library = o["instrumentationLibrary"]
    instrumentationLibrary = InstrumentationLibrary(
      name: library?["name"]?.stringValue ?? "", version: library?["version"]?.stringValue,
      schemaUrl: library?["schemaUrl"]?.stringValue)
    spanKind = o["spanKind"]?.stringValue ?? "INTERNAL"
    sameProcessAsParentSpan = o["sameProcessAsParentSpan"]?["value"]?.boolValue
    if let s = o["status"], case .object = s {
      let code = s["code"]?.doubleValue ?? 0
      status = SpanStatus(code: code.isFinite && abs(code) < 1e9 ? Int(code) : -1, message: s["message"]?.stringValue)
    } else {
      status = nil
    }
    if let events = o["timeEvents"]?["timeEvent"]?.arrayValue {
      timeEvents = events.map { event in
        TimeEvent(
          time: event["time"]?.doubleValue ?? 0,
          description: event["annotation"]?["description"]?.stringValue ?? "",
          attributes: event["annotation"]?["attributes"]?.objectValue ?? JSONObject())
      }
    } else {
      timeEvents = nil
    }
    truncated = o["truncated"]?.boolValue
  }

  public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
  public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}

extension TraceData {
  /// The trace as Genkit JSON. Spans are written in start-time order.
  public var json: JSONValue {
    var o = JSONObject()
    o["traceId"] = .string(traceId)
    if let displayName { o["displayName"] = .string(displayName) }
    if let startTime { o["startTime"] = .number(startTime) }
    if let endTime { o["endTime"] = .number(endTime) }
    var spansObject = JSONObject()
    for span in spans.values.sorted(by: { ($0.startTime, $0.spanId) < ($1.startTime, $1.spanId) }) {
      spansObject[span.spanId] = span.json
    }
    o["spans"] = .object(spansObject)
    return .object(o)
  }

  /// Reads a trace from Genkit JSON. A partial trace (as POSTed by realtime exporters) is fine.
  public init(json: JSONValue) throws {
    guard case .object(let o) = json else { throw TraceFormatError(description: "trace is not an object") }
    var spans: [String: SpanData] = [:]
    for (key, value) in o["spans"]?.objectValue?.entries ?? [] {
      var span = try SpanData(json: value)
      if span.spanId.isEmpty { span.spanId = key }
      spans[span.spanId] = span
    }
    guard let traceId = o["traceId"]?.stringValue ?? spans.values.first?.traceId else {
      throw TraceFormatError(description: "trace has no traceId")
    }
    self.init(
      traceId: traceId, displayName: o["displayName"]?.stringValue, startTime: o["startTime"]?.doubleValue,
      endTime: o["endTime"]?.doubleValue, spans: spans)
  }

  public init(from decoder: any Decoder) throws { try self.init(json: JSONValue(from: decoder)) }
  public func encode(to encoder: any Encoder) throws { try json.encode(to: encoder) }
}
