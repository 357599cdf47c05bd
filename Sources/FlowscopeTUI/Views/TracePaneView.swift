import Flows

/// The span tree with status, kind, duration and a waterfall bar per span. Only the rows on screen
/// are drawn, so traces with thousands of spans cost the same as small ones.
enum TracePaneView {
  static func render(_ state: AppState, in rect: Rect, on canvas: inout Canvas) {
    let focused = state.focus == .trace
    let outline = state.outline
    let total = traceDuration(state)
    var title = "Trace (5)"
    if state.trace != nil {
      title +=
        " · \(outline.spanCount) span\(outline.spanCount == 1 ? "" : "s") · \(ValueFormatting.duration(milliseconds: total))"
    }
    let area = PaneFrame.draw(title, focused: focused, in: rect, on: &canvas)
    guard !area.isEmpty else { return }
    guard !outline.rows.isEmpty else {
      let note = state.isRunning ? "Waiting for spans…" : "No trace: run a flow, or ⏎ on a run"
      canvas.put(note, row: area.row, column: area.column, style: TextStyle(foreground: .muted), maxWidth: area.width)
      return
    }
    let selected = outline.index(of: state.selectedSpanId)
    let offset = ListSelection.scroll(
      state.traceScroll, selected: selected, height: area.height, count: outline.rows.count)
    let columns = Columns(width: area.width)
    for (line, index) in (offset..<min(offset + area.height, outline.rows.count)).enumerated() {
      let row = outline.rows[index]
      draw(
        row, selected: index == selected, focused: focused, columns: columns, start: outline.startTime, total: total,
        now: state.now, at: area.row + line, column: area.column, on: &canvas)
    }
  }

  /// The trace's time axis in ms (up to now while running).
  static func traceDuration(_ state: AppState) -> Double {
    let outline = state.outline
    let end = outline.endTime ?? max(state.now, outline.startTime)
    return max(end - outline.startTime, 0)
  }

  struct Columns {
    var name: Int
    var kind: Int
    var duration: Int
    var bar: Int

    init(width: Int) {
      duration = 9
      kind = width >= 60 ? 9 : (width >= 40 ? 6 : 0)
      let rest = max(width - duration - kind, 0)
      bar = width >= 50 ? min(max(rest * 2 / 5, 8), 40) : 0
      name = max(rest - bar - (bar > 0 ? 1 : 0), 0)
    }
  }

  static func draw(
    _ row: SpanRow, selected: Bool, focused: Bool, columns: Columns, start: Double, total: Double, now: Double,
    at y: Int, column x: Int, on canvas: inout Canvas
  ) {
    let base = PaneFrame.rowStyle(selected: selected, focused: focused)
    let width = columns.name + columns.kind + columns.duration + columns.bar + (columns.bar > 0 ? 1 : 0)
    canvas.fill(row: y, column: x, height: 1, width: width, style: base)
    let fold = row.childCount == 0 ? " " : (row.isCollapsed ? "▸" : "▾")
    let statusSymbol = row.status == .running ? Spinner.frame(at: now) : row.status.symbol
    let statusRole: ColorRole = row.status == .ok ? .success : (row.status == .error ? .failure : .running)
    let indent = String(repeating: "  ", count: min(row.depth, 40))
    var column = x
    column += canvas.put(indent + fold + " ", row: y, column: column, style: base, maxWidth: columns.name)
    column += canvas.put(
      statusSymbol + " ", row: y, column: column,
      style: TextStyle(foreground: statusRole, background: base.background, bold: true),
      maxWidth: max(x + columns.name - column, 0))
    var name = TextSanitizer.sanitize(row.name, keepNewlines: false)
    if row.isCollapsed { name += " (+\(row.childCount))" }
    if let usage = row.usage, usage.totalTokens > 0 || usage.outputTokens > 0 {
      name += " · \(usage.inputTokens)→\(usage.outputTokens) tok"
    }
    let nameStyle = TextStyle(
      foreground: row.status == .error ? .failure : nil, background: base.background,
      bold: base.bold || row.isFailureSource)
    // One column stays free so a long name never runs into the kind.
    let nameWidth = max(x + columns.name - column - (columns.kind > 0 ? 1 : 0), 0)
    canvas.put(Truncation.fit(name, width: nameWidth), row: y, column: column, style: nameStyle, maxWidth: nameWidth)
    column = x + columns.name
    if columns.kind > 0 {
      canvas.put(
        Truncation.fit(row.kind, width: columns.kind - 1), row: y, column: column,
        style: TextStyle(foreground: role(forKind: row.kind), background: base.background), maxWidth: columns.kind - 1)
      column += columns.kind
    }
    let milliseconds = (row.endTime ?? now) - row.startTime
    let duration = ValueFormatting.duration(milliseconds: max(milliseconds, 0))
    canvas.put(
      String(repeating: " ", count: max(columns.duration - 1 - DisplayWidth.of(duration), 0)) + duration, row: y,
      column: column,
      style: TextStyle(foreground: row.status == .running ? .running : .muted, background: base.background),
      maxWidth: columns.duration - 1)
    column += columns.duration
    if columns.bar > 0 {
      let bar = Waterfall.bar(
        start: row.startTime - start, end: (row.endTime ?? now) - start, total: total, width: columns.bar)
      canvas.put(
        bar, row: y, column: column,
        style: TextStyle(foreground: role(forKind: row.kind), background: base.background), maxWidth: columns.bar)
    }
  }

  static func role(forKind kind: String) -> ColorRole {
    switch kind {
    case "flow": return .flowSpan
    case "model": return .modelSpan
    case "tool": return .toolSpan
    case "flowStep", "step", "util": return .stepSpan
    default: return .waterfall
    }
  }
}

/// Waterfall bars: a span's extent on the trace's time axis.
enum Waterfall {
  static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

  /// A bar of `width` columns for a span from `start` to `end` ms (relative to the trace start) on an
  /// axis of `total` ms. A span too short to fill a column still shows as a thin mark.
  static func bar(start: Double, end: Double, total: Double, width: Int) -> String {
    guard width > 0 else { return "" }
    guard total > 0 else { return String(repeating: "█", count: width) }
    let scale = Double(width) / total
    let from = min(max(start * scale, 0), Double(width))
    let to = min(max(end * scale, from), Double(width))
    let firstColumn = Int(from.rounded(.down))
    var cells = Array(repeating: " ", count: width)
    let fullEnd = Int(to.rounded(.down))
    if fullEnd <= firstColumn {
      cells[min(firstColumn, width - 1)] = "▏"
    } else {
      for index in firstColumn..<fullEnd { cells[index] = "█" }
      let remainder = Int(((to - Double(fullEnd)) * 8).rounded(.down))
      if remainder > 0, fullEnd < width { cells[fullEnd] = eighths[remainder] }
    }
    return cells.joined()
  }
}
