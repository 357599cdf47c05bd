extension TextEditorState {
  /// Types one character at the cursor. Consecutive characters typed on one line form one undo step.
  /// A newline character acts like `insertNewline()`; a tab inserts two spaces; control characters are
  /// ignored.
  public mutating func insertCharacter(_ character: Character) {
    if character == "\n" || character == "\r" || character == "\r\n" {
      insertNewline()
      return
    }
    let normalized = EditorText.normalize(String(character))
    guard !normalized.isEmpty else { return }
    beginEdit(.typing(line: cursor.line))
    insertOnCurrentLine(normalized)
  }

  /// Inserts text at the cursor as one undo step (a paste); it may span several lines. The cursor ends
  /// after the inserted text. No auto-indent is applied.
  public mutating func insert(_ text: String) {
    let pieces = EditorText.lines(of: EditorText.normalize(text))
    guard pieces.count > 1 || !pieces[0].isEmpty else { return }
    beginEdit(nil)
    guard pieces.count > 1, let last = pieces.last else {
      insertOnCurrentLine(pieces[0])
      return
    }
    let line = lines[cursor.line]
    let split = line.index(atColumn: cursor.column)
    let before = String(line[..<split])
    let after = String(line[split...])
    var replacement = [before + pieces[0]]
    replacement.append(contentsOf: pieces.dropFirst().dropLast())
    replacement.append(last + after)
    lines.replaceSubrange(cursor.line...cursor.line, with: replacement)
    cursor = TextPosition(line: cursor.line + pieces.count - 1, column: last.count)
    clampCursor()
  }

  /// Splits the line at the cursor with auto-indent: the new line gets the current line's leading
  /// spaces, two more after `{` or `[`; between `{}` or `[]` the closing bracket moves to its own line
  /// below the cursor. Trailing spaces before the cursor are trimmed. One undo step.
  public mutating func insertNewline() {
    beginEdit(nil)
    let line = lines[cursor.line]
    let split = line.index(atColumn: cursor.column)
    let before = String(line[..<split])
    let after = String(line[split...])
    if before.allSatisfy({ $0 == " " }) {
      // In the indentation: push the line down unchanged.
      lines.insert("", at: cursor.line)
      cursor.line += 1
      return
    }
    let indent = line.leadingSpaceCount
    let trimmedBefore = String(before.reversed().drop { $0 == " " }.reversed())
    let rest = String(after.drop { $0 == " " })
    let opener = trimmedBefore.last
    let opens = opener == "{" || opener == "["
    let innerIndent = String(repeating: " ", count: indent + (opens ? 2 : 0))
    let closes = (opener == "{" && rest.first == "}") || (opener == "[" && rest.first == "]")
    var replacement = [trimmedBefore]
    if closes {
      replacement += [innerIndent, String(repeating: " ", count: indent) + rest]
    } else {
      replacement.append(innerIndent + rest)
    }
    lines.replaceSubrange(cursor.line...cursor.line, with: replacement)
    cursor = TextPosition(line: cursor.line + 1, column: innerIndent.count)
  }

  /// Deletes the character before the cursor, or joins the line to the previous one at column 0.
  /// Consecutive backspaces on one line form one undo step.
  public mutating func backspace() {
    if cursor.column > 0 {
      beginEdit(.backspacing(line: cursor.line))
      var line = lines[cursor.line]
      line.remove(at: line.index(atColumn: cursor.column - 1))
      lines[cursor.line] = line
      cursor.column -= 1
      clampCursor()
    } else if cursor.line > 0 {
      beginEdit(nil)
      let previous = lines[cursor.line - 1]
      lines[cursor.line - 1] = previous + lines[cursor.line]
      lines.remove(at: cursor.line)
      cursor = TextPosition(line: cursor.line - 1, column: previous.count)
      clampCursor()
    }
  }

  /// Deletes the character under the cursor, or joins the next line at the end of a line.
  /// Consecutive forward deletions on one line form one undo step.
  public mutating func deleteForward() {
    let line = lines[cursor.line]
    if cursor.column < line.count {
      beginEdit(.deletingForward(line: cursor.line))
      var edited = line
      edited.remove(at: edited.index(atColumn: cursor.column))
      lines[cursor.line] = edited
      clampCursor()
    } else if cursor.line + 1 < lines.count {
      beginEdit(nil)
      lines[cursor.line] = line + lines[cursor.line + 1]
      lines.remove(at: cursor.line + 1)
      clampCursor()
    }
  }

  /// Replaces the whole text (select all + paste, or a skeleton) as one undo step; the cursor and the
  /// scroll offsets go to the start. Does nothing when the text is unchanged.
  public mutating func replaceAll(_ text: String) {
    let replacement = EditorText.lines(of: EditorText.normalize(text))
    guard replacement != lines else { return }
    beginEdit(nil)
    lines = replacement
    cursor = .start
    scrollRow = 0
    scrollColumn = 0
  }

  /// Inserts normalized single-line text at the cursor and moves the cursor after it.
  private mutating func insertOnCurrentLine(_ text: String) {
    let line = lines[cursor.line]
    let split = line.index(atColumn: cursor.column)
    let before = String(line[..<split]) + text
    lines[cursor.line] = before + line[split...]
    cursor.column = before.count
    clampCursor()
  }
}
