import Flows

/// The streamed output of the watched run: live while it streams, then its result.
enum OutputPaneView {
  static func render(_ state: AppState, in rect: Rect, on canvas: inout Canvas) {
    let focused = state.focus == .output
    let area = PaneFrame.draw(title(state), focused: focused, in: rect, on: &canvas)
    guard !area.isEmpty else { return }
    if state.output.isEmpty {
      let note = state.isRunning ? "Waiting for output…" : "Run a flow to see its output here"
      canvas.put(note, row: area.row, column: area.column, style: TextStyle(foreground: .muted), maxWidth: area.width)
      return
    }
    let rows = visibleRows(state.output.lines, width: area.width, height: area.height, fromBottom: state.outputScroll)
    var style = TextStyle.plain
    for (offset, line) in rows.enumerated() {
      if line.hasPrefix("── ") {
        style = TextStyle(foreground: line.contains("error") ? .failure : .muted, bold: true)
      }
      canvas.put(line, row: area.row + offset, column: area.column, style: style, maxWidth: area.width)
      if line.hasPrefix("── ") { style = line.contains("error") ? TextStyle(foreground: .failure) : .plain }
    }
    if state.outputScroll > 0, area.width > 12 {
      let marker = " ↓ \(state.outputScroll) more "
      canvas.put(
        marker, row: area.bottom - 1, column: area.right - DisplayWidth.of(marker),
        style: TextStyle(foreground: .accent, reverse: true))
    }
  }

  static func title(_ state: AppState) -> String {
    var parts = ["Output (4)"]
    if !state.outputTitle.isEmpty { parts.append(TextSanitizer.sanitize(state.outputTitle, keepNewlines: false)) }
    let output = state.output
    if let run = state.activeRun, run.traceId == state.trace?.traceId || state.trace == nil {
      let elapsed = ValueFormatting.duration(milliseconds: max((run.endTime ?? state.now) - run.startTime, 0))
      switch run.status {
      case .running: parts.append(run.isCancelling ? "cancelling" : "streaming")
      case .ok: parts.append("done")
      case .error: parts.append(run.isCancelling ? "cancelled" : "failed")
      }
      if output.chunkCount > 0 { parts.append("\(output.chunkCount) chunk\(output.chunkCount == 1 ? "" : "s")") }
      if let rate = output.chunksPerSecond { parts.append("\(Int(rate.rounded())) tok/s") }
      parts.append(elapsed)
    } else if let root = state.trace?.rootSpan {
      // A run from the history.
      if root.isRunning {
        parts.append("running")
      } else if root.isError {
        parts.append(root.attributes["flowscope:status"]?.stringValue == "CANCELLED" ? "cancelled" : "failed")
      } else {
        parts.append("done")
      }
      if output.chunkCount > 0 {
        parts.append("\(output.chunkCount) chunk\(output.chunkCount == 1 ? "" : "s") recorded")
      }
      if let duration = root.durationMilliseconds { parts.append(ValueFormatting.duration(milliseconds: duration)) }
    }
    return parts.joined(separator: " · ")
  }

  /// The wrapped rows to show: wraps logical lines from the end backwards, only as far as needed.
  static func visibleRows(_ lines: [String], width: Int, height: Int, fromBottom: Int) -> [String] {
    guard width > 0, height > 0 else { return [] }
    var pieces: [[String]] = []
    var count = 0
    let needed = height + fromBottom
    var index = lines.count - 1
    // Drop one trailing empty line (a stream ending in a newline).
    if index > 0, lines[index].isEmpty { index -= 1 }
    while index >= 0, count < needed {
      let rows = WrappedText.wrap(lines[index], width: width)
      pieces.append(rows)
      count += rows.count
      index -= 1
    }
    let collected = Array(pieces.reversed().joined())
    let end = max(collected.count - min(fromBottom, max(collected.count - height, 0)), 0)
    let start = max(end - height, 0)
    return Array(collected[start..<end])
  }
}
