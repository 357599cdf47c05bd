import Flows

/// The input editor for the selected flow, with its schema in the title and validation underneath.
enum InputPaneView {
  /// Draws the pane; returns the cursor position when the editor has focus.
  static func render(_ state: AppState, in rect: Rect, on canvas: inout Canvas) -> (row: Int, column: Int)? {
    let focused = state.focus == .input
    guard let flow = state.selectedFlowEntry, let editor = state.editors[flow.name] else {
      let area = PaneFrame.draw("Input (3)", focused: focused, in: rect, on: &canvas)
      canvas.put(
        "Select a flow", row: area.row, column: area.column, style: TextStyle(foreground: .muted), maxWidth: area.width)
      return nil
    }
    let title = TextSanitizer.sanitize("Input (3) · \(flow.name) \(flow.inputSummary)", keepNewlines: false)
    let area = PaneFrame.draw(title, focused: focused, in: rect, on: &canvas)
    guard !area.isEmpty else { return nil }
    let (text, statusRow) = area.height >= 2 ? area.splitTop(area.height - 1) : (area, Rect.zero)
    let cursor = EditorView.render(
      editor, diagnostic: state.inputDiagnostic, focused: focused, into: &canvas, area: text)
    if !statusRow.isEmpty {
      if let diagnostic = state.inputDiagnostic {
        canvas.put(
          EditorView.diagnosticLine(diagnostic), row: statusRow.row, column: statusRow.column,
          style: TextStyle(foreground: .failure), maxWidth: statusRow.width)
      } else {
        let hint = focused ? "✔ valid · F5 runs · Esc leaves" : "✔ valid · ⏎ on the flow runs · i edits"
        canvas.put(
          hint, row: statusRow.row, column: statusRow.column, style: TextStyle(foreground: .muted),
          maxWidth: statusRow.width)
      }
    }
    return focused ? cursor : nil
  }
}
