import Flows

/// The span inspector pane.
enum InspectorPaneView {
  static func render(_ state: AppState, in rect: Rect, on canvas: inout Canvas) {
    let focused = state.focus == .inspector
    guard let inspector = state.inspector else { return }
    let title = "Span · \(TextSanitizer.sanitize(inspector.span.displayName, keepNewlines: false)) · Esc closes"
    let area = PaneFrame.draw(title, focused: focused, in: rect, on: &canvas)
    guard !area.isEmpty else { return }
    let offset = ListSelection.scroll(
      inspector.scroll, selected: inspector.selected, height: area.height, count: inspector.rows.count)
    for (line, index) in (offset..<min(offset + area.height, inspector.rows.count)).enumerated() {
      let y = area.row + line
      let isSelected = index == inspector.selected
      let background: ColorRole? = isSelected ? .selection : nil
      canvas.fill(row: y, column: area.column, height: 1, width: area.width, style: TextStyle(background: background))
      let styled: StyledLine
      switch inspector.rows[index] {
      case .heading(let section):
        let entry = inspector.sections[section]
        styled = StyledLine([
          .init(entry.isCollapsed ? "▸ " : "▾ ", TextStyle(foreground: .muted)),
          .init(entry.title, TextStyle(foreground: .title, bold: true)),
        ])
      case .line(let section, let number):
        guard case .lines(let lines) = inspector.sections[section].content else { continue }
        styled = StyledLine([.init("  ")] + lines[number].runs)
      case .json(let section, let row):
        guard case .json(let outline) = inspector.sections[section].content else { continue }
        styled = StyledLine([.init("  ")] + outline.line(for: row, width: max(area.width - 2, 0)).runs)
      }
      styled.truncated(to: area.width).draw(
        into: &canvas, row: y, column: area.column, maxWidth: area.width, background: background)
    }
  }
}
