extension TextEditorState {
  /// Adjusts the scroll offsets so the cursor's cell is inside a viewport of `height` lines and `width`
  /// display columns (use `EditorView.textSize(for:)` for the editor's area). Scrolling is by display
  /// columns, so a wide character is fully visible when the cursor is on it.
  public mutating func ensureCursorVisible(height: Int, width: Int) {
    guard height > 0, width > 0 else { return }
    scrollRow = min(max(scrollRow, 0), max(lines.count - height, 0))
    if cursor.line < scrollRow {
      scrollRow = cursor.line
    } else if cursor.line >= scrollRow + height {
      scrollRow = cursor.line - height + 1
    }

    let x = cursorDisplayColumn
    let line = currentLine
    let split = line.index(atColumn: cursor.column)
    let underCursor = split < line.endIndex ? DisplayWidth.of(line[split]) : 1
    let cellWidth = min(max(underCursor, 1), width)
    scrollColumn = max(scrollColumn, 0)
    if x < scrollColumn {
      scrollColumn = x + cellWidth <= width ? 0 : x
    } else if x + cellWidth > scrollColumn + width {
      scrollColumn = x + cellWidth - width
    }
  }
}
