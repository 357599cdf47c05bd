/// Renders a trace as a box-drawing tree, in the style of `genkit trace:get --format tree`:
///
/// ```
/// menuFlow (flow) [2.31 s] ✔
/// ├─ Input: {"theme":"pirate"}
/// ├─ fetch-specials (flowStep) [41.7 ms] ✔
/// │  └─ Output: ["chowder","grog"]
/// └─ Output: {"item":"Chowder"}
/// ```
public struct TraceTreeFormatter: Sendable {
  /// Longest rendered value line; 0 means no limit.
  public var valueWidth: Int
  /// Show inputs and outputs under each span.
  public var showValues: Bool

  public init(valueWidth: Int = 160, showValues: Bool = true) {
    self.valueWidth = valueWidth
    self.showValues = showValues
  }

  public func format(_ trace: TraceData) -> String {
    let tree = TraceTree(trace)
    var lines: [String] = []
    for root in tree.roots { render(root, prefix: "", connector: "", childPrefix: "", into: &lines) }
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

  func render(_ node: TraceTreeNode, prefix: String, connector: String, childPrefix: String, into lines: inout [String])
  {
    lines.append(prefix + connector + Self.header(node.span, usage: node.usage))
    var items: [(label: String, lines: [String])] = []
    if showValues {
      if let input = node.span.input { items.append(("Input", valueLines(input))) }
    }
    let inner = prefix + childPrefix
    var entries: [Either] = items.map { .value($0.label, $0.lines) }
    entries += node.children.map { .child($0) }
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
        render(child, prefix: inner, connector: branch, childPrefix: continuation, into: &lines)
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
