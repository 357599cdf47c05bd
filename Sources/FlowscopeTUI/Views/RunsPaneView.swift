import Flows

/// The run history: runs of this session and earlier ones from the trace store.
enum RunsPaneView {
  static func render(_ state: AppState, in rect: Rect, on canvas: inout Canvas) {
    let focused = state.focus == .runs
    var title = "Runs (2)"
    if let status = state.runFilter.status { title += " · \(status.rawValue)" }
    if let prompt = state.filterPrompt, prompt.pane == .runs {
      title += " /\(prompt.text)▏"
    } else if !state.runFilter.text.isEmpty {
      title += " /\(state.runFilter.text)"
    }
    let area = PaneFrame.draw(title, focused: focused, in: rect, on: &canvas)
    guard !area.isEmpty else { return }
    let runs = state.visibleRuns
    if runs.isEmpty {
      let note = state.runs.isEmpty ? "No runs yet: ⏎ on a flow" : "No run matches"
      canvas.put(note, row: area.row, column: area.column, style: TextStyle(foreground: .muted), maxWidth: area.width)
      return
    }
    let selected = state.selectedRunId.flatMap { id in runs.firstIndex { $0.traceId == id } }
    let offset = ListSelection.scroll(state.runScroll, selected: selected, height: area.height, count: runs.count)
    for (line, index) in (offset..<min(offset + area.height, runs.count)).enumerated() {
      let run = runs[index]
      let isSelected = index == selected
      let style = PaneFrame.rowStyle(selected: isSelected, focused: focused)
      let statusRole: ColorRole = run.status == .ok ? .success : (run.status == .error ? .failure : .running)
      let symbol = run.status == .running ? Spinner.frame(at: state.now) : run.status.symbol
      let duration: String
      if let ms = run.durationMilliseconds {
        duration = ValueFormatting.duration(milliseconds: ms)
      } else {
        duration = "running"
      }
      let row = area.row + line
      canvas.fill(row: row, column: area.column, height: 1, width: area.width, style: style)
      canvas.put(
        symbol, row: row, column: area.column,
        style: TextStyle(foreground: statusRole, background: style.background, bold: true), maxWidth: 1)
      PaneFrame.row(
        TextSanitizer.sanitize(run.flowName, keepNewlines: false), trailer: duration, row: row,
        in: Rect(row: area.row, column: area.column + 2, height: area.height, width: area.width - 2), style: style,
        trailerStyle: TextStyle(foreground: .muted, background: style.background), on: &canvas)
    }
  }
}
