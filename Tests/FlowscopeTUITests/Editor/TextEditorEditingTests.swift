import FlowscopeTUI
import Testing

/// An editor holding `text` with the cursor at `line`/`column`.
func makeEditor(_ text: String, line: Int = 0, column: Int = 0) -> TextEditorState {
  var state = TextEditorState(text: text)
  state.moveCursor(to: TextPosition(line: line, column: column))
  return state
}

@Suite struct TextEditorEditingTests {
  @Test func startsWithOneEmptyLine() {
    let state = TextEditorState()
    #expect(state.lines == [""])
    #expect(state.isEmpty)
    #expect(state.cursor == .start)
    #expect(state.text == "")
  }

  @Test func normalizesLineEndingsTabsAndControls() {
    let state = TextEditorState(text: "a\r\nb\rc\td\u{1B}[31me\u{7}")
    #expect(state.lines == ["a", "b", "c  de"])
  }

  @Test func typingInsertsAtTheCursor() {
    var state = makeEditor("ac", column: 1)
    state.insertCharacter("b")
    #expect(state.text == "abc")
    #expect(state.cursor == TextPosition(line: 0, column: 2))
  }

  @Test func typingControlCharactersDoesNothingAndTabIsTwoSpaces() {
    var state = makeEditor("x")
    state.insertCharacter("\u{1B}")
    #expect(state.text == "x")
    #expect(!state.canUndo)
    state.insertCharacter("\t")
    #expect(state.text == "  x")
    #expect(state.cursor.column == 2)
  }

  @Test func combiningMarkJoinsThePreviousCharacter() {
    var state = makeEditor("cafe", column: 4)
    state.insertCharacter("\u{301}")
    #expect(state.text == "caf\u{E9}")
    #expect(state.cursor.column == 4)
    #expect(state.currentLine.count == 4)
  }

  @Test func multiLinePasteSplitsAroundTheCursor() {
    var state = makeEditor("[X]", column: 1)
    state.insert("1,\r\n2,\n3")
    #expect(state.lines == ["[1,", "2,", "3X]"])
    #expect(state.cursor == TextPosition(line: 2, column: 1))
  }

  @Test func backspaceDeletesAndJoinsLines() {
    var state = makeEditor("ab\ncd", line: 1, column: 1)
    state.backspace()
    #expect(state.lines == ["ab", "d"])
    #expect(state.cursor == TextPosition(line: 1, column: 0))
    state.backspace()
    #expect(state.lines == ["abd"])
    #expect(state.cursor == TextPosition(line: 0, column: 2))
  }

  @Test func backspaceAtTheDocumentStartDoesNothing() {
    var state = makeEditor("ab")
    state.backspace()
    #expect(state.text == "ab")
    #expect(!state.canUndo)
  }

  @Test func deleteForwardDeletesAndJoinsLines() {
    var state = makeEditor("ab\ncd", line: 0, column: 1)
    state.deleteForward()
    #expect(state.lines == ["a", "cd"])
    state.deleteForward()
    #expect(state.lines == ["acd"])
    #expect(state.cursor == TextPosition(line: 0, column: 1))
    state.moveToDocumentEnd()
    state.deleteForward()
    #expect(state.text == "acd")
  }

  @Test func deletingAWideCharacterRemovesOneGrapheme() {
    var state = makeEditor("a漢😀b", column: 3)
    state.backspace()
    #expect(state.text == "a漢b")
    #expect(state.cursor.column == 2)
  }

  @Test func replaceAllResetsCursorAndScroll() {
    var state = makeEditor("old\ntext", line: 1, column: 2)
    state.scrollRow = 1
    state.scrollColumn = 3
    state.replaceAll("{\n  \"a\": 1\n}")
    #expect(state.lines == ["{", "  \"a\": 1", "}"])
    #expect(state.cursor == .start)
    #expect(state.scrollRow == 0 && state.scrollColumn == 0)
  }
}

@Suite struct AutoIndentTests {
  @Test func newlineCopiesTheIndentation() {
    var state = makeEditor("    \"a\": 1,", column: 11)
    state.insertNewline()
    #expect(state.lines == ["    \"a\": 1,", "    "])
    #expect(state.cursor == TextPosition(line: 1, column: 4))
  }

  @Test func newlineAfterAnOpenerIndentsTwoMore() {
    var state = makeEditor("  \"items\": [", column: 12)
    state.insertNewline()
    #expect(state.lines == ["  \"items\": [", "    "])
    #expect(state.cursor == TextPosition(line: 1, column: 4))
  }

  @Test func newlineBetweenBracesPutsTheClosingBraceOnItsOwnLine() {
    var state = makeEditor("{}", column: 1)
    state.insertNewline()
    #expect(state.lines == ["{", "  ", "}"])
    #expect(state.cursor == TextPosition(line: 1, column: 2))
    state.insert("\"a\": []")
    state.moveLeft()
    state.insertNewline()
    #expect(state.lines == ["{", "  \"a\": [", "    ", "  ]", "}"])
    #expect(state.cursor == TextPosition(line: 2, column: 4))
  }

  @Test func newlineInTheMiddleMovesTheRestIndented() {
    var state = makeEditor("  \"a\": 1, \"b\": 2", column: 9)
    state.insertNewline()
    #expect(state.lines == ["  \"a\": 1,", "  \"b\": 2"])
    #expect(state.cursor == TextPosition(line: 1, column: 2))
  }

  @Test func newlineInTheIndentationPushesTheLineDown() {
    var state = makeEditor("  x", column: 1)
    state.insertNewline()
    #expect(state.lines == ["", "  x"])
    #expect(state.cursor == TextPosition(line: 1, column: 1))
  }

  @Test func typedNewlineCharacterAutoIndents() {
    var state = makeEditor("{", column: 1)
    state.insertCharacter("\n")
    #expect(state.lines == ["{", "  "])
  }
}
