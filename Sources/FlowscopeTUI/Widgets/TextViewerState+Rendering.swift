extension TextViewerState {
  /// Draws the visible lines into `area` in `style`, with the last search's matches on the
  /// `selection` background; lines past the end are cleared. When `area` differs in width from the
  /// viewport (and lines wrap), the text is re-wrapped for it first.
  public func render(into canvas: inout Canvas, area: Rect, style: TextStyle = TextStyle(foreground: .text)) {
    guard !area.isEmpty else { return }
    if (isWrapping && area.width != width) || area.height != height {
      var sized = self
      sized.setViewport(width: area.width, height: area.height)
      sized.draw(into: &canvas, area: area, style: style)
    } else {
      draw(into: &canvas, area: area, style: style)
    }
  }

  private func draw(into canvas: inout Canvas, area: Rect, style: TextStyle) {
    let top = min(scrollOffset, maxScrollOffset)
    for row in 0..<area.height {
      let y = area.row + row
      canvas.fill(row: y, column: area.column, height: 1, width: area.width, style: TextStyle(background: style.background))
      guard lines.indices.contains(top + row) else { continue }
      var line = highlighted(lines[top + row].text, style: style)
      if !isWrapping { line = line.droppingColumns(horizontalOffset) }
      line.draw(into: &canvas, row: y, column: area.column, maxWidth: area.width)
    }
  }

  /// The line in `style` with the search matches on the selection background.
  func highlighted(_ text: String, style: TextStyle) -> StyledLine {
    var line = StyledLine()
    guard let query = match?.query else {
      line.append(text, style)
      return line
    }
    var highlight = style
    highlight.background = .selection
    var position = text.startIndex
    for range in TextViewerState.matches(of: query, in: text) {
      line.append(String(text[position..<range.lowerBound]), style)
      line.append(String(text[range]), highlight)
      position = range.upperBound
    }
    line.append(String(text[position...]), style)
    return line
  }
}
