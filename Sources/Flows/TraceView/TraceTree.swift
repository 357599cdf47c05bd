/// Token counts reported by a model (`usage` in a GenerateResponse).
public struct TokenUsage: Sendable, Equatable {
  public var inputTokens: Int
  public var outputTokens: Int
  public var totalTokens: Int

  public init(inputTokens: Int = 0, outputTokens: Int = 0, totalTokens: Int = 0) {
    self.inputTokens = inputTokens
    self.outputTokens = outputTokens
    self.totalTokens = totalTokens
  }

  public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
    TokenUsage(
      inputTokens: lhs.inputTokens + rhs.inputTokens, outputTokens: lhs.outputTokens + rhs.outputTokens,
      totalTokens: lhs.totalTokens + rhs.totalTokens)
  }

  /// Reads `usage` from a model response value; `totalTokens` defaults to input + output.
  public init?(response: JSONValue?) {
    guard let usage = response?["usage"], case .object = usage else { return nil }
    func count(_ key: String) -> Int? { usage[key]?.int64Value.flatMap { Int(exactly: $0) } }
    let input = count("inputTokens") ?? 0
    let output = count("outputTokens") ?? 0
    let total = count("totalTokens") ?? input &+ output
    self.init(inputTokens: input, outputTokens: output, totalTokens: total)
  }
}

/// A span with its children, ordered by start time.
public struct TraceTreeNode: Sendable {
  public var span: SpanData
  public var children: [TraceTreeNode]
  /// Tokens of this span if it is a model call, else the sum over the model calls below it.
  public var usage: TokenUsage?
}

/// A trace as a tree built from `parentSpanId` (never from the path, whose dialects differ).
///
/// Spans whose parent is not in the trace become roots; Genkit's dev wrapper spans
/// (`genkit:metadata:genkit-dev-internal`, `genkit:metadata:flow:wrapperAction`) are skipped so their
/// children take their place, as Genkit's own tools do.
public struct TraceTree: Sendable {
  public var roots: [TraceTreeNode]

  public init(_ trace: TraceData) {
    var children: [String: [SpanData]] = [:]
    var roots: [SpanData] = []
    for span in trace.spans.values {
      if let parent = span.parentSpanId, trace.spans[parent] != nil {
        children[parent, default: []].append(span)
      } else {
        roots.append(span)
      }
    }
    func order(_ spans: [SpanData]) -> [SpanData] {
      spans.sorted { ($0.startTime, $0.spanId) < ($1.startTime, $1.spanId) }
    }
    func build(_ span: SpanData, depth: Int) -> [TraceTreeNode] {
      let kids = depth > 512 ? [] : order(children[span.spanId] ?? []).flatMap { build($0, depth: depth + 1) }
      if Self.isWrapper(span) { return kids }
      var usage: TokenUsage?
      if span.subtype == "model" {
        usage = TokenUsage(response: span.output)
      } else {
        let below = kids.compactMap(\.usage)
        usage = below.isEmpty ? nil : below.reduce(TokenUsage(), +)
      }
      return [TraceTreeNode(span: span, children: kids, usage: usage)]
    }
    self.roots = order(roots).flatMap { build($0, depth: 0) }
  }

  static func isWrapper(_ span: SpanData) -> Bool {
    func truthy(_ key: String) -> Bool {
      switch span.attributes[key] {
      case .bool(true), .string("true"): return true
      default: return false
      }
    }
    return truthy("genkit:metadata:genkit-dev-internal") || truthy("genkit:metadata:flow:wrapperAction")
  }

  /// Every node in display order (depth-first), with its depth.
  public var flattened: [(depth: Int, node: TraceTreeNode)] {
    var rows: [(Int, TraceTreeNode)] = []
    func walk(_ node: TraceTreeNode, _ depth: Int) {
      rows.append((depth, node))
      for child in node.children { walk(child, depth + 1) }
    }
    for root in roots { walk(root, 0) }
    return rows
  }

  /// The innermost failed span marked as failure source (or the deepest failed span).
  public var failureSource: SpanData? {
    let failed = flattened.filter { $0.node.span.isError }
    if let marked = failed.last(where: { $0.node.span.attributes["genkit:isFailureSource"] == .bool(true) }) {
      return marked.node.span
    }
    return failed.max { $0.depth < $1.depth }?.node.span
  }
}
