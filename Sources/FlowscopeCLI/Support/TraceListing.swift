import Flows
import Foundation
import TraceStore

/// Renders a page of trace summaries as a table or JSON.
enum TraceListing {
  static func table(_ page: TracePage) -> String {
    guard !page.traces.isEmpty else { return "No traces." }
    var rows: [[String]] = [["ID", "NAME", "STATUS", "STARTED", "DURATION", "INPUT"]]
    for trace in page.traces {
      rows.append([
        String(trace.traceId.prefix(12)),
        trace.name,
        statusText(trace),
        timeText(trace.startTime),
        trace.durationMilliseconds.map { ValueFormatting.duration(milliseconds: $0) } ?? "…",
        ValueFormatting.truncate(TextSanitizer.sanitize(trace.inputPreview ?? "", keepNewlines: false), to: 40),
      ])
    }
    let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
    var lines = rows.map { row in
      zip(row, widths).enumerated().map { index, pair in
        index == row.count - 1 ? pair.0 : pair.0.padding(toLength: pair.1, withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }
    if let token = page.continuationToken {
      lines.append("")
      lines.append("More: flowscope traces list --continuation-token \(token)")
    }
    return lines.joined(separator: "\n")
  }

  static func statusText(_ trace: TraceSummary) -> String {
    switch trace.status {
    case .ok: return "✔ ok"
    case .error: return "✖ error"
    case .running: return "● running"
    }
  }

  static func timeText(_ milliseconds: Double) -> String {
    let date = Date(timeIntervalSince1970: milliseconds / 1000)
    return date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).dateSeparator(.dash))
  }

  static func json(_ page: TracePage) -> JSONValue {
    var object = JSONObject()
    object["traces"] = .array(
      page.traces.map { trace in
        var item = JSONObject()
        item["traceId"] = .string(trace.traceId)
        item["name"] = .string(trace.name)
        item["status"] = .string(trace.status.rawValue)
        item["startTime"] = .number(trace.startTime)
        if trace.endTime > 0 { item["endTime"] = .number(trace.endTime) }
        if let error = trace.errorMessage { item["error"] = .string(error) }
        return .object(item)
      })
    if let token = page.continuationToken { object["continuationToken"] = .string(token) }
    return .object(object)
  }
}
