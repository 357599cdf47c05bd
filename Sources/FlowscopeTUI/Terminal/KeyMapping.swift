import CNCurses

/// Pure tables from terminal codes to `Key`s: control characters, curses key codes, terminfo
/// extended key names, and the CSI/SS3 sequences ncurses left untranslated.
enum KeyMapping {
  /// The key for a character `wget_wch` returned (ESC, 27, is handled by the decoder), or nil for
  /// characters that are not keys (C1 controls, invalid scalars).
  static func key(forCharacter code: UInt32) -> Key? {
    switch code {
    case 0: return .control(" ")
    case 8, 127: return .backspace
    case 9: return .tab
    case 10, 13: return .enter
    case 1...26: return Unicode.Scalar(code + 96).map { .control(Character($0)) }
    case 28: return .control("\\")
    case 29: return .control("]")
    case 30: return .control("^")
    case 31: return .control("_")
    case 0x80..<0xA0: return nil
    default: return Unicode.Scalar(code).map { .character(Character($0)) }
    }
  }

  /// The key for a curses key code, with whether the code itself implies Alt (xterm's F49–F60).
  static func key(forKeyCode code: Int32) -> (key: Key, alt: Bool)? {
    switch code {
    case KEY_UP, KEY_SR: return (.up, false)
    case KEY_DOWN, KEY_SF: return (.down, false)
    case KEY_LEFT, KEY_SLEFT: return (.left, false)
    case KEY_RIGHT, KEY_SRIGHT: return (.right, false)
    case KEY_HOME, KEY_SHOME, KEY_A1: return (.home, false)
    case KEY_END, KEY_SEND, KEY_C1: return (.end, false)
    case KEY_PPAGE, KEY_SPREVIOUS, KEY_A3: return (.pageUp, false)
    case KEY_NPAGE, KEY_SNEXT, KEY_C3: return (.pageDown, false)
    case KEY_DC, KEY_SDC: return (.delete, false)
    case KEY_IC, KEY_SIC: return (.insert, false)
    case KEY_BACKSPACE: return (.backspace, false)
    case KEY_ENTER: return (.enter, false)
    case KEY_BTAB: return (.backTab, false)
    case (KEY_F0 + 1)...(KEY_F0 + 63):
      // xterm numbers modified F-keys on: 13–24 Shift, 25–36 Ctrl, 37–48 Ctrl+Shift, 49–63 Alt.
      let number = Int(code - KEY_F0)
      return (.function((number - 1) % 12 + 1), number >= 49)
    default: return nil
    }
  }

  /// The key for a terminfo extended key name such as `kUP3` (the digit is xterm's modifier:
  /// 3, 4, 7, 8 include Alt).
  static func key(forName name: String) -> (key: Key, alt: Bool)? {
    guard name.hasPrefix("k") else { return nil }
    var base = Substring(name.dropFirst())
    var modifier = 1
    if let last = base.last, let digit = last.wholeNumberValue {
      modifier = digit
      base = base.dropLast()
    }
    let keys: [Substring: Key] = [
      "UP": .up, "DN": .down, "LFT": .left, "RIT": .right, "HOM": .home, "END": .end, "NXT": .pageDown,
      "PRV": .pageUp, "DC": .delete, "IC": .insert,
    ]
    guard let key = keys[base] else { return nil }
    return (key, modifierHasAlt(modifier))
  }

  /// What a complete CSI sequence (`ESC [ parameters final`) means.
  enum CSIMeaning: Equatable {
    case key(Key, alt: Bool)
    case mouse(MouseEvent)
    case pasteStart
    /// `CSI M` without parameters: three raw X10 mouse bytes follow.
    case x10MouseStart
    /// Recognised but not useful (paste end outside a paste, focus, reports): swallowed.
    case ignored
  }

  /// Interprets `ESC [ parameters final`; unknown sequences are `.ignored`, never text.
  static func csi(parameters: [UInt8], final: UInt8) -> CSIMeaning {
    if parameters.first == UInt8(ascii: "<"), final == UInt8(ascii: "M") || final == UInt8(ascii: "m") {
      return sgrMouse(parameters: parameters.dropFirst(), release: final == UInt8(ascii: "m")).map { .mouse($0) }
        ?? .ignored
    }
    if parameters.isEmpty, final == UInt8(ascii: "M") { return .x10MouseStart }
    guard parameters.allSatisfy({ $0 == UInt8(ascii: ";") || (0x30...0x39).contains($0) }) else { return .ignored }
    let numbers = String(decoding: parameters, as: UTF8.self).split(separator: ";", omittingEmptySubsequences: false)
      .map { Int($0) }
    let first = numbers.first.flatMap { $0 } ?? 1
    let alt = modifierHasAlt(numbers.count > 1 ? (numbers[1] ?? 1) : 1)
    let key: Key
    switch final {
    case UInt8(ascii: "A"): key = .up
    case UInt8(ascii: "B"): key = .down
    case UInt8(ascii: "C"): key = .right
    case UInt8(ascii: "D"): key = .left
    case UInt8(ascii: "H"): key = .home
    case UInt8(ascii: "F"): key = .end
    case UInt8(ascii: "Z"): key = .backTab
    case UInt8(ascii: "P")...UInt8(ascii: "S"): key = .function(Int(final - UInt8(ascii: "P")) + 1)
    case UInt8(ascii: "u"): return kittyKey(code: first, alt: alt)
    case UInt8(ascii: "~"):
      switch first {
      case 200: return .pasteStart
      case 1, 7: key = .home
      case 2: key = .insert
      case 3: key = .delete
      case 4, 8: key = .end
      case 5: key = .pageUp
      case 6: key = .pageDown
      case 11...15: key = .function(first - 10)
      case 17...21: key = .function(first - 11)
      case 23, 24: key = .function(first - 12)
      default: return .ignored
      }
    default: return .ignored
    }
    return .key(key, alt: alt)
  }

  /// The key for `ESC O final` (application-mode cursor and F1–F4), nil when not a key.
  static func ss3(final: UInt8) -> Key? {
    switch final {
    case UInt8(ascii: "A"): return .up
    case UInt8(ascii: "B"): return .down
    case UInt8(ascii: "C"): return .right
    case UInt8(ascii: "D"): return .left
    case UInt8(ascii: "H"): return .home
    case UInt8(ascii: "F"): return .end
    case UInt8(ascii: "M"): return .enter
    case UInt8(ascii: "P")...UInt8(ascii: "S"): return .function(Int(final - UInt8(ascii: "P")) + 1)
    default: return nil
    }
  }

  /// An X10 mouse report (`CSI M` + three bytes, each offset by 32); nil for motion reports.
  static func x10Mouse(_ bytes: [UInt32]) -> MouseEvent? {
    guard bytes.count == 3, bytes.allSatisfy({ $0 >= 32 }) else { return nil }
    return mouse(button: Int(bytes[0]) - 32, release: false, row: Int(bytes[2]) - 33, column: Int(bytes[1]) - 33)
  }

  private static func sgrMouse(parameters: ArraySlice<UInt8>, release: Bool) -> MouseEvent? {
    let numbers = String(decoding: parameters, as: UTF8.self).split(separator: ";").compactMap { Int($0) }
    guard numbers.count == 3 else { return nil }
    return mouse(button: numbers[0], release: release, row: numbers[2] - 1, column: numbers[1] - 1)
  }

  private static func mouse(button: Int, release: Bool, row: Int, column: Int) -> MouseEvent? {
    guard button & 32 == 0, row >= 0, column >= 0 else { return nil }  // motion
    let kind: MouseEvent.Kind
    if button & 64 != 0 {
      kind = button & 1 == 0 ? .wheelUp : .wheelDown
    } else if release {
      kind = .release
    } else {
      switch button & 3 {
      case 0: kind = .press(.left)
      case 1: kind = .press(.middle)
      case 2: kind = .press(.right)
      default: kind = .release
      }
    }
    return MouseEvent(kind, row: row, column: column)
  }

  private static func kittyKey(code: Int, alt: Bool) -> CSIMeaning {
    switch code {
    case 27: return .key(.escape, alt: alt)
    case 0...0x10FFFF:
      guard let key = key(forCharacter: UInt32(code)) else { return .ignored }
      return .key(key, alt: alt)
    default: return .ignored
    }
  }

  /// xterm modifier parameters are 1 + a bit set of Shift (1), Alt (2), Ctrl (4), Meta (8); Meta counts as Alt.
  private static func modifierHasAlt(_ modifier: Int) -> Bool {
    modifier > 1 && (modifier - 1) & (2 | 8) != 0
  }
}
