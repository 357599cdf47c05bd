/// Makes untrusted text (model and tool output) safe to print on a terminal.
///
/// Removes escape sequences (CSI `ESC [`, OSC `ESC ]`, DCS `ESC P`, SOS/PM/APC, and two-byte `ESC x`),
/// C0 control characters other than newline and tab, DEL and C1 controls (U+0080–U+009F, including
/// the 8-bit CSI U+009B). Invalid UTF-8 has already become U+FFFD when the bytes were decoded.
public enum TextSanitizer {
  /// The sanitized text. `keepNewlines: false` also turns newlines and tabs into spaces.
  public static func sanitize(_ text: String, keepNewlines: Bool = true) -> String {
    var out = String.UnicodeScalarView()
    var scalars = text.unicodeScalars.makeIterator()
    while let c = scalars.next() {
      switch c.value {
      case 0x1B:  // ESC
        guard let kind = scalars.next() else { break }
        switch kind {
        case "[": skipCSI(&scalars)
        case "]", "P", "X", "^", "_": skipString(&scalars)
        default: break  // two-byte sequence: drop both
        }
      case 0x9B: skipCSI(&scalars)
      case 0x90, 0x98, 0x9D, 0x9E, 0x9F: skipString(&scalars)
      case 0x0A, 0x09:
        out.append(keepNewlines ? c : " ")
      case 0x0D:
        if !keepNewlines { out.append(" ") }
      case 0x00..<0x20, 0x7F, 0x80..<0xA0:
        break
      default:
        out.append(c)
      }
    }
    return String(out)
  }

  /// Skips CSI parameters up to and including the final byte (0x40–0x7E).
  static func skipCSI(_ scalars: inout String.UnicodeScalarView.Iterator) {
    while let c = scalars.next() {
      if (0x40...0x7E).contains(c.value) { return }
      if c.value < 0x20 && c.value != 0x1B { continue }
    }
  }

  /// Skips a string-type sequence up to BEL, ST (`ESC \`) or the 8-bit ST (U+009C).
  static func skipString(_ scalars: inout String.UnicodeScalarView.Iterator) {
    while let c = scalars.next() {
      if c.value == 0x07 || c.value == 0x9C { return }
      if c.value == 0x1B {
        _ = scalars.next()
        return
      }
    }
  }
}
