extension TextEditorState {
  /// Moves one character left, to the end of the previous line from column 0.
  public mutating func moveLeft() {
    beginMove()
    if cursor.column > 0 {
      cursor.column -= 1
    } else if cursor.line > 0 {
      cursor = TextPosition(line: cursor.line - 1, column: lines[cursor.line - 1].count)
    }
  }

  /// Moves one character right, to the start of the next line from a line's end.
  public mutating func moveRight() {
    beginMove()
    if cursor.column < currentLine.count {
      cursor.column += 1
    } else if cursor.line + 1 < lines.count {
      cursor = TextPosition(line: cursor.line + 1, column: 0)
    }
  }

  /// Moves one line up, keeping the preferred display column; on the first line, to its start.
  public mutating func moveUp() {
    moveVertically(by: -1)
  }

  /// Moves one line down, keeping the preferred display column; on the last line, to its end.
  public mutating func moveDown() {
    moveVertically(by: 1)
  }

  /// Moves a page (`pageHeight - 1` lines, at least one) up and scrolls the view by as much.
  public mutating func pageUp(pageHeight: Int) {
    let step = max(pageHeight - 1, 1)
    moveVertically(by: -step)
    scrollRow = max(scrollRow - step, 0)
  }

  /// Moves a page (`pageHeight - 1` lines, at least one) down and scrolls the view by as much.
  public mutating func pageDown(pageHeight: Int) {
    let step = max(pageHeight - 1, 1)
    moveVertically(by: step)
    scrollRow = min(scrollRow + step, max(lines.count - max(pageHeight, 1), 0))
  }

  /// Moves to the start of the previous word (crossing to the previous line's end from column 0).
  public mutating func moveWordLeft() {
    beginMove()
    guard cursor.column > 0 else {
      if cursor.line > 0 { cursor = TextPosition(line: cursor.line - 1, column: lines[cursor.line - 1].count) }
      return
    }
    let characters = Array(currentLine)
    var i = min(cursor.column, characters.count)
    while i > 0, !EditorText.isWordCharacter(characters[i - 1]) { i -= 1 }
    while i > 0, EditorText.isWordCharacter(characters[i - 1]) { i -= 1 }
    cursor.column = i
  }

  /// Moves to the end of the next word (crossing to the next line's start from a line's end).
  public mutating func moveWordRight() {
    beginMove()
    let characters = Array(currentLine)
    guard cursor.column < characters.count else {
      if cursor.line + 1 < lines.count { cursor = TextPosition(line: cursor.line + 1, column: 0) }
      return
    }
    var i = cursor.column
    while i < characters.count, !EditorText.isWordCharacter(characters[i]) { i += 1 }
    while i < characters.count, EditorText.isWordCharacter(characters[i]) { i += 1 }
    cursor.column = i
  }

  /// Moves to the first non-space character of the line, or to column 0 when already there (smart Home).
  public mutating func moveToLineStart() {
    beginMove()
    let indent = currentLine.leadingSpaceCount
    cursor.column = cursor.column == indent ? 0 : indent
  }

  /// Moves to the end of the line.
  public mutating func moveToLineEnd() {
    beginMove()
    cursor.column = currentLine.count
  }

  /// Moves to the start of the document.
  public mutating func moveToDocumentStart() {
    beginMove()
    cursor = .start
  }

  /// Moves to the end of the document.
  public mutating func moveToDocumentEnd() {
    beginMove()
    cursor = TextPosition(line: lines.count - 1, column: lines[lines.count - 1].count)
  }

  /// Puts the cursor at `position` (clamped), e.g. to jump to a diagnostic.
  public mutating func moveCursor(to position: TextPosition) {
    beginMove()
    cursor = position
    clampCursor()
  }

  /// Every move ends the open undo group and forgets the preferred column.
  private mutating func beginMove() {
    closeUndoGroup()
    preferredColumn = nil
  }

  private mutating func moveVertically(by delta: Int) {
    closeUndoGroup()
    let target = preferredColumn ?? cursorDisplayColumn
    let line = cursor.line + delta
    if line < 0 {
      cursor = .start
      preferredColumn = nil
    } else if line >= lines.count {
      cursor = TextPosition(line: lines.count - 1, column: lines[lines.count - 1].count)
      preferredColumn = nil
    } else {
      cursor = TextPosition(line: line, column: lines[line].column(atDisplayColumn: target))
      preferredColumn = target
    }
  }
}
