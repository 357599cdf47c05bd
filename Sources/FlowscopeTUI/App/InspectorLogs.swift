import Flows

/// The inspector's "Logs" section: a span's log records, oldest first, one line each — the time
/// since the span started, the severity, and the body (with the attributes after it).
enum InspectorLogs {
  static func section(_ logs: [JSONObject], spanStart: Double) -> InspectorState.Section {
    let ordered = LogRecordFormatting.chronological(logs)
    return InspectorState.Section(
      title: "Logs (\(logs.count))", content: .lines(ordered.map { line($0, spanStart: spanStart) }),
      isCollapsed: false,
      fullText: ordered.map { JSONValue.object($0).serialized() }.joined(separator: "\n"))
  }

  static func line(_ log: JSONObject, spanStart: Double) -> StyledLine {
    var line = StyledLine()
    if let offset = LogRecordFormatting.offset(log, spanStart: spanStart) {
      line.append(offset + " ", TextStyle(foreground: .muted))
    }
    let role = color(log)
    line.append(LogRecordFormatting.severity(log) + " ", TextStyle(foreground: role, bold: role == .failure))
    line.append(LogRecordFormatting.body(log))
    if let attributes = LogRecordFormatting.attributes(log) {
      line.append("  " + attributes, TextStyle(foreground: .muted))
    }
    return line
  }

  /// Errors in the failure colour, warnings in the warning colour, the rest muted.
  static func color(_ log: JSONObject) -> ColorRole {
    switch LogRecordFormatting.level(log) ?? LogRecordFormatting.severity(log) {
    case "ERROR", "FATAL": return .failure
    case "WARN", "WARNING": return .warning
    default: return .muted
    }
  }
}
