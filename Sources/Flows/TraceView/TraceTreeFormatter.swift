/// Renders a trace as a box-drawing tree, in the style of `genkit trace:get --format tree`:
///
/// ```
/// menuFlow (flow) [2.31 s] ✔
/// ├─ Input: {"theme":"pirate"}
/// ├─ fetch-specials (flowStep) [41.7 ms] ✔
/// │  └─ Output: ["chowder","grog"]
/// └─ Output: {"item":"Chowder"}
/// ```
///
/// Log records of a span (`logs`) come after its children, oldest first:
/// `├─ Log: +2.5 ms INFO chose 2 dishes  {"theme":"pirate"}`.
public struct TraceTreeFormatter: Sendable {
  /// Longest rendered value line; 0 means no limit.
  public var valueWidth: Int
  /// Show inputs and outputs under each span.
  public var showValues: Bool
  /// Log records (Genkit `LogRecordData`) to show under their spans.
  public var logs: [JSONObject]

  public init(valueWidth: Int = 160, showValues: Bool = true, logs: [JSONObject] = []) {
    self.valueWidth = valueWidth
    self.showValues = showValues
    self.logs = logs
  }

  public func format(_ trace: TraceData) -> String {
    let tree = TraceTree(trace)
    var logsBySpan: [String: [JSONObject]] = [:]
    for record in LogRecordFormatting.chronological(logs) {
      guard let spanId = record["spanId"]?.stringValue else { continue }
      logsBySpan[spanId, default: []].append(record)
    }
    var lines: [String] = []
    for root in tree.roots {
      render(root, logs: logsBySpan, prefix: "", connector: "", childPrefix: "", into: &lines)
    }
    return lines.joined(separator: "\n")
  }

  /// `name (kind) [duration] ✔`, or `✖`, or `⋯ running`; with token usage when known.
  public static func header(_ span: SpanData, usage: TokenUsage?) -> String {
    var text = "\(span.displayName) (\(span.kindLabel))"
    if let duration = span.durationMilliseconds {
      text += " [\(ValueFormatting.duration(milliseconds: duration))] " + (span.isError ? "✖" : "✔")
    } else {
      text += " [running] ⋯"
    }
    if let usage, usage.totalTokens > 0 {
      text += " · \(usage.inputTokens) in / \(usage.outputTokens) out tokens"
    }
    return text
  }

  func render(
    _ node: TraceTreeNode, logs: [String: [JSONObject]], prefix: String, connector: String, childPrefix: String,
    into lines: inout [String]
  ) {
    lines.append(prefix + connector + Self.header(node.span, usage: node.usage))
    var items: [(label: String, lines: [String])] = []
    if showValues {
      if let input = node.span.input { items.append(("Input", valueLines(input))) }
    }
    let inner = prefix + childPrefix
    var entries: [Either] = items.map { .value($0.label, $0.lines) }
    entries += node.children.map { .child($0) }
    for record in logs[node.span.spanId] ?? [] {
      let line = LogRecordFormatting.line(record, spanStart: node.span.startTime)
      entries.append(.value("Log", [valueWidth > 0 ? ValueFormatting.truncate(line, to: valueWidth) : line]))
    }
    if showValues, let output = node.span.output { entries.append(.value("Output", valueLines(output))) }
    if let error = node.span.errorMessage {
      let status = node.span.attributes["flowscope:status"]?.stringValue.map { $0 + ": " } ?? ""
      entries.append(.value("Error", [status + error]))
    }
    for (i, entry) in entries.enumerated() {
      let last = i == entries.count - 1
      let branch = last ? "└─ " : "├─ "
      let continuation = last ? "   " : "│  "
      switch entry {
      case .value(let label, let valueLines):
        for (n, line) in valueLines.enumerated() {
          lines.append(inner + (n == 0 ? branch + label + ": " : continuation + "  ") + line)
        }
      case .child(let child):
        render(child, logs: logs, prefix: inner, connector: branch, childPrefix: continuation, into: &lines)
      }
    }
  }

  enum Either {
    case value(String, [String])
    case child(TraceTreeNode)
  }

  func valueLines(_ value: JSONValue) -> [String] {
    let raw = ValueFormatting.messageLines(value) ?? [ValueFormatting.compact(value)]
    let sanitized = raw.map { line in
      String(line.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
    return valueWidth > 0 ? sanitized.map { ValueFormatting.truncate($0, to: valueWidth) } : sanitized
  }
}
