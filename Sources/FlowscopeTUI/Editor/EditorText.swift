import Flows

/// Text helpers shared by the editor: grapheme-column indexing, display widths and input cleaning.
enum EditorText {
  /// Spaces a typed or pasted tab becomes.
  static let tabReplacement = "  "

  /// Text as the editor stores it: `\r\n` and `\r` become `\n`, tabs become two spaces, and escape
  /// sequences and other control characters are removed.
  static func normalize(_ text: String) -> String {
    var unified = String.UnicodeScalarView()
    var previousWasCR = false
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\r":
        unified.append("\n")
        previousWasCR = true
        continue
      case "\n":
        if !previousWasCR { unified.append(scalar) }
      case "\t":
        unified.append(contentsOf: tabReplacement.unicodeScalars)
      default:
        unified.append(scalar)
      }
      previousWasCR = false
    }
    return TextSanitizer.sanitize(String(unified), keepNewlines: true)
  }

  /// Splits normalized text into lines (always at least one).
  static func lines(of text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
  }

  /// Whether a character belongs to a word for word-wise movement.
  static func isWordCharacter(_ character: Character) -> Bool {
    character.isLetter || character.isNumber || character == "_"
  }
}

extension String {
  /// The index of grapheme column `column`, clamped to the string's bounds.
  func index(atColumn column: Int) -> String.Index {
    index(startIndex, offsetBy: Swift.max(column, 0), limitedBy: endIndex) ?? endIndex
  }

  /// The number of leading spaces.
  var leadingSpaceCount: Int { prefix { $0 == " " }.count }

  /// The display width of the first `column` grapheme clusters.
  func displayWidth(toColumn column: Int) -> Int {
    DisplayWidth.of(String(self[..<index(atColumn: column)]))
  }

  /// The grapheme column whose cell starts at or before display column `target` (a target inside a wide
  /// character lands on that character); the line's end when `target` is past it.
  func column(atDisplayColumn target: Int) -> Int {
    var x = 0
    var column = 0
    for character in self {
      let width = DisplayWidth.of(character)
      if x + width > target { return column }
      x += width
      column += 1
    }
    return column
  }
}
