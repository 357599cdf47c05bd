import Flows

extension DebuggerUpdate {
  /// Moves the focused pane's selection (or scroll) by `delta` rows.
  static func move(by delta: Int, _ state: inout AppState) {
    let height = layout(state).contentHeight(of: state.focus)
    switch state.focus {
    case .flows:
      let names = state.visibleFlows.map(\.name)
      selectFlow(ListSelection.move(state.selectedFlow, by: delta, in: names), &state)
      state.flowScroll = ListSelection.scroll(
        state.flowScroll, selected: state.selectedFlow.flatMap(names.firstIndex(of:)), height: height,
        count: names.count)
    case .runs:
      let ids = state.visibleRuns.map(\.traceId)
      state.selectedRunId = ListSelection.move(state.selectedRunId, by: delta, in: ids)
      state.runScroll = ListSelection.scroll(
        state.runScroll, selected: state.selectedRunId.flatMap(ids.firstIndex(of:)), height: height, count: ids.count)
    case .trace:
      let ids = state.outline.rows.map(\.spanId)
      state.selectedSpanId = ListSelection.move(state.selectedSpanId, by: delta, in: ids)
      keepSpanVisible(&state)
    case .output:
      // Positive delta scrolls towards the tail; 0 = following it.
      let scrolled = Int64(state.outputScroll) - Int64(delta)
      state.outputScroll = Int(min(max(scrolled, 0), Int64(Int.max / 4)))
    case .inspector:
      state.inspector?.move(by: delta, height: height)
    case .input:
      break
    }
  }

  static func keepSpanVisible(_ state: inout AppState) {
    let height = layout(state).contentHeight(of: .trace)
    state.traceScroll = ListSelection.scroll(
      state.traceScroll, selected: state.outline.index(of: state.selectedSpanId), height: height,
      count: state.outline.rows.count)
  }

  static func selectFlow(_ name: String?, _ state: inout AppState) {
    guard state.selectedFlow != name else { return }
    state.selectedFlow = name
    state.revalidateInput()
  }

  /// Enter in the focused pane.
  static func open(_ state: inout AppState) -> [Effect] {
    switch state.focus {
    case .flows:
      return runSelectedFlow(&state)
    case .runs:
      guard let id = state.selectedRunId else { return [] }
      return [.loadTrace(traceId: id)]
    case .trace:
      guard let id = state.selectedSpanId, let span = state.trace?.spans[id] else { return [] }
      state.inspector = InspectorState(span: span, logs: state.traceLogs)
      focus(.inspector, &state)
    case .inspector:
      if let (title, text) = state.inspector?.selectedValueText() { openViewer(title: title, text: text, &state) }
    case .output:
      let text = state.output.text
      openViewer(title: state.outputTitle.isEmpty ? "Output" : state.outputTitle, text: text, &state)
    case .input:
      break
    }
    return []
  }

  static func openViewer(title: String, text: String, _ state: inout AppState) {
    var viewer = TextViewerState(text: text)
    let area = ViewerOverlayView.textArea(for: state.size)
    viewer.setViewport(width: area.width, height: area.height)
    state.overlay = .viewer(title: title, state: viewer)
  }

  /// Folding in the trace tree and the inspector.
  static func fold(_ command: Command, _ state: inout AppState) {
    if state.focus == .inspector {
      state.inspector?.fold(command)
      return
    }
    guard state.focus == .trace, let trace = state.trace else { return }
    let rows = state.outline.rows
    let index = state.outline.index(of: state.selectedSpanId)
    let row = index.map { rows[$0] }
    switch command {
    case .toggleFold:
      guard let row, row.childCount > 0 else { return }
      state.outline.foldOverrides[row.spanId] = !row.isCollapsed
    case .expand:
      guard let row, row.childCount > 0 else { return }
      if row.isCollapsed {
        state.outline.foldOverrides[row.spanId] = false
      } else if let index, index + 1 < rows.count {
        state.selectedSpanId = rows[index + 1].spanId
      }
    case .collapse:
      guard let row, let index else { return }
      if row.childCount > 0 && !row.isCollapsed {
        state.outline.foldOverrides[row.spanId] = true
      } else if let parent = rows[..<index].lastIndex(where: { $0.depth < row.depth }) {
        state.selectedSpanId = rows[parent].spanId
      }
    case .expandAll:
      state.outline.foldOverrides = Dictionary(uniqueKeysWithValues: trace.spans.keys.map { ($0, false) })
    case .collapseAll:
      var overrides: [String: Bool] = [:]
      for span in trace.spans.values where span.parentSpanId != nil { overrides[span.parentSpanId ?? ""] = true }
      // Keep the roots open so the first level stays visible.
      for root in state.outline.rows where root.depth == 0 { overrides[root.spanId] = false }
      state.outline.foldOverrides = overrides
    default:
      return
    }
    state.outline.rebuild(from: trace)
    if state.outline.index(of: state.selectedSpanId) == nil { state.selectedSpanId = state.outline.rows.first?.spanId }
    keepSpanVisible(&state)
  }

  /// Selects the span where the trace failed, expanding its ancestors.
  static func jumpToFailure(_ state: inout AppState) {
    guard let trace = state.trace, let source = TraceTree(trace).failureSource else {
      notify("No failed span in this trace", &state)
      return
    }
    var parent = source.parentSpanId
    while let id = parent, let span = trace.spans[id] {
      state.outline.foldOverrides[id] = false
      parent = span.parentSpanId
    }
    state.outline.rebuild(from: trace)
    state.selectedSpanId = source.spanId
    keepSpanVisible(&state)
    state.inspector = InspectorState(span: source, logs: state.traceLogs)
    focus(.inspector, &state)
  }

  // MARK: - Editor

  /// Applies an edit to the selected flow's editor and revalidates.
  static func editInput(_ state: inout AppState, _ edit: (inout TextEditorState) -> Void) {
    guard let flow = state.selectedFlow, var editor = state.editors[flow] else { return }
    edit(&editor)
    let inner = layout(state).panes[.input]?.inset ?? Rect(row: 0, column: 0, height: 4, width: 40)
    EditorView.ensureCursorVisible(&editor, in: inner.height >= 2 ? inner.splitTop(inner.height - 1).top : inner)
    state.editors[flow] = editor
    state.revalidateInput()
  }

  static func handleEditorKey(_ key: KeyEvent, _ state: inout AppState) {
    let page = max(layout(state).contentHeight(of: .input) - 1, 1)
    editInput(&state) { editor in
      switch key.key {
      case .character(let character) where !key.alt: editor.insertCharacter(character)
      case .enter: editor.insertNewline()
      case .backspace: editor.backspace()
      case .delete: editor.deleteForward()
      case .left: key.alt ? editor.moveWordLeft() : editor.moveLeft()
      case .right: key.alt ? editor.moveWordRight() : editor.moveRight()
      case .character("b") where key.alt: editor.moveWordLeft()
      case .character("f") where key.alt: editor.moveWordRight()
      case .up: editor.moveUp()
      case .down: editor.moveDown()
      case .home, .control("a"): editor.moveToLineStart()
      case .end: editor.moveToLineEnd()
      case .pageUp: editor.pageUp(pageHeight: page)
      case .pageDown: editor.pageDown(pageHeight: page)
      default: break
      }
    }
  }

  // MARK: - Copy

  static func copyValue(_ state: inout AppState) -> [Effect] {
    switch state.focus {
    case .output:
      return [.copy(text: state.output.text, what: "output")]
    case .inspector:
      guard let (title, text) = state.inspector?.selectedValueText() else { return [] }
      return [.copy(text: text, what: title)]
    default:
      return []
    }
  }

  static func copySpan(_ state: inout AppState) -> [Effect] {
    let id = state.focus == .inspector ? state.inspector?.span.spanId : state.selectedSpanId
    guard let id, let span = state.trace?.spans[id] else {
      notify("No span selected", isError: true, &state)
      return []
    }
    return [.copy(text: span.json.serialized(.prettyPrinted), what: "span \(span.displayName)")]
  }
}
