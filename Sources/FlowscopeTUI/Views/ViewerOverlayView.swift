import Flows

/// The full-screen, word-wrapped, scrollable view of one long value.
enum ViewerOverlayView {
  /// The viewer's text area for a terminal size (inside the overlay's border).
  static func textArea(for size: TerminalSize) -> Rect {
    Rect(row: 0, column: 0, height: max(size.rows - 1, 0), width: size.columns).inset
  }

  static func render(
    title: String, viewer: TextViewerState, searchPrompt: String?, in rect: Rect, on canvas: inout Canvas
  ) {
    canvas.fill(row: rect.row, column: rect.column, height: rect.height, width: rect.width)
    let wrap = viewer.isWrapping ? "wrap" : "no wrap"
    var heading = "\(TextSanitizer.sanitize(title, keepNewlines: false)) · \(viewer.positionIndicator) · \(wrap)"
    if let searchPrompt { heading += " · /\(TextSanitizer.sanitize(searchPrompt, keepNewlines: false))▏" }
    let area = PaneFrame.draw(heading, focused: true, in: rect, on: &canvas)
    viewer.render(into: &canvas, area: area)
  }
}
