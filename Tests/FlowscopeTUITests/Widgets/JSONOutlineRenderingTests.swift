import Flows
import Testing

@testable import FlowscopeTUI

@Suite struct JSONOutlineRenderingTests {
  func render(_ outline: JSONOutline, width: Int, height: Int, selected: Int? = nil, scroll: Int = 0) -> Canvas {
    var canvas = Canvas(rows: height, columns: width)
    outline.render(
      selected: selected, scrollOffset: scroll, into: &canvas,
      area: Rect(row: 0, column: 0, height: height, width: width))
    return canvas
  }

  func trimmedRows(_ canvas: Canvas) -> [String] {
    (0..<canvas.rows).map { canvas.rowText($0).replacingTrailingSpaces() }
  }

  @Test func rendersAt40Columns() {
    var outline = JSONOutline(outlineSample)
    outline.collapse(13)
    let canvas = render(outline, width: 40, height: 16)
    #expect(
      trimmedRows(canvas) == [
        "▼ {6 keys}",
        "    name: \"menu\"",
        "    count: 3",
        "    ok: true",
        "    none: null",
        "  ▼ tags: [2 items]",
        "      [0]: \"a\"",
        "      [1]: \"b\"",
        "  ▼ attributes: {2 keys}",
        "    ▼ genkit:input: (json string) {1 ke…",
        "      ▼ messages: [1 item]",
        "        ▼ [0]: {2 keys}",
        "            role: \"user\"",
        "          ▶ content: [{…}]",
        "      genkit:output: \"plain text\"",
        "",
      ])
    #expect(canvas.rowText(9).count == 40)
  }

  @Test func rendersAt120ColumnsWithCollapsedPreviews() {
    var outline = JSONOutline(outlineSample)
    outline.collapse(9)
    outline.collapse(5)
    let canvas = render(outline, width: 120, height: 8, scroll: 2)
    #expect(
      trimmedRows(canvas) == [
        "    count: 3",
        "    ok: true",
        "    none: null",
        "  ▶ tags: [\"a\", \"b\"]",
        "  ▼ attributes: {2 keys}",
        "    ▶ genkit:input: (json string) {messages: […]}",
        "      genkit:output: \"plain text\"",
        "",
      ])
  }

  @Test func selectedRowHasTheSelectionBackgroundAcrossTheWidth() {
    let outline = JSONOutline(outlineSample)
    let canvas = render(outline, width: 40, height: 4, selected: 2)
    #expect(canvas[2, 0].style.background == .selection)
    #expect(canvas[2, 39].style.background == .selection)
    #expect(canvas[2, 4].style == TextStyle(foreground: .jsonKey, background: .selection))
    #expect(canvas[1, 4].style == TextStyle(foreground: .jsonKey))
    #expect(canvas[1, 10].style.foreground == .jsonString)
    #expect(canvas[2, 11].style.foreground == .jsonNumber)
    #expect(canvas[3, 8].style.foreground == .jsonLiteral)
    #expect(canvas[0, 0].style.foreground == .jsonPunctuation)
    #expect(canvas[0, 2].style.foreground == .muted)
  }

  @Test func wideCharactersAndEscapeSequencesAreSafe() {
    let outline = JSONOutline([
      "名前": "漢字テキスト",
      "esc": "\u{1B}[31mred\u{1B}[0m",
      "c1": "a\u{9B}2Jb",
      "nl": "x\ny",
      "\u{1B}]0;title\u{07}key": 1,
    ])
    let canvas = render(outline, width: 20, height: 6)
    #expect(
      trimmedRows(canvas) == [
        "▼ {5 keys}",
        "    名前: \"漢字テキ…",
        "    esc: \"\\u001b[31…",
        "    c1: \"ab\"",
        "    nl: \"x\\ny\"",
        "    \"\\u001b]0;title…",
      ])
    for row in 0..<canvas.rows {
      let text = canvas.rowText(row)
      #expect(DisplayWidth.of(text) == 20)
      #expect(!text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
    }
    // One column less: the wide character that no longer fits is not split.
    let narrower = render(outline, width: 19, height: 2)
    #expect(narrower.rowText(1) == "    名前: \"漢字テ… ")
  }

  @Test func longStringsAreCutWithAnEllipsis() {
    let long = String(repeating: "word ", count: 10_000)
    let outline = JSONOutline(["text": .string(long)])
    let canvas = render(outline, width: 30, height: 2)
    #expect(canvas.rowText(1) == "    text: \"word word word wor…")
    #expect(outline.fullText(of: 1) == long)
  }

  @Test func deepIndentationIsCappedAtHalfTheWidth() {
    var value: JSONValue = 1
    for _ in 0..<40 { value = ["k": value] }
    let outline = JSONOutline(value)
    let canvas = render(outline, width: 30, height: 42, scroll: 40)
    #expect(canvas.rowText(0) == String(repeating: " ", count: 15) + "  k: 1" + String(repeating: " ", count: 9))
  }

  @Test func rowsPastTheEndAreCleared() {
    var canvas = Canvas(rows: 3, columns: 10)
    canvas.put("garbage!!!", row: 2, column: 0)
    JSONOutline(["a": 1]).render(
      selected: nil, scrollOffset: 0, into: &canvas, area: Rect(row: 0, column: 0, height: 3, width: 10))
    #expect(canvas.rowText(2) == String(repeating: " ", count: 10))
  }
}

extension String {
  fileprivate func replacingTrailingSpaces() -> String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}
