/// A colour as a theme file writes it: the terminal's default, a palette index, or 24-bit RGB.
///
/// Palette indexes 0–15 are the ANSI colours (whose exact look is up to the terminal's own
/// palette), 16–231 the xterm 6×6×6 cube and 232–255 the grey ramp.
public enum ThemeColor: Sendable, Hashable {
  /// The terminal's own foreground or background (transparent).
  case terminalDefault
  /// An index into the 256-colour palette (0–15: the ANSI colours).
  case palette(UInt8)
  /// `#rrggbb`.
  case rgb(red: UInt8, green: UInt8, blue: UInt8)

  /// The 16 ANSI colour names in palette order (`black` = 0 … `brightWhite` = 15).
  public static let ansiNames: [String] = [
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
    "brightBlack", "brightRed", "brightGreen", "brightYellow", "brightBlue", "brightMagenta", "brightCyan",
    "brightWhite",
  ]

  /// Parses one colour word: `default`, an ANSI name (case, `-` and `_` ignored), `0`–`255` or
  /// `#rrggbb`. Nil when the word is not a colour.
  public init?(word: String) {
    let normalized = ThemeColor.normalize(word)
    if normalized == "default" {
      self = .terminalDefault
    } else if let index = ThemeColor.ansiNames.firstIndex(where: { ThemeColor.normalize($0) == normalized }) {
      self = .palette(UInt8(index))
    } else if !word.isEmpty, word.allSatisfy(\.isASCII), word.allSatisfy(\.isNumber), let index = UInt8(word) {
      self = .palette(index)
    } else if let rgb = ThemeColor.hexTriple(word) {
      self = .rgb(red: rgb.0, green: rgb.1, blue: rgb.2)
    } else {
      return nil
    }
  }

  /// The colour as a theme file would write it (`default`, `cyan`, `244`, `#5f6b7a`).
  public var themeText: String {
    switch self {
    case .terminalDefault: return "default"
    case .palette(let index): return index < 16 ? ThemeColor.ansiNames[Int(index)] : String(index)
    case .rgb(let r, let g, let b): return "#" + [r, g, b].map(ThemeColor.hexByte).joined()
    }
  }

  /// Whether the colour is a real colour rather than the terminal's default.
  var isColor: Bool { self != .terminalDefault }

  static func normalize(_ word: String) -> String {
    String(word.lowercased().filter { $0 != "-" && $0 != "_" })
  }

  static func hexTriple(_ word: String) -> (UInt8, UInt8, UInt8)? {
    let digits = Array(word.utf8)
    guard digits.count == 7, digits[0] == UInt8(ascii: "#") else { return nil }
    var bytes: [UInt8] = []
    for pair in stride(from: 1, to: 7, by: 2) {
      guard let high = hexValue(digits[pair]), let low = hexValue(digits[pair + 1]) else { return nil }
      bytes.append(high << 4 | low)
    }
    return (bytes[0], bytes[1], bytes[2])
  }

  static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
    default: return nil
    }
  }

  static func hexByte(_ value: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(value >> 4)], digits[Int(value & 0xF)]])
  }
}
