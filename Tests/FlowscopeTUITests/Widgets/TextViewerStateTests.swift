import Testing

@testable import FlowscopeTUI

@Suite struct TextViewerStateTests {
  static let numbered = (1...100).map { "line \($0)" }.joined(separator: "\n")

  func viewer(_ text: String = numbered, width: Int = 20, height: Int = 10) -> TextViewerState {
    var viewer = TextViewerState(text: text)
    viewer.setViewport(width: width, height: height)
    return viewer
  }

  func search(_ viewer: inout TextViewerState, _ query: String, backward: Bool = false) -> Bool {
    viewer.search(query, backward: backward)
  }

  func draw(_ viewer: TextViewerState, width: Int = 20, height: Int = 10) -> Canvas {
    var canvas = Canvas(rows: height, columns: width)
    viewer.render(into: &canvas, area: Rect(row: 0, column: 0, height: height, width: width))
    return canvas
  }

  @Test func scrollsAndClamps() {
    var viewer = viewer()
    #expect(viewer.positionIndicator == "1–10 of 100")
    viewer.scroll(by: 5)
    #expect(viewer.positionIndicator == "6–15 of 100")
    viewer.pageDown()
    #expect(viewer.scrollOffset == 14)
    viewer.pageUp()
    #expect(viewer.scrollOffset == 5)
    viewer.scroll(by: -50)
    #expect(viewer.scrollOffset == 0)
    viewer.scroll(by: 1000)
    #expect(viewer.scrollOffset == 90)
    viewer.scrollToTop()
    #expect(viewer.scrollOffset == 0)
    viewer.scrollToBottom()
    #expect(viewer.positionIndicator == "91–100 of 100")
    #expect(draw(viewer).rowText(9).hasPrefix("line 100"))
  }

  @Test func shortTextsAndUnknownViewports() {
    var short = viewer("one\ntwo")
    #expect(short.positionIndicator == "1–2 of 2")
    short.pageDown()
    #expect(short.scrollOffset == 0)
    // Before setViewport the height is unknown: scrolling stops at the last line, and render
    // still shows a full page.
    var unsized = TextViewerState(text: Self.numbered)
    unsized.scrollToBottom()
    #expect(unsized.scrollOffset == 99)
    #expect(draw(unsized).rowText(0).hasPrefix("line 91"))
  }

  @Test func wrapsAndKeepsTheTopLineWhenToggled() {
    let text = "short\n" + (1...30).map { "w\($0)" }.joined(separator: " ") + "\nlast"
    var viewer = viewer(text, width: 20, height: 3)
    #expect(viewer.lines.count > 3)
    #expect(viewer.lines.allSatisfy { DisplayWidth.of($0.text) <= 20 })
    viewer.scroll(by: 2)
    let top = viewer.lines[viewer.scrollOffset]
    #expect(top.sourceLine == 1 && top.offset > 0)
    viewer.isWrapping = false
    #expect(viewer.lines.count == 3)
    #expect(viewer.scrollOffset == 0)  // the last page: lines 1–3 all fit
    viewer.isWrapping = true
    viewer.scroll(by: 1)
    let again = viewer.lines[viewer.scrollOffset]
    #expect(again.sourceLine == 1)
  }

  @Test func horizontalScrollingWithoutWrapping() {
    var viewer = TextViewerState(text: "0123456789abcdefghij漢字xyz", isWrapping: false)
    viewer.setViewport(width: 10, height: 1)
    viewer.scrollHorizontally(by: 5)
    #expect(draw(viewer, width: 10, height: 1).rowText(0) == "56789abcde")
    viewer.scrollHorizontally(by: 16)
    #expect(viewer.horizontalOffset == 17)  // the widest line (27 columns) ends at the right edge
    #expect(draw(viewer, width: 10, height: 1).rowText(0) == "hij漢字xyz")
    viewer.scrollHorizontally(by: -14)
    #expect(viewer.horizontalOffset == 3)
    viewer.isWrapping = true
    #expect(viewer.horizontalOffset == 0)
    viewer.scrollHorizontally(by: 3)
    #expect(viewer.horizontalOffset == 0)
  }

  @Test func horizontalScrollHalfWayThroughAWideCharacter() {
    var viewer = TextViewerState(text: "ab漢字cd", isWrapping: false)
    viewer.setViewport(width: 4, height: 1)
    viewer.scrollHorizontally(by: 3)
    #expect(draw(viewer, width: 4, height: 1).rowText(0) == " 字c")
  }

  @Test func searchIsSmartCaseAndMovesToTheNextLine() {
    let text = (0..<40).map { $0 % 10 == 3 ? "an Error here \($0)" : "fine \($0)" }.joined(separator: "\n")
    var viewer = viewer(text, width: 30, height: 5)
    #expect(search(&viewer, "error"))
    #expect(viewer.match?.sourceLine == 3)
    #expect(viewer.scrollOffset == 3)
    #expect(search(&viewer, "error"))
    #expect(viewer.match?.sourceLine == 13)
    #expect(search(&viewer, "error", backward: true))
    #expect(viewer.match?.sourceLine == 3)
    #expect(search(&viewer, "error", backward: true))
    #expect(viewer.match?.sourceLine == 33)  // wrapped around
    #expect(viewer.scrollOffset == 33)
    // An uppercase letter makes the search case-sensitive.
    #expect(!search(&viewer, "ERROR"))
    #expect(viewer.match == nil)
    #expect(search(&viewer, "Error"))
    #expect(viewer.match?.offset == 3)
    #expect(!search(&viewer, ""))
  }

  @Test func searchScrollsToTheWrappedLineWithTheMatch() {
    let text = "intro\n" + String(repeating: "filler ", count: 20) + "needle at the end\nafter"
    var viewer = viewer(text, width: 20, height: 2)
    #expect(search(&viewer, "needle"))
    #expect(viewer.lines[viewer.scrollOffset].text.contains("needle"))
  }

  @Test func searchScrollsSidewaysWhenNotWrapping() {
    var viewer = TextViewerState(text: String(repeating: ".", count: 50) + "needle", isWrapping: false)
    viewer.setViewport(width: 20, height: 1)
    #expect(!search(&viewer, "NEEDLE"))
    #expect(search(&viewer, "needle"))
    #expect(viewer.horizontalOffset == 45)
    #expect(draw(viewer, width: 20, height: 1).rowText(0).hasPrefix(".....needle"))
  }

  @Test func matchesAreHighlighted() {
    var viewer = viewer("one two one", width: 20, height: 1)
    viewer.search("one")
    let canvas = draw(viewer, width: 20, height: 1)
    #expect(canvas[0, 0].style == TextStyle(foreground: .text, background: .selection))
    #expect(canvas[0, 3].style == TextStyle(foreground: .text))
    #expect(canvas[0, 8].style.background == .selection)
  }

  @Test func renderSanitizesAndClearsBelowTheText() {
    var canvas = Canvas(rows: 4, columns: 12)
    canvas.put("old content", row: 3, column: 0)
    let viewer = TextViewerState(text: "\u{1B}[31mred\u{1B}[0m\tx\r\nnext")
    viewer.render(into: &canvas, area: Rect(row: 0, column: 0, height: 4, width: 12))
    #expect(canvas.rowText(0) == "red x       ")
    #expect(canvas.rowText(1) == "next        ")
    #expect(canvas.rowText(3) == String(repeating: " ", count: 12))
    #expect(viewer.text.hasPrefix("\u{1B}[31m"))
  }

  @Test func renderWrapsOnlyWhatIsOnScreenWithoutAViewport() {
    var viewer = TextViewerState(text: (0..<5).map { "L\($0) xxxx yyyy" }.joined(separator: "\n"))
    viewer.scroll(by: 2)
    let canvas = draw(viewer, width: 7, height: 3)
    #expect((0..<3).map(canvas.rowText) == ["L2 xxxx", "yyyy   ", "L3 xxxx"])
    viewer.scrollToBottom()
    let end = draw(viewer, width: 7, height: 3)
    #expect((0..<3).map(end.rowText) == ["yyyy   ", "L4 xxxx", "yyyy   "])
  }

  @Test func renderRewrapsForAnotherWidth() {
    let viewer = viewer("alpha beta gamma delta", width: 40, height: 3)
    var canvas = Canvas(rows: 3, columns: 11)
    viewer.render(into: &canvas, area: Rect(row: 0, column: 0, height: 3, width: 11))
    #expect(canvas.rowText(0) == "alpha beta ")
    #expect(canvas.rowText(1) == "gamma delta")
  }
}
