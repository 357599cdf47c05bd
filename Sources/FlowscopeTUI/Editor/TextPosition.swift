/// A place in the editor's text: a line index and a column counted in grapheme clusters (both 0-based).
public struct TextPosition: Hashable, Sendable, Comparable {
  /// The line index (0-based).
  public var line: Int
  /// The column in grapheme clusters (0-based); equal to the line's length at its end.
  public var column: Int

  /// A position at `line` and `column`.
  public init(line: Int, column: Int) {
    self.line = line
    self.column = column
  }

  /// The start of the document.
  public static let start = TextPosition(line: 0, column: 0)

  public static func < (lhs: TextPosition, rhs: TextPosition) -> Bool {
    (lhs.line, lhs.column) < (rhs.line, rhs.column)
  }
}
