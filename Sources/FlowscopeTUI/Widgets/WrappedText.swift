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

    /// A display line.
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
    var lines: [String] = []
    let utf8 = text.utf8
    var lineStart = utf8.startIndex
    var index = utf8.startIndex
    while index < utf8.endIndex {
      let byte = utf8[index]
      guard byte == 0x0A || byte == 0x0D else {
        index = utf8.index(after: index)
        continue
      }
      lines.append(expandTabs(String(text[lineStart..<index]), tabWidth: tabWidth))
      index = utf8.index(after: index)
      if byte == 0x0D, index < utf8.endIndex, utf8[index] == 0x0A { index = utf8.index(after: index) }
      lineStart = index
    }
    lines.append(expandTabs(String(text[lineStart..<utf8.endIndex]), tabWidth: tabWidth))
    return lines
  }

  /// Replaces each tab by spaces up to the next multiple of `tabWidth` columns.
  public static func expandTabs(_ line: String, tabWidth: Int = 4) -> String {
    guard line.utf8.contains(0x09) else { return line }
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

  /// One line (no newlines or tabs) wrapped: each piece with its starting character offset.
  public static func wrapLine(_ line: String, width: Int) -> [(text: String, offset: Int)] {
    // Display width never exceeds the UTF-8 length, so short lines need no measuring.
    guard width > 0, line.utf8.count > width else { return [(line, 0)] }
    let cells = Cells(line)
    guard cells.totalWidth > width else { return [(line, 0)] }
    return breakLines(cells, width: width).map { range in
      (String(line[cells.boundaries[range.lowerBound]..<cells.boundaries[range.upperBound]]), range.lowerBound)
    }
  }

  /// A line as characters: where each starts, its width, whether it is a space.
  private struct Cells {
    /// Character boundaries: one per character plus the end index.
    var boundaries: [String.Index] = []
    var widths: [Int] = []
    var isSpace: [Bool] = []
    var totalWidth = 0
    var count: Int { widths.count }

    init(_ line: String) {
      if line.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
        // Printable ASCII: one column per byte.
        let utf8 = line.utf8
        boundaries = Array(utf8.indices) + [utf8.endIndex]
        widths = Array(repeating: 1, count: utf8.count)
        isSpace = utf8.map { $0 == 0x20 }
        totalWidth = utf8.count
      } else {
        for index in line.indices {
          let character = line[index]
          let width = DisplayWidth.of(character)
          boundaries.append(index)
          widths.append(width)
          isSpace.append(character == " ")
          totalWidth += width
        }
        boundaries.append(line.endIndex)
      }
    }
  }

  /// Greedy breaking into ranges of characters: words move to the next line when they do not
  /// fit, spaces at a break are dropped (indentation at the start is kept), a word wider than a
  /// line is cut (a character wider than the line still gets a line of its own).
  private static func breakLines(_ cells: Cells, width: Int) -> [Range<Int>] {
    var pieces: [Range<Int>] = []
    var current: Range<Int>?
    var currentWidth = 0
    var pendingWidth = 0
    var start = 0
    while start < cells.count {
      var end = start
      var runWidth = 0
      while end < cells.count, cells.isSpace[end] == cells.isSpace[start] {
        runWidth += cells.widths[end]
        end += 1
      }
      defer { start = end }
      if cells.isSpace[start], current != nil || !pieces.isEmpty {
        pendingWidth = runWidth
        continue
      }
      if let line = current, currentWidth + pendingWidth + runWidth <= width {
        current = line.lowerBound..<end
        currentWidth += pendingWidth + runWidth
        pendingWidth = 0
        continue
      }
      pendingWidth = 0
      if let line = current { pieces.append(line) }
      var chunkStart = start
      while chunkStart < end {
        var chunkEnd = chunkStart
        var chunkWidth = 0
        while chunkEnd < end, chunkEnd == chunkStart || chunkWidth + cells.widths[chunkEnd] <= width {
          chunkWidth += cells.widths[chunkEnd]
          chunkEnd += 1
        }
        if chunkEnd < end { pieces.append(chunkStart..<chunkEnd) }
        current = chunkStart..<chunkEnd
        currentWidth = chunkWidth
        chunkStart = chunkEnd
      }
    }
    if let current { pieces.append(current) }
    return pieces
  }
}
