extension JSONOutline {
  /// The expander shown before an expanded container.
  public static let expandedMarker = "▼ "
  /// The expander shown before a collapsed container.
  public static let collapsedMarker = "▶ "

  /// Draws the visible rows from position `scrollOffset` into `area`: one row per line, indented
  /// two columns per level (at most half the width), long values cut with `…`. The `selected` row
  /// (a row index) gets the `selection` background across the whole width. Rows past the end are
  /// cleared.
  public func render(selected: Int?, scrollOffset: Int, into canvas: inout Canvas, area: Rect) {
    guard !area.isEmpty else { return }
    let first = max(scrollOffset, 0)
    for line in 0..<area.height {
      let y = area.row + line
      let position = first + line
      guard position < visibleRows.count else {
        canvas.fill(row: y, column: area.column, height: 1, width: area.width)
        continue
      }
      let row = visibleRows[position]
      let background: ColorRole? = row == selected ? .selection : nil
      canvas.fill(row: y, column: area.column, height: 1, width: area.width, style: TextStyle(background: background))
      self.line(for: row, width: area.width).draw(
        into: &canvas, row: y, column: area.column, maxWidth: area.width, background: background)
    }
  }

  /// The row as styled text fitted to `width` columns (what `render` draws).
  public func line(for row: Int, width: Int) -> StyledLine {
    guard rows.indices.contains(row), width > 0 else { return StyledLine() }
    let entry = rows[row]
    var line = StyledLine()
    line.append(String(repeating: " ", count: min(entry.depth * 2, width / 2)))
    let punctuation = TextStyle(foreground: .jsonPunctuation)
    let muted = TextStyle(foreground: .muted)
    if entry.isContainer {
      line.append(isCollapsed(row) ? JSONOutline.collapsedMarker : JSONOutline.expandedMarker, punctuation)
    } else {
      line.append("  ")
    }
    switch entry.key {
    case .root: break
    case .name:
      line.append(keyText(of: row), TextStyle(foreground: .jsonKey))
      line.append(": ", punctuation)
    case .index:
      line.append(keyText(of: row), muted)
      line.append(": ", punctuation)
    }
    if entry.isEmbeddedJSON { line.append(JSONOutline.embeddedMarker + " ", muted) }
    switch entry.value {
    case .object, .array:
      if isCollapsed(row) {
        let room = max(width - line.width, 0)
        let preview = preview(of: row, maxWidth: room)
        line.append(preview, preview == summary(of: row) ? muted : punctuation)
      } else {
        line.append(summary(of: row), muted)
      }
    case .string:
      line.append(
        JSONOutline.scalarText(entry.value, characterLimit: width * 2 + 8), TextStyle(foreground: .jsonString))
    case .integer, .number:
      line.append(JSONOutline.scalarText(entry.value, characterLimit: 0), TextStyle(foreground: .jsonNumber))
    case .bool, .null:
      line.append(JSONOutline.scalarText(entry.value, characterLimit: 0), TextStyle(foreground: .jsonLiteral))
    }
    return line.truncated(to: width)
  }
}
