import FlowscopeTUI
import Testing

@Suite struct DisplayWidthTests {
  @Test func asciiIsOneColumn() {
    #expect(DisplayWidth.of("hello") == 5)
  }

  @Test func cjkAndEmojiAreTwoColumns() {
    #expect(DisplayWidth.of("漢字") == 4)
    #expect(DisplayWidth.of("😀") == 2)
    #expect(DisplayWidth.of("テスト") == 6)
    #expect(DisplayWidth.of("한국") == 4)
  }

  @Test func combiningMarksAddNothing() {
    #expect(DisplayWidth.of("e\u{301}") == 1)
    #expect(DisplayWidth.of("cafe\u{301}") == 4)
  }

  @Test func emojiPresentationSelectorWidens() {
    #expect(DisplayWidth.of("\u{2764}") == 1)
    #expect(DisplayWidth.of("\u{2764}\u{FE0F}") == 2)
  }

  @Test func boxDrawingIsNarrow() {
    #expect(DisplayWidth.of("┌─┐│└┘") == 6)
  }
}

@Suite struct CanvasTests {
  @Test func putWritesAndClipsAtTheEdge() {
    var canvas = Canvas(rows: 2, columns: 6)
    #expect(canvas.put("abcdefgh", row: 0, column: 2) == 4)
    #expect(canvas.rowText(0) == "  abcd")
    #expect(canvas.rowText(1) == "      ")
  }

  @Test func maxWidthLimitsTheRun() {
    var canvas = Canvas(rows: 1, columns: 10)
    canvas.put("abcdef", row: 0, column: 1, maxWidth: 3)
    #expect(canvas.rowText(0) == " abc      ")
  }

  @Test func wideCharactersTakeTwoCellsAndAreNeverSplit() {
    var canvas = Canvas(rows: 1, columns: 5)
    #expect(canvas.put("漢字テ", row: 0, column: 0) == 5)
    // Two wide characters fit (4 columns); the third would be cut, so a space takes the last column.
    #expect(canvas.rowText(0) == "漢字 ")
    #expect(canvas[0, 1].isContinuation)
    #expect(DisplayWidth.of(canvas.rowText(0)) == 5)
  }

  @Test func overwritingHalfOfAWideCharacterBlanksTheOtherHalf() {
    var canvas = Canvas(rows: 1, columns: 4)
    canvas.put("😀😀", row: 0, column: 0)
    canvas.put("x", row: 0, column: 1)
    #expect(canvas.rowText(0) == " x😀")
    #expect(DisplayWidth.of(canvas.rowText(0)) == 4)
  }

  @Test func combiningMarksJoinThePreviousCell() {
    var canvas = Canvas(rows: 1, columns: 3)
    canvas.put("e\u{301}x", row: 0, column: 0)
    #expect(canvas[0, 0].text == "e\u{301}")
    #expect(canvas.rowText(0) == "e\u{301}x ")
  }

  @Test func boxDrawsAFrameWithATitle() {
    var canvas = Canvas(rows: 3, columns: 10)
    canvas.box(row: 0, column: 0, height: 3, width: 10, title: "Flows")
    #expect(canvas.text == "┌ Flows ─┐\n│        │\n└────────┘")
  }

  @Test func outOfRangeWritesAreIgnoredAtAnySize() {
    var tiny = Canvas(rows: 1, columns: 1)
    tiny.put("hello", row: 0, column: 0)
    tiny.put("x", row: 5, column: 5)
    tiny.put("y", row: -1, column: 0)
    tiny.box(row: 0, column: 0, height: 3, width: 3)
    #expect(tiny.text == "┌", "the frame's corner overwrote the text; nothing else fits")
    var empty = Canvas(rows: 0, columns: 0)
    empty.put("x", row: 0, column: 0)
    #expect(empty.text == "")
  }

  @Test func changesListOnlyDifferingCells() {
    var before = Canvas(rows: 2, columns: 3)
    before.put("abc", row: 0, column: 0)
    var after = before
    after.put("Z", row: 1, column: 2, style: TextStyle(foreground: .accent, bold: true))
    let changes = after.changes(since: before)
    #expect(changes.count == 1)
    #expect(changes.first?.row == 1 && changes.first?.column == 2 && changes.first?.cell.text == "Z")
    #expect(after.changes(since: nil).count == 6)
    #expect(after.changes(since: Canvas(rows: 1, columns: 3)).count == 6, "a resize redraws everything")
  }
}
