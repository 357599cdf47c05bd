import Flows
import FlowscopeTUI
import Testing

@Suite struct EditorViewTests {
  @Test func drawsVisibleLinesAfterTheGutterAndReturnsTheCursor() {
    var state = makeEditor("{\n  \"subject\": \"cats\"\n}", line: 1, column: 4)
    let area = Rect(row: 1, column: 1, height: 2, width: 12)
    EditorView.ensureCursorVisible(&state, in: area)
    var canvas = Canvas(rows: 4, columns: 14)
    let cursor = EditorView.render(state, diagnostic: nil, focused: true, into: &canvas, area: area)
    #expect(canvas.rowText(1) == "  {           ")
    #expect(canvas.rowText(2) == "    \"subject\" ")
    #expect(canvas.rowText(3) == "              ")
    #expect(cursor?.row == 2)
    #expect(cursor?.column == 6)
  }

  @Test func unfocusedEditorHasNoCursor() {
    let state = makeEditor("x")
    var canvas = Canvas(rows: 1, columns: 5)
    #expect(
      EditorView.render(
        state, diagnostic: nil, focused: false, into: &canvas, area: Rect(row: 0, column: 0, height: 1, width: 5))
        == nil)
  }

  @Test func honoursScrollOffsets() {
    var state = makeEditor("line0\nline1\nline2\nabcdefghij", line: 3, column: 10)
    let area = Rect(row: 0, column: 0, height: 2, width: 6)
    EditorView.ensureCursorVisible(&state, in: area)
    #expect(state.scrollRow == 2)
    #expect(state.scrollColumn == 6)
    var canvas = Canvas(rows: 2, columns: 6)
    let cursor = EditorView.render(state, diagnostic: nil, focused: true, into: &canvas, area: area)
    #expect(canvas.rowText(0) == "      ")
    #expect(canvas.rowText(1) == " ghij ")
    #expect(cursor?.row == 1)
    #expect(cursor?.column == 5)
  }

  @Test func wideCharactersAreNeverSplit() {
    var state = makeEditor("a漢字b", column: 3)
    state.scrollColumn = 2
    var canvas = Canvas(rows: 1, columns: 5)
    let cursor = EditorView.render(
      state, diagnostic: nil, focused: true, into: &canvas, area: Rect(row: 0, column: 0, height: 1, width: 5))
    // Display columns 2…5: the second half of 漢 (blank), 字, b.
    #expect(canvas.rowText(0) == "  字b")
    #expect(cursor?.column == 4)

    var clipped = Canvas(rows: 1, columns: 4)
    let start = makeEditor("ab漢")
    EditorView.render(
      start, diagnostic: nil, focused: true, into: &clipped, area: Rect(row: 0, column: 0, height: 1, width: 4))
    #expect(clipped.rowText(0) == " ab ")
  }

  @Test func marksTheDiagnosticLineAndColumn() {
    let text = "{\n  \"subject\": 42\n}"
    let schema: JSONValue = ["type": "object", "properties": ["subject": ["type": "string"]]]
    let diagnostic = InputValidation.validate(text: text, schema: schema)
    #expect(diagnostic?.line == 2)
    var canvas = Canvas(rows: 3, columns: 20)
    EditorView.render(
      makeEditor(text), diagnostic: diagnostic, focused: false, into: &canvas,
      area: Rect(row: 0, column: 0, height: 3, width: 20))
    #expect(canvas.rowText(1).hasPrefix("▸  \"subject\": 42"))
    #expect(canvas[1, 0].style.foreground == .failure)
    #expect(canvas[1, 14].text == "4")
    #expect(canvas[1, 14].style.underline)
    #expect(!canvas[1, 15].style.underline)
    #expect(canvas[0, 0].text == " ")
  }

  @Test func marksAProblemAtTheEndOfALine() {
    let text = "[1,"
    let diagnostic = InputValidation.validate(text: text, schema: nil)
    #expect(diagnostic?.column == 4)
    var canvas = Canvas(rows: 1, columns: 8)
    EditorView.render(
      makeEditor(text), diagnostic: diagnostic, focused: false, into: &canvas,
      area: Rect(row: 0, column: 0, height: 1, width: 8))
    #expect(canvas[0, 4].style.underline)
  }

  @Test func coloursJSONTokens() {
    let state = makeEditor("{\"k\": \"v\", \"n\": -1.5, \"t\": true}")
    var canvas = Canvas(rows: 1, columns: 40)
    EditorView.render(
      state, diagnostic: nil, focused: false, into: &canvas, area: Rect(row: 0, column: 0, height: 1, width: 40))
    func role(at column: Int) -> ColorRole? { canvas[0, column + 1].style.foreground }
    #expect(role(at: 0) == .jsonPunctuation)
    #expect(role(at: 1) == .jsonKey)
    #expect(role(at: 4) == .jsonPunctuation)
    #expect(role(at: 6) == .jsonString)
    #expect(role(at: 16) == .jsonNumber)
    #expect(role(at: 28) == .jsonLiteral)
  }

  @Test func controlCharactersNeverReachTheCanvas() {
    let state = makeEditor("a\u{1B}[2Jb\u{7}c")
    var canvas = Canvas(rows: 1, columns: 6)
    EditorView.render(
      state, diagnostic: nil, focused: false, into: &canvas, area: Rect(row: 0, column: 0, height: 1, width: 6))
    #expect(canvas.rowText(0) == " abc  ")
  }

  @Test func diagnosticLineIsSanitized() {
    let diagnostic = InputDiagnostic(kind: .schema, message: "$.a: bad\n\u{1B}[31mvalue", line: 2, column: 5)
    #expect(EditorView.diagnosticLine(diagnostic) == "✖ line 2, col 5: $.a: bad value")
  }
}
