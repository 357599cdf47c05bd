import Flows

/// The flow list: every registered flow, ⇣ for streaming flows, 🔧 for flows that use tools.
enum FlowsPaneView {
  static func render(_ state: AppState, in rect: Rect, on canvas: inout Canvas) {
    let focused = state.focus == .flows
    var title = "Flows (1)"
    if let prompt = state.filterPrompt, prompt.pane == .flows {
      title = "Flows /\(prompt.text)▏"
    } else if !state.flowFilter.isEmpty {
      title = "Flows /\(state.flowFilter)"
    }
    let area = PaneFrame.draw(title, focused: focused, in: rect, on: &canvas)
    let flows = state.visibleFlows
    guard !area.isEmpty else { return }
    if flows.isEmpty {
      let note = state.flows.isEmpty ? "No flows registered" : "No flow matches"
      canvas.put(note, row: area.row, column: area.column, style: TextStyle(foreground: .muted), maxWidth: area.width)
      return
    }
    let selected = state.selectedFlow.flatMap { name in flows.firstIndex { $0.name == name } }
    let offset = ListSelection.scroll(state.flowScroll, selected: selected, height: area.height, count: flows.count)
    for (line, index) in (offset..<min(offset + area.height, flows.count)).enumerated() {
      let flow = flows[index]
      let isSelected = index == selected
      var markers = ""
      if flow.streams { markers += "⇣" }
      if !flow.tools.isEmpty { markers += markers.isEmpty ? "🔧" : " 🔧" }
      let style = PaneFrame.rowStyle(selected: isSelected, focused: focused)
      PaneFrame.row(
        (isSelected ? "▸ " : "  ") + TextSanitizer.sanitize(flow.name, keepNewlines: false), trailer: markers,
        row: area.row + line, in: area, style: style,
        trailerStyle: TextStyle(foreground: .accent, background: style.background, bold: style.bold), on: &canvas)
    }
  }
}
