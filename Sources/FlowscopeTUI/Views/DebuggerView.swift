/// Draws the whole debugger for a state: panes, status bar and overlays. Pure.
public enum DebuggerView {
  /// The frame for `state` at `size`.
  public static func render(_ state: AppState, size: TerminalSize) -> Canvas {
    frame(state, size: size).canvas
  }

  /// The frame and where the cursor goes (only while editing).
  public static func frame(_ state: AppState, size: TerminalSize) -> (canvas: Canvas, cursor: (row: Int, column: Int)?)
  {
    var state = state
    state.size = size
    var canvas = Canvas(rows: size.rows, columns: size.columns)
    let layout = DebuggerUpdate.layout(state)
    var cursor: (row: Int, column: Int)?
    switch layout.mode {
    case .tiny:
      let note = size.rows >= 2 ? "Terminal too small: enlarge it (q quits)" : "flowscope"
      for (index, word) in note.split(separator: " ").enumerated() where index < size.rows {
        canvas.put(String(word), row: index, column: 0, style: TextStyle(foreground: .warning), maxWidth: size.columns)
      }
      return (canvas, nil)
    case .stacked:
      if let tabs = layout.tabs { drawTabs(state, in: tabs, on: &canvas) }
    case .full:
      break
    }
    for (pane, rect) in layout.panes {
      let paneCursor = draw(pane, state, in: rect, on: &canvas)
      if pane == state.focus { cursor = paneCursor }
    }
    StatusBarView.render(state, in: layout.statusBar, on: &canvas)
    if let overlay = state.overlay {
      cursor = nil
      let body = Rect(row: 0, column: 0, height: max(size.rows - 1, 0), width: size.columns)
      switch overlay {
      case .help(let scroll):
        HelpOverlayView.render(scroll: scroll, in: body, on: &canvas)
      case .viewer(let title, let viewer):
        ViewerOverlayView.render(
          title: title, viewer: viewer, searchPrompt: state.viewerSearchPrompt, in: body, on: &canvas)
      case .confirmQuit:
        drawConfirmQuit(state, in: body, on: &canvas)
      }
    }
    return (canvas, cursor)
  }

  static func draw(_ pane: Pane, _ state: AppState, in rect: Rect, on canvas: inout Canvas) -> (row: Int, column: Int)?
  {
    switch pane {
    case .flows: FlowsPaneView.render(state, in: rect, on: &canvas)
    case .runs: RunsPaneView.render(state, in: rect, on: &canvas)
    case .input: return InputPaneView.render(state, in: rect, on: &canvas)
    case .output: OutputPaneView.render(state, in: rect, on: &canvas)
    case .trace: TracePaneView.render(state, in: rect, on: &canvas)
    case .inspector: InspectorPaneView.render(state, in: rect, on: &canvas)
    }
    return nil
  }

  static func drawTabs(_ state: AppState, in rect: Rect, on canvas: inout Canvas) {
    let panes = Layout.cycle(inspectorOpen: state.inspector != nil)
    canvas.fill(row: rect.row, column: rect.column, height: 1, width: rect.width)
    for (index, pane) in panes.enumerated() {
      let start = rect.column + index * rect.width / panes.count
      let end = rect.column + (index + 1) * rect.width / panes.count
      let focused = pane == state.focus
      let label = pane.hotkey.map { "\($0)\(pane.title)" } ?? pane.title
      canvas.put(
        Truncation.fit(label, width: end - start - 1), row: rect.row, column: start,
        style: TextStyle(foreground: focused ? .borderFocused : .muted, bold: focused, reverse: focused),
        maxWidth: end - start - 1)
    }
  }

  static func drawConfirmQuit(_ state: AppState, in rect: Rect, on canvas: inout Canvas) {
    let text = "\(state.activeRun?.flowName ?? "A flow") is running. Quit anyway? (y/n)"
    let width = min(DisplayWidth.of(text) + 4, rect.width)
    let box = Rect(
      row: rect.row + max((rect.height - 3) / 2, 0), column: rect.column + max((rect.width - width) / 2, 0),
      height: min(3, rect.height), width: width)
    canvas.fill(row: box.row, column: box.column, height: box.height, width: box.width)
    let area = PaneFrame.draw("Quit", focused: true, in: box, on: &canvas)
    canvas.put(
      text, row: area.row, column: area.column + 1, style: TextStyle(foreground: .warning, bold: true),
      maxWidth: area.width - 1)
  }
}
