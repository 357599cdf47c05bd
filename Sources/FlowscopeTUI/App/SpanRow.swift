import Flows

/// One visible row of the span tree.
public struct SpanRow: Sendable, Equatable {
  public var spanId: String
  public var depth: Int
  public var name: String
  /// `flow`, `flowStep`, `model`, `tool`, `util`, …
  public var kind: String
  public var status: RunStatus
  /// ms since the epoch.
  public var startTime: Double
  /// nil while running.
  public var endTime: Double?
  public var childCount: Int
  public var isCollapsed: Bool
  public var usage: TokenUsage?
  public var isFailureSource: Bool
}

/// The span tree of one trace, flattened into rows with folding applied. Rebuilt when the trace or
/// the folding changes, never while rendering.
public struct TraceOutline: Sendable, Equatable {
  /// Children lists longer than this start collapsed.
  public static let autoCollapseThreshold = 50

  public private(set) var rows: [SpanRow] = []
  /// ms since the epoch: the trace's earliest start and latest end (nil while something runs).
  public private(set) var startTime: Double = 0
  public private(set) var endTime: Double?
  /// Explicit fold choices by span id (true = collapsed); otherwise the automatic rule applies.
  public var foldOverrides: [String: Bool] = [:]
  /// Spans whose subtree is hidden under a collapsed ancestor do not appear in `rows`; this counts all.
  public private(set) var spanCount = 0

  public init() {}

  public init(trace: TraceData, foldOverrides: [String: Bool] = [:]) {
    self.foldOverrides = foldOverrides
    rebuild(from: trace)
  }

  /// Recomputes the rows from `trace`, keeping fold choices.
  public mutating func rebuild(from trace: TraceData) {
    let tree = TraceTree(trace)
    var rows: [SpanRow] = []
    rows.reserveCapacity(trace.spans.count)
    var earliest = Double.infinity
    var latest = 0.0
    var running = false
    var count = 0
    let failureId = tree.failureSource?.spanId
    // Iterative depth-first walk (deep traces must not overflow the stack).
    var stack: [(node: TraceTreeNode, depth: Int, visible: Bool)] = tree.roots.reversed().map { ($0, 0, true) }
    while let (node, depth, visible) = stack.popLast() {
      let span = node.span
      count += 1
      earliest = min(earliest, span.startTime)
      if span.isRunning { running = true } else { latest = max(latest, span.endTime) }
      let collapsed = foldOverrides[span.spanId] ?? (node.children.count > Self.autoCollapseThreshold)
      if visible {
        rows.append(
          SpanRow(
            spanId: span.spanId, depth: depth, name: span.displayName, kind: span.kindLabel,
            status: span.isRunning ? .running : (span.isError ? .error : .ok), startTime: span.startTime,
            endTime: span.isRunning ? nil : span.endTime, childCount: node.children.count,
            isCollapsed: collapsed && !node.children.isEmpty, usage: node.usage,
            isFailureSource: span.spanId == failureId))
      }
      for child in node.children.reversed() { stack.append((child, depth + 1, visible && !collapsed)) }
    }
    self.rows = rows
    spanCount = count
    startTime = earliest.isFinite ? earliest : 0
    endTime = running ? nil : latest
  }

  public func index(of spanId: String?) -> Int? {
    guard let spanId else { return nil }
    return rows.firstIndex { $0.spanId == spanId }
  }
}
