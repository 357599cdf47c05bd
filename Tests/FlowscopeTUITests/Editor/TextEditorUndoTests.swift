import FlowscopeTUI
import Testing

@Suite struct TextEditorUndoTests {
  @Test func consecutiveTypingIsOneUndoStep() {
    var state = TextEditorState()
    for character in "hello" { state.insertCharacter(character) }
    #expect(state.text == "hello")
    state.undo()
    #expect(state.text == "")
    #expect(state.cursor == .start)
    #expect(!state.canUndo)
  }

  @Test func aCursorMoveStartsANewGroup() {
    var state = TextEditorState()
    for character in "ab" { state.insertCharacter(character) }
    state.moveLeft()
    state.moveRight()
    for character in "cd" { state.insertCharacter(character) }
    state.undo()
    #expect(state.text == "ab")
    #expect(state.cursor.column == 2)
    state.undo()
    #expect(state.text == "")
  }

  @Test func newlineAndDeletionAreBoundaries() {
    var state = TextEditorState()
    for character in "ab" { state.insertCharacter(character) }
    state.insertNewline()
    for character in "cd" { state.insertCharacter(character) }
    state.backspace()
    state.backspace()
    #expect(state.lines == ["ab", ""])
    state.undo()
    #expect(state.lines == ["ab", "cd"])
    state.undo()
    #expect(state.lines == ["ab", ""])
    state.undo()
    #expect(state.lines == ["ab"])
    state.undo()
    #expect(state.lines == [""])
  }

  @Test func multiLinePasteIsOneUndoStep() {
    var state = makeEditor("[]", column: 1)
    state.insert("1,\n2,\n3")
    #expect(state.lines.count == 3)
    state.undo()
    #expect(state.text == "[]")
    #expect(state.cursor == TextPosition(line: 0, column: 1))
    state.redo()
    #expect(state.lines == ["[1,", "2,", "3]"])
    #expect(state.cursor == TextPosition(line: 2, column: 1))
  }

  @Test func replaceAllIsOneUndoStep() {
    var state = makeEditor("old")
    state.replaceAll("{\n}")
    state.undo()
    #expect(state.text == "old")
    state.redo()
    #expect(state.text == "{\n}")
  }

  @Test func redoIsClearedByANewEdit() {
    var state = TextEditorState()
    state.insertCharacter("a")
    state.undo()
    #expect(state.canRedo)
    state.insertCharacter("b")
    #expect(!state.canRedo)
    let redone = state.redo()
    #expect(!redone)
    #expect(state.text == "b")
  }

  @Test func undoThenRedoRoundTrips() {
    var state = TextEditorState()
    for character in "ab" { state.insertCharacter(character) }
    state.insertNewline()
    state.insertCharacter("c")
    let edited = state.text
    while state.undo() {}
    #expect(state.text == "")
    while state.redo() {}
    #expect(state.text == edited)
  }

  @Test func typingAfterUndoStartsANewGroup() {
    var state = TextEditorState()
    state.insertCharacter("a")
    state.insertNewline()
    state.insertCharacter("b")
    state.undo()
    state.insertCharacter("c")
    state.insertCharacter("d")
    state.undo()
    #expect(state.lines == ["a", ""])
  }

  @Test func historyIsBounded() {
    var state = TextEditorState(historyLimit: 3)
    for _ in 0..<10 { state.insertNewline() }
    var undone = 0
    while state.undo() { undone += 1 }
    #expect(undone == 3)
    #expect(state.lines.count == 8)
  }

  @Test func undoWithNothingToUndoReturnsFalse() {
    var state = TextEditorState(text: "x")
    let undone = state.undo()
    #expect(!undone)
    #expect(state.text == "x")
  }
}
