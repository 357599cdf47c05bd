import Flows

/// Draws the input editor: visible lines with light JSON colouring, a one-column gutter marking the
/// line of a diagnostic, and the diagnostic's column underlined. The caller draws the surrounding box.
public enum EditorView {
  /// Columns on the left reserved for the diagnostic marker.
  public static let gutterWidth = 1
  /// The gutter marker of the line with a problem.
  public static let diagnosticMarker = "▸"

  /// The text viewport inside `area` (without the gutter): pass it to
  /// `TextEditorState.ensureCursorVisible(height:width:)` and use `height` for page up/down.
  public static func textSize(for area: Rect) -> (height: Int, width: Int) {
    (max(area.height, 0), max(area.width - gutterWidth, 0))
  }

  /// Scrolls `state` so its cursor is visible when drawn in `area`; call after every edit or move.
  public static func ensureCursorVisible(_ state: inout TextEditorState, in area: Rect) {
    let size = textSize(for: area)
    state.ensureCursorVisible(height: size.height, width: size.width)
  }

  /// Draws `state` into `area` of `canvas`, honouring its scroll offsets.
  /// - Returns: The screen position of the cursor when `focused` and the cursor is inside the area.
  @discardableResult
  public static func render(
    _ state: TextEditorState, diagnostic: InputDiagnostic?, focused: Bool, into canvas: inout Canvas, area: Rect
  ) -> (row: Int, column: Int)? {
    guard !area.isEmpty else { return nil }
    canvas.fill(row: area.row, column: area.column, height: area.height, width: area.width)
    let size = textSize(for: area)
    let textColumn = area.column + gutterWidth
    let marked = diagnostic.map(\.position)
    for offset in 0..<area.height {
      let index = state.scrollRow + offset
      guard index >= 0, index < state.lines.count else { break }
      let row = area.row + offset
      let markedColumn = marked?.line == index ? marked?.column : nil
      if markedColumn != nil {
        canvas.put(
          diagnosticMarker, row: row, column: area.column, style: TextStyle(foreground: .failure, bold: true),
          maxWidth: gutterWidth)
      }
      drawLine(
        state.lines[index], markedColumn: markedColumn, into: &canvas, row: row, column: textColumn,
        scrollColumn: state.scrollColumn, width: size.width)
    }
    guard focused else { return nil }
    let row = state.cursor.line - state.scrollRow
    let column = state.cursorDisplayColumn - state.scrollColumn
    guard row >= 0, row < size.height, column >= 0, column < size.width else { return nil }
    return (area.row + row, textColumn + column)
  }

  /// The status-line text for a problem, e.g. `✖ line 3, col 12: expected ',' or '}'`.
  public static func diagnosticLine(_ diagnostic: InputDiagnostic) -> String {
    let message = TextSanitizer.sanitize(diagnostic.message, keepNewlines: false)
    let more = diagnostic.additionalProblems > 0 ? " (+\(diagnostic.additionalProblems) more)" : ""
    if diagnostic.kind == .empty { return "✖ " + message + more }
    return "✖ line \(diagnostic.line), col \(diagnostic.column): \(message)\(more)"
  }

  /// Draws one line from display column `scrollColumn`, `width` columns wide. A wide character cut by
  /// the left edge shows as blanks; one cut by the right edge is left out.
  static func drawLine(
    _ line: String, markedColumn: Int?, into canvas: inout Canvas, row: Int, column: Int, scrollColumn: Int,
    width: Int
  ) {
    let roles = JSONLineHighlighter.roles(for: line)
    var x = 0
    for (index, character) in line.enumerated() {
      let characterWidth = DisplayWidth.of(character)
      let start = x - scrollColumn
      x += characterWidth
      guard characterWidth > 0 else { continue }
      if start >= width { return }
      let style = self.style(for: roles[index], marked: index == markedColumn)
      if start >= 0 {
        let text = TextSanitizer.sanitize(String(character), keepNewlines: false)
        canvas.put(text, row: row, column: column + start, style: style, maxWidth: width - start)
      } else if start + characterWidth > 0 {
        let visible = start + characterWidth
        canvas.put(String(repeating: " ", count: visible), row: row, column: column, style: style, maxWidth: visible)
      }
    }
    // A problem at the end of the line (e.g. a missing bracket) marks the cell after it.
    let end = x - scrollColumn
    if markedColumn == roles.count, end >= 0, end < width {
      canvas.put(" ", row: row, column: column + end, style: style(for: .text, marked: true), maxWidth: 1)
    }
  }

  static func style(for role: ColorRole, marked: Bool) -> TextStyle {
    marked ? TextStyle(foreground: .failure, bold: true, underline: true) : TextStyle(foreground: role)
  }
}
