/// How a log record (Genkit `LogRecordData`) reads in a trace view: the time since its span
/// started, the severity's name, the body, and the attributes.
public enum LogRecordFormatting {
  /// The records oldest first (records with the same time keep their order).
  public static func chronological(_ records: [JSONObject]) -> [JSONObject] {
    records.enumerated().sorted {
      let (a, b) = ($0.element["timestamp"]?.doubleValue ?? 0, $1.element["timestamp"]?.doubleValue ?? 0)
      return a == b ? $0.offset < $1.offset : a < b
    }.map(\.element)
  }

  /// `+2.5 ms` (the time since `spanStart`), or nil when either time is unknown.
  public static func offset(_ record: JSONObject, spanStart: Double) -> String? {
    guard let time = record["timestamp"]?.doubleValue, time > 0, spanStart > 0 else { return nil }
    let offset = time - spanStart
    return (offset < 0 ? "-" : "+") + ValueFormatting.duration(milliseconds: abs(offset))
  }

  /// The severity's text (upper-cased), else the name of its OpenTelemetry number, else `LOG`.
  public static func severity(_ record: JSONObject) -> String {
    if let text = record["severityText"]?.stringValue, !text.isEmpty { return text.uppercased() }
    return level(record) ?? "LOG"
  }

  /// The OpenTelemetry level of the severity number: `TRACE`, `DEBUG`, `INFO`, `WARN`, `ERROR` or
  /// `FATAL`; nil without one.
  public static func level(_ record: JSONObject) -> String? {
    SpanLogRecord.level(of: record["severityNumber"]?.int64Value ?? 0)
  }

  /// The body as one line of text (a string as is, anything else as compact JSON), sanitized.
  public static func body(_ record: JSONObject) -> String {
    let text: String
    switch record["body"] {
    case .string(let string)?: text = string
    case let other?: text = other.serialized()
    case nil: text = ""
    }
    return TextSanitizer.sanitize(text, keepNewlines: false)
  }

  /// The attributes as compact JSON, or nil when there are none.
  public static func attributes(_ record: JSONObject) -> String? {
    guard let attributes = record["attributes"]?.objectValue, !attributes.isEmpty else { return nil }
    return TextSanitizer.sanitize(JSONValue.object(attributes).serialized(), keepNewlines: false)
  }

  /// `+2.5 ms INFO body  {"key":"value"}`.
  public static func line(_ record: JSONObject, spanStart: Double) -> String {
    var parts: [String] = []
    if let offset = offset(record, spanStart: spanStart) { parts.append(offset) }
    parts.append(severity(record))
    parts.append(body(record))
    var line = parts.joined(separator: " ")
    if let attributes = attributes(record) { line += "  " + attributes }
    return line
  }
}
