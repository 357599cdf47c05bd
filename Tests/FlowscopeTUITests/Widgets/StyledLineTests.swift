import Testing

@testable import FlowscopeTUI

@Suite struct StyledLineTests {
  let key = TextStyle(foreground: .jsonKey)
  let value = TextStyle(foreground: .jsonString)

  @Test func truncationEndsWithAnEllipsisInTheCutStyle() {
    let line = StyledLine([.init("key: ", key), .init("abcdef", value)])
    #expect(line.width == 11)
    #expect(line.truncated(to: 11) == line)
    let cut = line.truncated(to: 8)
    #expect(cut.text == "key: ab…")
    #expect(cut.runs.last == StyledLine.Run("…", value))
    #expect(StyledLine([.init("ab漢字")]).truncated(to: 4).text == "ab…")
    #expect(StyledLine([.init("abc")]).truncated(to: 0).text == "")
  }

  @Test func droppingColumnsKeepsAlignment() {
    #expect(StyledLine([.init("漢字")]).droppingColumns(1).text == " 字")
    #expect(StyledLine([.init("ab", key), .init("cd", value)]).droppingColumns(3).runs == [.init("d", value)])
  }

  @Test func drawAddsTheBackgroundToRunsWithoutOne() {
    var canvas = Canvas(rows: 1, columns: 6)
    let written = StyledLine([.init("ab", key), .init("cdef", value)]).draw(
      into: &canvas, row: 0, column: 1, maxWidth: 4, background: .selection)
    #expect(written == 4)
    #expect(canvas.rowText(0) == " abcd ")
    #expect(canvas[0, 1].style == TextStyle(foreground: .jsonKey, background: .selection))
  }
}
