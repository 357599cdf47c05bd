import Flows

/// The inspector's "Logs" section: a span's log records, oldest first, one line each — the time
/// since the span started, the severity, and the body (with the attributes after it).
enum InspectorLogs {
  static func section(_ logs: [JSONObject], spanStart: Double) -> InspectorState.Section {
    let ordered = logs.enumerated().sorted {
      let (a, b) = ($0.element["timestamp"]?.doubleValue ?? 0, $1.element["timestamp"]?.doubleValue ?? 0)
      return a == b ? $0.offset > $1.offset : a < b
    }.map(\.element)
    let lines = ordered.map { line($0, spanStart: spanStart) }
    return InspectorState.Section(
      title: "Logs (\(logs.count))", content: .lines(lines), isCollapsed: false,
      fullText: ordered.map { JSONValue.object($0).serialized() }.joined(separator: "\n"))
  }

  static func line(_ log: JSONObject, spanStart: Double) -> StyledLine {
    var line = StyledLine()
    if let time = log["timestamp"]?.doubleValue, time > 0, spanStart > 0 {
      let offset = time - spanStart
      let sign = offset < 0 ? "-" : "+"
      line.append(sign + ValueFormatting.duration(milliseconds: abs(offset)) + " ", TextStyle(foreground: .muted))
    }
    let (severity, role) = self.severity(log)
    line.append(severity + " ", TextStyle(foreground: role, bold: role == .failure))
    line.append(TextSanitizer.sanitize(text(log["body"]), keepNewlines: false))
    if let attributes = log["attributes"]?.objectValue, !attributes.isEmpty {
      line.append(
        "  " + TextSanitizer.sanitize(JSONValue.object(attributes).serialized(), keepNewlines: false),
        TextStyle(foreground: .muted))
    }
    return line
  }

  /// The severity's name (its text, else the name of its OpenTelemetry number) and colour.
  static func severity(_ log: JSONObject) -> (String, ColorRole) {
    let number = log["severityNumber"]?.int64Value ?? 0
    let names = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
    let fromNumber = (1...24).contains(number) ? names[Int((number - 1) / 4)] : nil
    let name = log["severityText"]?.stringValue.flatMap { $0.isEmpty ? nil : $0.uppercased() } ?? fromNumber ?? "LOG"
    let level = fromNumber ?? name
    switch level {
    case "ERROR", "FATAL": return (name, .failure)
    case "WARN", "WARNING": return (name, .warning)
    default: return (name, .muted)
    }
  }

  static func text(_ body: JSONValue?) -> String {
    guard let body else { return "" }
    if case .string(let text) = body { return text }
    return body.serialized()
  }
}
