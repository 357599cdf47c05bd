extension TextEditorState {
  /// Whether there is an edit to undo.
  public var canUndo: Bool { !undoStack.isEmpty }
  /// Whether there is an undone edit to redo.
  public var canRedo: Bool { !redoStack.isEmpty }

  /// Reverts the last undo step (a run of typing on one line, a paste, a newline, a deletion run…).
  /// - Returns: Whether anything was undone.
  @discardableResult
  public mutating func undo() -> Bool {
    guard let snapshot = undoStack.popLast() else { return false }
    Self.push(currentSnapshot, onto: &redoStack, limit: historyLimit)
    restore(snapshot)
    return true
  }

  /// Re-applies the last undone step.
  /// - Returns: Whether anything was redone.
  @discardableResult
  public mutating func redo() -> Bool {
    guard let snapshot = redoStack.popLast() else { return false }
    Self.push(currentSnapshot, onto: &undoStack, limit: historyLimit)
    restore(snapshot)
    return true
  }

  var currentSnapshot: EditorSnapshot { EditorSnapshot(lines: lines, cursor: cursor) }

  /// Records the state before an edit. An edit of the same group as the open one joins its undo step;
  /// any other edit starts a new step. New edits clear the redo history.
  mutating func beginEdit(_ group: EditGroup?) {
    redoStack.removeAll()
    preferredColumn = nil
    if let group, group == openGroup { return }
    Self.push(currentSnapshot, onto: &undoStack, limit: historyLimit)
    openGroup = group
  }

  /// Ends the open undo group (called by every move), so the next edit starts a new step.
  mutating func closeUndoGroup() {
    openGroup = nil
  }

  private mutating func restore(_ snapshot: EditorSnapshot) {
    lines = snapshot.lines.isEmpty ? [""] : snapshot.lines
    cursor = snapshot.cursor
    clampCursor()
    openGroup = nil
    preferredColumn = nil
  }

  private static func push(_ snapshot: EditorSnapshot, onto stack: inout [EditorSnapshot], limit: Int) {
    guard limit > 0 else { return }
    stack.append(snapshot)
    if stack.count > limit { stack.removeFirst(stack.count - limit) }
  }

  /// Keeps the cursor inside the text.
  mutating func clampCursor() {
    cursor.line = min(max(cursor.line, 0), lines.count - 1)
    cursor.column = min(max(cursor.column, 0), lines[cursor.line].count)
  }
}
