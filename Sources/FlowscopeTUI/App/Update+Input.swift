import Flows

extension DebuggerUpdate {
  static func handle(_ input: TerminalInput, _ state: inout AppState) -> [Effect] {
    switch input {
    case .resize(let size):
      state.size = size
      if case .viewer(let title, var viewer) = state.overlay {
        let area = ViewerOverlayView.textArea(for: size)
        viewer.setViewport(width: area.width, height: area.height)
        state.overlay = .viewer(title: title, state: viewer)
      }
      keepSpanVisible(&state)
      return []
    case .mouse(let event):
      return handleMouse(event, &state)
    case .paste(let text):
      if state.filterPrompt != nil {
        editFilter(appending: text.replacingOccurrences(of: "\n", with: " "), &state)
      } else if state.focus == .input, state.overlay == nil {
        editInput(&state) { $0.insert(text) }
      }
      return []
    case .key(let key):
      return handleKey(key, &state)
    }
  }

  static func handleKey(_ key: KeyEvent, _ state: inout AppState) -> [Effect] {
    if case .control("c") = key.key, !state.isRunning, state.overlay == nil, state.filterPrompt == nil {
      if state.pendingQuitConfirmation { return quit(&state, force: true) }
      state.pendingQuitConfirmation = true
      notify("Press ^C again or q to quit", &state)
      return []
    }
    if case .control("c") = key.key {} else { state.pendingQuitConfirmation = false }
    if let overlay = state.overlay { return handleOverlayKey(key, overlay, &state) }
    if state.filterPrompt != nil { return handleFilterKey(key, &state) }
    let typing = state.focus == .input
    if let command = KeyBindings.command(for: key, in: KeyBindings.scopes(for: state.focus), typing: typing) {
      return perform(command, &state)
    }
    if typing { handleEditorKey(key, &state) }
    return []
  }

  // MARK: - Commands

  static func perform(_ command: Command, _ state: inout AppState) -> [Effect] {
    switch command {
    case .nextPane: cycleFocus(by: 1, &state)
    case .previousPane: cycleFocus(by: -1, &state)
    case .focus(let pane): focus(pane, &state)
    case .help: state.overlay = .help(scroll: 0)
    case .appLog: openAppLog(&state)
    case .quit: return quit(&state, force: false)
    case .cancelRun: return cancelRun(&state)
    case .repaint: return [.repaint]
    case .suspend: return [.suspend]
    case .toggleMouse:
      state.mouseEnabled.toggle()
      notify(state.mouseEnabled ? "Mouse on" : "Mouse off: the terminal's text selection works", &state)
      return [.setMouseCapture(state.mouseEnabled)]
    case .runFlow: return runSelectedFlow(&state)
    case .editExternally:
      guard let flow = state.selectedFlow, let editor = state.editors[flow] else { return [] }
      return [.editInput(flow: flow, text: editor.text)]
    case .resetInput:
      guard let flow = state.selectedFlowEntry else { return [] }
      editInput(&state) { $0.replaceAll(JSONSkeleton.make(schema: flow.inputSchema)) }
    case .undo: editInput(&state) { _ = $0.undo() }
    case .redo: editInput(&state) { _ = $0.redo() }
    case .moveUp: move(by: -1, &state)
    case .moveDown: move(by: 1, &state)
    case .pageUp: move(by: -layout(state).contentHeight(of: state.focus), &state)
    case .pageDown: move(by: layout(state).contentHeight(of: state.focus), &state)
    case .top: move(by: Int.min / 2, &state)
    case .bottom: move(by: Int.max / 2, &state)
    case .open: return open(&state)
    case .back: back(&state)
    case .filter:
      let current = state.focus == .runs ? state.runFilter.text : state.flowFilter
      state.filterPrompt = FilterPrompt(pane: state.focus, text: current)
    case .expand, .collapse, .toggleFold, .expandAll, .collapseAll:
      fold(command, &state)
    case .jumpToFailure: jumpToFailure(&state)
    case .rerun: return rerunSelected(&state)
    case .cycleStatusFilter:
      state.runFilter.cycleStatus()
      state.selectedRunId = ListSelection.move(state.selectedRunId, by: 0, in: state.visibleRuns.map(\.traceId))
      notify("Runs: \(state.runFilter.status?.rawValue ?? "all")", &state)
    case .copyValue: return copyValue(&state)
    case .copySpan: return copySpan(&state)
    case .copyTrace:
      guard let trace = state.trace else {
        notify("No trace to copy", isError: true, &state)
        return []
      }
      return [.copy(text: trace.json.serialized(.prettyPrinted), what: "trace \(trace.traceId.prefix(8))")]
    case .exportTrace:
      guard let trace = state.trace else {
        notify("No trace to export", isError: true, &state)
        return []
      }
      return [.exportTrace(traceId: trace.traceId)]
    case .search, .nextMatch, .previousMatch:
      // Only bound in the full-screen view, which handles them itself.
      break
    }
    return []
  }

  static func quit(_ state: inout AppState, force: Bool) -> [Effect] {
    if state.isRunning && !force {
      state.overlay = .confirmQuit
      return []
    }
    state.isFinished = true
    var effects: [Effect] = []
    if let run = state.activeRun, run.status == .running { effects.append(.cancelRun(runID: run.runID)) }
    effects.append(.quit)
    return effects
  }

  static func back(_ state: inout AppState) {
    switch state.focus {
    case .input: focus(.flows, &state)
    case .inspector:
      state.inspector = nil
      focus(.trace, &state)
    case .flows where !state.flowFilter.isEmpty:
      state.flowFilter = ""
    case .runs where state.runFilter != RunFilter():
      state.runFilter = RunFilter()
    default:
      break
    }
  }

  // MARK: - Filter prompt

  static func handleFilterKey(_ key: KeyEvent, _ state: inout AppState) -> [Effect] {
    guard let prompt = state.filterPrompt else { return [] }
    switch key.key {
    case .enter:
      state.filterPrompt = nil
    case .escape:
      state.filterPrompt = nil
      applyFilter("", for: prompt.pane, &state)
    case .backspace:
      var text = prompt.text
      if !text.isEmpty { text.removeLast() }
      state.filterPrompt?.text = text
      applyFilter(text, for: prompt.pane, &state)
    case .character(let character) where !key.alt:
      editFilter(appending: String(character), &state)
    case .control("c"):
      state.filterPrompt = nil
    default:
      break
    }
    return []
  }

  static func editFilter(appending text: String, _ state: inout AppState) {
    guard let prompt = state.filterPrompt else { return }
    let updated = String((prompt.text + TextSanitizer.sanitize(text, keepNewlines: false)).prefix(80))
    state.filterPrompt?.text = updated
    applyFilter(updated, for: prompt.pane, &state)
  }

  static func applyFilter(_ text: String, for pane: Pane, _ state: inout AppState) {
    if pane == .runs {
      state.runFilter.text = text
      state.selectedRunId = ListSelection.move(state.selectedRunId, by: 0, in: state.visibleRuns.map(\.traceId))
      state.runScroll = 0
    } else {
      state.flowFilter = text
      let names = state.visibleFlows.map(\.name)
      if let selected = state.selectedFlow, names.contains(selected) { return }
      selectFlow(names.first, &state)
      state.flowScroll = 0
    }
  }

  // MARK: - Overlays

  static func handleOverlayKey(_ key: KeyEvent, _ overlay: Overlay, _ state: inout AppState) -> [Effect] {
    switch overlay {
    case .confirmQuit:
      switch key.key {
      case .character("y"), .character("Y"), .character("q"), .enter: return quit(&state, force: true)
      default: state.overlay = nil
      }
    case .help(let scroll):
      switch key.key {
      case .down, .character("j"): state.overlay = .help(scroll: scroll + 1)
      case .up, .character("k"): state.overlay = .help(scroll: max(scroll - 1, 0))
      case .pageDown, .character(" "): state.overlay = .help(scroll: scroll + max(state.size.rows - 4, 1))
      case .pageUp: state.overlay = .help(scroll: max(scroll - max(state.size.rows - 4, 1), 0))
      default: state.overlay = nil
      }
    case .viewer(let title, var viewer):
      if let prompt = state.viewerSearchPrompt {
        handleViewerSearchKey(key, prompt: prompt, viewer: &viewer, &state)
        state.overlay = .viewer(title: title, state: viewer)
        return []
      }
      guard let command = KeyBindings.command(for: key, in: [.viewer]) else { return [] }
      switch command {
      case .moveDown: viewer.scroll(by: 1)
      case .moveUp: viewer.scroll(by: -1)
      case .pageDown: viewer.pageDown()
      case .pageUp: viewer.pageUp()
      case .expand: viewer.scrollHorizontally(by: 8)
      case .collapse: viewer.scrollHorizontally(by: -8)
      case .top: viewer.scrollToTop()
      case .bottom: viewer.scrollToBottom()
      case .toggleFold: viewer.isWrapping.toggle()
      case .search: state.viewerSearchPrompt = ""
      case .nextMatch, .previousMatch:
        guard !state.viewerSearch.isEmpty else {
          notify("/ searches first", &state)
          return []
        }
        if !viewer.search(state.viewerSearch, backward: command == .previousMatch) {
          notify("Not found: \(state.viewerSearch)", isError: true, &state)
        }
      case .copyValue:
        return [.copy(text: viewer.text, what: title)]
      case .back:
        state.overlay = nil
        state.viewerSearchPrompt = nil
        return []
      default: break
      }
      state.overlay = .viewer(title: title, state: viewer)
    }
    return []
  }

  /// Typing a `/` search in the full-screen view: Enter searches, Esc gives up.
  static func handleViewerSearchKey(
    _ key: KeyEvent, prompt: String, viewer: inout TextViewerState, _ state: inout AppState
  ) {
    switch key.key {
    case .enter:
      state.viewerSearchPrompt = nil
      guard !prompt.isEmpty else { return }
      state.viewerSearch = prompt
      if !viewer.search(prompt) { notify("Not found: \(prompt)", isError: true, &state) }
    case .escape, .control("c"):
      state.viewerSearchPrompt = nil
    case .backspace:
      state.viewerSearchPrompt = String(prompt.dropLast())
    case .character(let character) where !key.alt:
      state.viewerSearchPrompt = String((prompt + String(character)).prefix(80))
    default:
      break
    }
  }

  // MARK: - Mouse

  static func handleMouse(_ event: MouseEvent, _ state: inout AppState) -> [Effect] {
    guard state.overlay == nil else {
      if case .wheelDown = event.kind, case .viewer = state.overlay {
        return handleOverlayKey(KeyEvent(.down), state.overlay ?? .confirmQuit, &state)
      }
      if case .wheelUp = event.kind, case .viewer = state.overlay {
        return handleOverlayKey(KeyEvent(.up), state.overlay ?? .confirmQuit, &state)
      }
      if case .press = event.kind { state.overlay = nil }
      return []
    }
    let layout = layout(state)
    if let tabs = layout.tabs, tabs.contains(row: event.row, column: event.column), case .press = event.kind {
      let panes = Layout.cycle(inspectorOpen: state.inspector != nil)
      let index = min(max(event.column * panes.count / max(tabs.width, 1), 0), panes.count - 1)
      focus(panes[index], &state)
      return []
    }
    guard let pane = layout.pane(atRow: event.row, column: event.column), let rect = layout.panes[pane] else {
      return []
    }
    switch event.kind {
    case .wheelUp, .wheelDown:
      let saved = state.focus
      state.focus = pane
      move(by: event.kind == .wheelUp ? -3 : 3, &state)
      state.focus = saved
    case .press(.left):
      state.filterPrompt = nil
      focus(pane, &state)
      let row = event.row - rect.row - 1
      guard row >= 0, row < rect.height - 2 else { return [] }
      select(row: row, in: pane, &state)
    default:
      break
    }
    return []
  }

  /// Selects the row at `row` (0 = first content row) of a list pane.
  static func select(row: Int, in pane: Pane, _ state: inout AppState) {
    switch pane {
    case .flows:
      let flows = state.visibleFlows
      let index = state.flowScroll + row
      if index < flows.count { selectFlow(flows[index].name, &state) }
    case .runs:
      let runs = state.visibleRuns
      let index = state.runScroll + row
      if index < runs.count { state.selectedRunId = runs[index].traceId }
    case .trace:
      let index = state.traceScroll + row
      if index < state.outline.rows.count { state.selectedSpanId = state.outline.rows[index].spanId }
    case .inspector:
      let scroll = state.inspector?.scroll ?? 0
      state.inspector?.select(row: scroll + row)
    default:
      break
    }
  }
}
