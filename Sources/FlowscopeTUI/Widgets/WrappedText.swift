/// Word wrapping by display width.
///
/// Lines break at spaces; a word wider than the width is split (never inside a wide character);
/// newlines are kept, blank lines included; tabs become spaces up to the next tab stop. Spaces at
/// a break are dropped, indentation at the start of a line is kept. Control characters should be
/// removed first (`TextSanitizer.sanitize`).
public enum WrappedText {
  /// A display line and where it comes from.
  public struct Line: Sendable, Hashable {
    public var text: String
    /// The index of the source (unwrapped) line.
    public var sourceLine: Int
    /// The character offset in the source line where this display line starts.
    public var offset: Int

    public init(text: String, sourceLine: Int, offset: Int) {
      self.text = text
      self.sourceLine = sourceLine
      self.offset = offset
    }
  }

  /// `text` wrapped to `width` columns, one string per display line.
  public static func wrap(_ text: String, width: Int, tabWidth: Int = 4) -> [String] {
    layout(sourceLines(of: text, tabWidth: tabWidth), width: width).map(\.text)
  }

  /// The text's lines (split at `\n`, `\r\n` and `\r`) with tabs expanded.
  public static func sourceLines(of text: String, tabWidth: Int = 4) -> [String] {
    text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
      .map { expandTabs(String($0), tabWidth: tabWidth) }
  }

  /// Replaces each tab by spaces up to the next multiple of `tabWidth` columns.
  public static func expandTabs(_ line: String, tabWidth: Int = 4) -> String {
    guard line.contains("\t") else { return line }
    let stop = max(tabWidth, 1)
    var result = ""
    var column = 0
    for character in line {
      if character == "\t" {
        let spaces = stop - column % stop
        result += String(repeating: " ", count: spaces)
        column += spaces
      } else {
        result.append(character)
        column += DisplayWidth.of(character)
      }
    }
    return result
  }

  /// Source lines wrapped to `width` columns (`width` ≤ 0: not wrapped).
  public static func layout(_ sourceLines: [String], width: Int) -> [Line] {
    var lines: [Line] = []
    lines.reserveCapacity(sourceLines.count)
    for (index, source) in sourceLines.enumerated() {
      for piece in wrapLine(source, width: width) {
        lines.append(Line(text: piece.text, sourceLine: index, offset: piece.offset))
      }
    }
    return lines
  }

  private struct Token {
    var text: String
    var width: Int
    var offset: Int
    var isSpace: Bool
  }

  /// One line (no newlines or tabs) wrapped: each piece with its starting character offset.
  public static func wrapLine(_ line: String, width: Int) -> [(text: String, offset: Int)] {
    guard width > 0, DisplayWidth.of(line) > width else { return [(line, 0)] }
    var pieces: [(text: String, offset: Int)] = []
    var current = ""
    var currentWidth = 0
    var currentOffset = 0
    var pendingSpaces: Token?
    func flush() {
      if !current.isEmpty || pieces.isEmpty { pieces.append((current, currentOffset)) }
      current = ""
      currentWidth = 0
    }
    for token in tokens(of: line) {
      if token.isSpace, !(current.isEmpty && pieces.isEmpty) {
        pendingSpaces = token
        continue
      }
      let spaces = pendingSpaces
      pendingSpaces = nil
      if !current.isEmpty, currentWidth + (spaces?.width ?? 0) + token.width <= width {
        current += (spaces?.text ?? "") + token.text
        currentWidth += (spaces?.width ?? 0) + token.width
        continue
      }
      if !current.isEmpty { flush() }
      // The token starts a line; split it when it is wider than a line.
      for chunk in split(token, width: width) {
        if !current.isEmpty { flush() }
        current = chunk.text
        currentWidth = chunk.width
        currentOffset = chunk.offset
      }
    }
    flush()
    return pieces
  }

  /// Runs of spaces and runs of everything else, with widths and character offsets.
  private static func tokens(of line: String) -> [Token] {
    var tokens: [Token] = []
    var offset = 0
    for character in line {
      let isSpace = character == " "
      let width = DisplayWidth.of(character)
      if let last = tokens.last, last.isSpace == isSpace {
        tokens[tokens.count - 1].text.append(character)
        tokens[tokens.count - 1].width += width
      } else {
        tokens.append(Token(text: String(character), width: width, offset: offset, isSpace: isSpace))
      }
      offset += 1
    }
    return tokens
  }

  /// A token cut into pieces of at most `width` columns (a wide character that cannot fit even an
  /// empty line still gets one).
  private static func split(_ token: Token, width: Int) -> [Token] {
    guard token.width > width else { return [token] }
    var chunks: [Token] = []
    var chunk = Token(text: "", width: 0, offset: token.offset, isSpace: token.isSpace)
    var offset = token.offset
    for character in token.text {
      let w = DisplayWidth.of(character)
      if chunk.width + w > width, !chunk.text.isEmpty {
        chunks.append(chunk)
        chunk = Token(text: "", width: 0, offset: offset, isSpace: token.isSpace)
      }
      chunk.text.append(character)
      chunk.width += w
      offset += 1
    }
    chunks.append(chunk)
    return chunks
  }
}
