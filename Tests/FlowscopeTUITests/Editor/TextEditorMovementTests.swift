import FlowscopeTUI
import Testing

@Suite struct TextEditorMovementTests {
  @Test func leftAndRightWrapAcrossLines() {
    var state = makeEditor("ab\ncd", line: 1, column: 0)
    state.moveLeft()
    #expect(state.cursor == TextPosition(line: 0, column: 2))
    state.moveRight()
    #expect(state.cursor == TextPosition(line: 1, column: 0))
  }

  @Test func movesClampAtTheDocumentEdges() {
    var state = makeEditor("ab\ncd")
    state.moveLeft()
    #expect(state.cursor == .start)
    state.moveToDocumentEnd()
    state.moveRight()
    #expect(state.cursor == TextPosition(line: 1, column: 2))
    state.moveDown()
    #expect(state.cursor == TextPosition(line: 1, column: 2))
    state.moveToDocumentStart()
    state.moveRight()
    state.moveUp()
    #expect(state.cursor == .start)
  }

  @Test func moveCursorClampsOutOfRangePositions() {
    let state = makeEditor("ab\ncd", line: 9, column: 9)
    #expect(state.cursor == TextPosition(line: 1, column: 2))
  }

  @Test func verticalMovesKeepThePreferredColumn() {
    var state = makeEditor("abcdef\nab\nabcdef", line: 0, column: 5)
    state.moveDown()
    #expect(state.cursor == TextPosition(line: 1, column: 2))
    state.moveDown()
    #expect(state.cursor == TextPosition(line: 2, column: 5))
    state.moveLeft()
    state.moveUp()
    #expect(state.cursor == TextPosition(line: 1, column: 2))
    #expect(state.preferredColumn == 4)
  }

  @Test func verticalMovesAlignByDisplayColumn() {
    var state = makeEditor("abcd\n漢字x", line: 0, column: 2)
    state.moveDown()
    #expect(state.cursor == TextPosition(line: 1, column: 1))
    state.moveUp()
    state.moveToLineEnd()
    state.moveDown()
    #expect(state.cursor == TextPosition(line: 1, column: 2))
  }

  @Test func wordMovesSkipPunctuationAndCrossLines() {
    var state = makeEditor("  \"first_name\": \"Ada\"\nnext")
    state.moveWordRight()
    #expect(state.cursor.column == 13)
    state.moveWordRight()
    #expect(state.cursor.column == 20)
    state.moveWordRight()
    state.moveWordRight()
    #expect(state.cursor == TextPosition(line: 1, column: 0))
    state.moveWordLeft()
    #expect(state.cursor == TextPosition(line: 0, column: 21))
    state.moveWordLeft()
    #expect(state.cursor.column == 17)
    state.moveWordLeft()
    #expect(state.cursor.column == 3)
  }

  @Test func homeTogglesBetweenIndentAndColumnZero() {
    var state = makeEditor("    x: 1", column: 7)
    state.moveToLineStart()
    #expect(state.cursor.column == 4)
    state.moveToLineStart()
    #expect(state.cursor.column == 0)
    state.moveToLineEnd()
    #expect(state.cursor.column == 8)
  }

  @Test func pageMovesByAPage() {
    let text = (0..<20).map { "line \($0)" }.joined(separator: "\n")
    var state = makeEditor(text, line: 0, column: 3)
    state.pageDown(pageHeight: 5)
    #expect(state.cursor == TextPosition(line: 4, column: 3))
    #expect(state.scrollRow == 4)
    state.pageDown(pageHeight: 5)
    state.pageDown(pageHeight: 5)
    state.pageDown(pageHeight: 5)
    #expect(state.cursor == TextPosition(line: 16, column: 3))
    #expect(state.scrollRow == 15)
    state.pageDown(pageHeight: 5)
    #expect(state.cursor == TextPosition(line: 19, column: 7))
    state.pageUp(pageHeight: 5)
    #expect(state.cursor.line == 15)
    state.pageUp(pageHeight: 50)
    #expect(state.cursor == .start)
    #expect(state.scrollRow == 0)
  }
}
