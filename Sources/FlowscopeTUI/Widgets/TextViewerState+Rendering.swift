extension TextViewerState {
  /// Draws the visible lines into `area` in `style`, with the last search's matches on the
  /// `selection` background; lines past the end are cleared.
  ///
  /// When `area` is not the viewport set with `setViewport`, only the lines on screen are wrapped
  /// for it, starting from the current top line, so drawing stays cheap for any text size.
  public func render(into canvas: inout Canvas, area: Rect, style: TextStyle = TextStyle(foreground: .text)) {
    guard !area.isEmpty else { return }
    let window: [WrappedText.Line]
    if (isWrapping && area.width != width) || area.height != height {
      window = visibleLines(width: area.width, height: area.height)
    } else {
      let top = min(scrollOffset, maxScrollOffset)
      window = Array(lines[top..<min(top + area.height, lines.count)])
    }
    for row in 0..<area.height {
      let y = area.row + row
      canvas.fill(
        row: y, column: area.column, height: 1, width: area.width, style: TextStyle(background: style.background))
      guard row < window.count else { continue }
      var line = highlighted(window[row].text, style: style)
      if !isWrapping { line = line.droppingColumns(horizontalOffset) }
      line.draw(into: &canvas, row: y, column: area.column, maxWidth: area.width)
    }
  }

  /// The display lines a `width`×`height` view shows from the current top line (filled from
  /// above when the text ends first), wrapping only the source lines it needs.
  func visibleLines(width: Int, height: Int) -> [WrappedText.Line] {
    guard !lines.isEmpty, height > 0 else { return [] }
    let anchor = lines[min(max(scrollOffset, 0), lines.count - 1)]
    let wrapWidth = isWrapping ? width : 0
    func wrapped(_ source: Int) -> [WrappedText.Line] {
      WrappedText.wrapLine(sourceLines[source], width: wrapWidth).map {
        WrappedText.Line(text: $0.text, sourceLine: source, offset: $0.offset)
      }
    }
    var above = wrapped(anchor.sourceLine)
    let first = above.lastIndex { $0.offset <= anchor.offset } ?? 0
    var window = Array(above[first...])
    above.removeSubrange(first...)
    var next = anchor.sourceLine + 1
    while window.count < height, next < sourceLines.count {
      window += wrapped(next)
      next += 1
    }
    var previous = anchor.sourceLine
    while window.count < height {
      if let line = above.popLast() {
        window.insert(line, at: 0)
      } else if previous > 0 {
        previous -= 1
        above = wrapped(previous)
      } else {
        break
      }
    }
    return Array(window.prefix(height))
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
