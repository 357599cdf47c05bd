import FlowscopeTUI
import Testing

@Suite struct TextEditorScrollingTests {
  @Test func cursorColumnCountsGraphemesAndDisplayColumnsCountCells() {
    var state = makeEditor("a漢字😀b")
    state.moveToLineEnd()
    #expect(state.cursor.column == 5)
    #expect(state.cursorDisplayColumn == 8)
    state.moveLeft()
    state.moveLeft()
    #expect(state.cursor.column == 3)
    #expect(state.cursorDisplayColumn == 5)
  }

  @Test func flagEmojiIsOneGrapheme() {
    var state = makeEditor("🇯🇵x")
    state.moveRight()
    #expect(state.cursor.column == 1)
    state.backspace()
    #expect(state.text == "x")
  }

  @Test func verticalScrollFollowsTheCursor() {
    let text = (0..<10).map(String.init).joined(separator: "\n")
    var state = makeEditor(text, line: 7)
    state.ensureCursorVisible(height: 3, width: 10)
    #expect(state.scrollRow == 5)
    state.moveCursor(to: TextPosition(line: 2, column: 0))
    state.ensureCursorVisible(height: 3, width: 10)
    #expect(state.scrollRow == 2)
  }

  @Test func scrollRowShrinksWhenTheDocumentDoes() {
    var state = makeEditor("a\nb\nc\nd", line: 3)
    state.scrollRow = 3
    state.ensureCursorVisible(height: 3, width: 10)
    #expect(state.scrollRow == 1)
  }

  @Test func horizontalScrollUsesDisplayWidths() {
    // Four CJK characters take eight columns; the cursor after the third is at display column 6.
    var state = makeEditor("漢字漢字", column: 3)
    state.ensureCursorVisible(height: 1, width: 5)
    // The fourth character (two cells) must fit: 6 + 2 - 5.
    #expect(state.scrollColumn == 3)
    state.moveToLineEnd()
    state.ensureCursorVisible(height: 1, width: 5)
    #expect(state.scrollColumn == 4)
    state.moveToLineStart()
    state.ensureCursorVisible(height: 1, width: 5)
    #expect(state.scrollColumn == 0)
  }

  @Test func scrollingLeftToAFarColumnKeepsTheCursorAtTheEdge() {
    var state = makeEditor(String(repeating: "x", count: 30), column: 30)
    state.ensureCursorVisible(height: 1, width: 10)
    #expect(state.scrollColumn == 21)
    state.moveCursor(to: TextPosition(line: 0, column: 15))
    state.ensureCursorVisible(height: 1, width: 10)
    #expect(state.scrollColumn == 15)
  }
}
