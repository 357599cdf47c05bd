import Testing

@testable import FlowscopeTUI

@Suite struct WrappedTextTests {
  @Test func breaksAtSpaces() {
    #expect(WrappedText.wrap("hello world foo", width: 11) == ["hello world", "foo"])
    #expect(WrappedText.wrap("hello world foo", width: 20) == ["hello world foo"])
    #expect(WrappedText.wrap("one two three four", width: 9) == ["one two", "three", "four"])
  }

  @Test func spacesAtABreakAreDroppedInsideKeptIndentationKept() {
    #expect(WrappedText.wrap("a  b   c", width: 4) == ["a  b", "c"])
    #expect(WrappedText.wrap("    indented text here", width: 12) == ["    indented", "text here"])
    #expect(WrappedText.wrap("word      ", width: 5) == ["word"])
  }

  @Test func longWordsAreSplit() {
    #expect(WrappedText.wrap("abcdefghij", width: 4) == ["abcd", "efgh", "ij"])
    #expect(
      WrappedText.wrap("see https://example.com/very/long", width: 10) == [
        "see", "https://ex", "ample.com/", "very/long",
      ])
  }

  @Test func wideCharactersAreNeverSplit() {
    #expect(WrappedText.wrap("漢字漢字漢字", width: 5) == ["漢字", "漢字", "漢字"])
    #expect(WrappedText.wrap("漢字 テスト です", width: 8) == ["漢字", "テスト", "です"])
    #expect(WrappedText.wrap("ab漢字", width: 3) == ["ab", "漢", "字"])
    // A wide character wider than the line still gets a line of its own.
    #expect(WrappedText.wrap("漢字", width: 1) == ["漢", "字"])
    for line in WrappedText.wrap("混合 mixed テキスト text 😀😀😀 end", width: 7) {
      #expect(DisplayWidth.of(line) <= 7)
    }
  }

  @Test func newlinesAndBlankLinesAreKept() {
    #expect(WrappedText.wrap("a\n\nb", width: 10) == ["a", "", "b"])
    #expect(WrappedText.wrap("a\n", width: 10) == ["a", ""])
    #expect(WrappedText.wrap("", width: 10) == [""])
    #expect(WrappedText.wrap("a\r\nb\rc", width: 10) == ["a", "b", "c"])
  }

  @Test func tabsBecomeSpacesToTheNextStop() {
    #expect(WrappedText.expandTabs("a\tb", tabWidth: 4) == "a   b")
    #expect(WrappedText.expandTabs("\tx", tabWidth: 4) == "    x")
    #expect(WrappedText.expandTabs("漢\tx", tabWidth: 4) == "漢  x")
    #expect(WrappedText.wrap("k:\tv", width: 20, tabWidth: 8) == ["k:      v"])
  }

  @Test func zeroWidthMeansNoWrapping() {
    #expect(WrappedText.wrap("a long line", width: 0) == ["a long line"])
  }

  @Test func layoutRecordsSourceLinesAndOffsets() {
    let lines = WrappedText.layout(["hello world foo", "", "bar"], width: 6)
    #expect(lines.map(\.text) == ["hello", "world", "foo", "", "bar"])
    #expect(lines.map(\.sourceLine) == [0, 0, 0, 1, 2])
    #expect(lines.map(\.offset) == [0, 6, 12, 0, 0])
  }
}
