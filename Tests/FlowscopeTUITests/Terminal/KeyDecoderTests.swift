import CNCurses
import FlowscopeTUI
import Testing

@Suite struct KeyDecoderTests {
  private let size = TerminalSize(rows: 24, columns: 80)

  private func decode(_ batch: [RawInput]) -> [TerminalInput] {
    var decoder = KeyDecoder()
    return decoder.decode(batch, size: size)
  }

  private func keys(_ batch: [RawInput]) -> [KeyEvent] {
    decode(batch).compactMap { input in
      if case .key(let event) = input { return event }
      return nil
    }
  }

  private func text(_ string: String) -> [RawInput] {
    string.unicodeScalars.map { .character($0.value) }
  }

  @Test func rawInputFollowsWgetWchStatus() {
    #expect(RawInput(status: OK, code: 0x61) == .character(0x61))
    #expect(RawInput(status: KEY_CODE_YES, code: UInt32(KEY_UP)) == .keyCode(KEY_UP))
    #expect(RawInput(status: ERR, code: 0) == nil)
  }

  @Test func cursorAndEditingKeyCodes() {
    let codes = [KEY_UP, KEY_DOWN, KEY_LEFT, KEY_RIGHT, KEY_HOME, KEY_END, KEY_PPAGE, KEY_NPAGE, KEY_DC, KEY_BTAB]
    #expect(
      keys(codes.map(RawInput.keyCode)).map(\.key) == [
        .up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .delete, .backTab,
      ])
  }

  @Test func backspaceEnterAndTabVariants() {
    #expect(
      keys([.character(127), .character(8), .keyCode(KEY_BACKSPACE)]).map(\.key)
        == Array(repeating: .backspace, count: 3))
    #expect(
      keys([.character(13), .character(10), .keyCode(KEY_ENTER)]).map(\.key) == Array(repeating: .enter, count: 3))
    #expect(keys([.character(9)]) == [KeyEvent(.tab)])
  }

  @Test func controlCharactersBecomeControlLetters() {
    #expect(
      keys([.character(3), .character(26), .character(1), .character(12)]).map(\.key) == [
        .control("c"), .control("z"), .control("a"), .control("l"),
      ])
  }

  @Test func functionKeysIncludingXtermModifiedOnes() {
    #expect(keys((1...12).map { .keyCode(nc_key_f(Int32($0))) }).map(\.key) == (1...12).map(Key.function))
    #expect(keys([.keyCode(nc_key_f(15))]) == [KeyEvent(.function(3))])  // Shift+F3
    #expect(keys([.keyCode(nc_key_f(53))]) == [KeyEvent(.function(5), alt: true)])  // Alt+F5
  }

  @Test func resizeReportsTheGivenSize() {
    #expect(decode([.keyCode(KEY_RESIZE)]) == [.resize(size)])
  }

  @Test func mouseEventsPassThroughAndMouseBitsDecode() {
    let event = MouseEvent(.press(.left), row: 3, column: 7)
    #expect(decode([.mouse(event)]) == [.mouse(event)])
    #expect(decode([.keyCode(KEY_MOUSE)]).isEmpty)
    #expect(
      RawInput.mouseEvents(bits: UInt32(NC_MOUSE_WHEEL_DOWN), row: 1, column: 2) == [
        MouseEvent(.wheelDown, row: 1, column: 2)
      ])
    #expect(
      RawInput.mouseEvents(bits: UInt32(NC_MOUSE_RIGHT_PRESS), row: 0, column: 0) == [
        MouseEvent(.press(.right), row: 0, column: 0)
      ])
    #expect(RawInput.mouseEvents(bits: UInt32(NC_MOUSE_LEFT_RELEASE), row: 0, column: 0).map(\.kind) == [.release])
    #expect(RawInput.mouseEvents(bits: 0, row: 0, column: 0).isEmpty)
  }

  @Test func printableCharactersIncludingCJKAndEmoji() {
    #expect(keys(text("aZ é漢😀")).map(\.key) == ["a", "Z", " ", "é", "漢", "😀"].map { Key.character($0) })
  }

  @Test func loneEscapeAtEndOfBatch() {
    #expect(decode([.character(27)]) == [.key(KeyEvent(.escape))])
    #expect(keys([.character(0x61), .character(27)]) == [KeyEvent(.character("a")), KeyEvent(.escape)])
  }

  @Test func escapeFollowedByKeyIsAlt() {
    #expect(keys([.character(27), .character(0x78)]) == [KeyEvent(.character("x"), alt: true)])
    #expect(keys([.character(27), .keyCode(KEY_UP)]) == [KeyEvent(.up, alt: true)])
    #expect(keys([.character(27), .character(13)]) == [KeyEvent(.enter, alt: true)])
    #expect(keys([.character(27), .character(27)]) == [KeyEvent(.escape, alt: true)])
    #expect(keys([.character(27), .character(0x5B)]) == [KeyEvent(.character("["), alt: true)])
    #expect(keys([.character(27), .character(0x4F)]) == [KeyEvent(.character("O"), alt: true)])
  }

  @Test func escapeStateDoesNotLeakIntoTheNextBatch() {
    var decoder = KeyDecoder()
    #expect(decoder.decode([.character(27)], size: size) == [.key(KeyEvent(.escape))])
    #expect(decoder.decode([.character(0x61)], size: size) == [.key(KeyEvent(.character("a")))])
    #expect(!decoder.hasPendingSequence)
  }

  @Test func bracketedPasteBecomesOnePasteWithNewlines() {
    let input = decode(text("\u{1B}[200~line1\r\nline2\rline3\u{1B}[201~") + text("q"))
    #expect(input == [.paste("line1\nline2\nline3"), .key(KeyEvent(.character("q")))])
  }

  @Test func bracketedPasteSplitAcrossBatches() {
    var decoder = KeyDecoder()
    #expect(decoder.decode(text("\u{1B}[200~漢字 "), size: size).isEmpty)
    #expect(decoder.hasPendingSequence)
    #expect(decoder.decode(text("and more\u{1B}[20"), size: size).isEmpty)
    #expect(decoder.decode(text("1~"), size: size) == [.paste("漢字 and more")])
    #expect(!decoder.hasPendingSequence)
  }

  @Test func pasteKeepsTabsDropsControlsAndStrayEscapes() {
    let input = decode(text("\u{1B}[200~a\tb\u{7}c\u{1B}[1md\u{1B}[201~"))
    #expect(input == [.paste("a\tbc[1md")])
  }

  @Test func untranslatedCSISequencesAreSwallowed() {
    #expect(decode(text("\u{1B}[99;99x\u{1B}[?1;2c\u{1B}[I")).isEmpty)
    #expect(keys(text("\u{1B}[12;5y") + text("k")) == [KeyEvent(.character("k"))])
  }

  @Test func knownCSIAndSS3SequencesBecomeKeys() {
    #expect(
      keys(text("\u{1B}[A\u{1B}[1;3B\u{1B}[5~\u{1B}[3;3~\u{1B}[15~\u{1B}OP\u{1B}[Z\u{1B}[24~")) == [
        KeyEvent(.up), KeyEvent(.down, alt: true), KeyEvent(.pageUp), KeyEvent(.delete, alt: true),
        KeyEvent(.function(5)), KeyEvent(.function(1)), KeyEvent(.backTab), KeyEvent(.function(12)),
      ])
  }

  @Test func csiSplitAcrossBatchesIsCompleted() {
    var decoder = KeyDecoder()
    #expect(decoder.decode(text("\u{1B}[1;"), size: size).isEmpty)
    #expect(decoder.decode(text("3A"), size: size) == [.key(KeyEvent(.up, alt: true))])
  }

  @Test func abortedSequenceDoesNotSwallowTheFollowingKey() {
    #expect(keys(text("\u{1B}[12") + [.keyCode(KEY_DOWN)]) == [KeyEvent(.down)])
  }

  @Test func mouseReportsTheTerminalSentAsText() {
    #expect(
      decode(text("\u{1B}[<0;5;3M\u{1B}[<0;5;3m\u{1B}[<65;1;1M")) == [
        .mouse(MouseEvent(.press(.left), row: 2, column: 4)), .mouse(MouseEvent(.release, row: 2, column: 4)),
        .mouse(MouseEvent(.wheelDown, row: 0, column: 0)),
      ])
    #expect(
      decode(text("\u{1B}[M") + [.character(32), .character(33 + 9), .character(33 + 4)]) == [
        .mouse(MouseEvent(.press(.left), row: 4, column: 9))
      ])
  }

  @Test func extendedTerminfoKeyNames() {
    #expect(
      keys([.namedKey("kUP3"), .namedKey("kDN5"), .namedKey("kRIT7"), .namedKey("kNXT"), .namedKey("kxIN")]) == [
        KeyEvent(.up, alt: true), KeyEvent(.down), KeyEvent(.right, alt: true), KeyEvent(.pageDown),
      ])
  }
}
