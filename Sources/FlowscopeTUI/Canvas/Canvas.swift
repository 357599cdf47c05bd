/// A colour by meaning; a theme maps roles to terminal colours.
public enum ColorRole: String, Sendable, Hashable, CaseIterable {
  /// Ordinary text and the screen background.
  case text
  /// Secondary text: hints, timestamps, placeholders.
  case muted
  /// Highlights: the focused item's marker, key names in hints.
  case accent
  case success, failure, warning
  /// Something in progress: running spans, the streaming indicator.
  case running
  case border, borderFocused
  /// The background of the selected row.
  case selection
  /// Pane titles.
  case title
  /// The status bar at the bottom.
  case statusBar
  /// JSON rendering.
  case jsonKey, jsonString, jsonNumber, jsonLiteral, jsonPunctuation
  /// Span kinds in the trace tree and their waterfall bars.
  case flowSpan, stepSpan, modelSpan, toolSpan
  /// The waterfall's bar when no kind colour applies, and its empty track.
  case waterfall, waterfallTrack
  /// Chat roles in rendered messages.
  case userMessage, modelMessage, toolMessage
}

/// How a cell is drawn.
public struct TextStyle: Sendable, Hashable {
  public var foreground: ColorRole?
  public var background: ColorRole?
  public var bold: Bool
  public var dim: Bool
  public var reverse: Bool
  public var underline: Bool

  public init(
    foreground: ColorRole? = nil, background: ColorRole? = nil, bold: Bool = false, dim: Bool = false,
    reverse: Bool = false, underline: Bool = false
  ) {
    self.foreground = foreground
    self.background = background
    self.bold = bold
    self.dim = dim
    self.reverse = reverse
    self.underline = underline
  }

  public static let plain = TextStyle()
}

/// One terminal cell: a grapheme cluster and its style. The cell after a wide character holds the
/// empty string (its continuation).
public struct Cell: Sendable, Hashable {
  public var text: String
  public var style: TextStyle

  public init(text: String = " ", style: TextStyle = .plain) {
    self.text = text
    self.style = style
  }

  public static let blank = Cell()
  public var isContinuation: Bool { text.isEmpty }
}

/// An in-memory grid of styled cells: what a frame looks like, independent of any terminal.
/// Rendering writes here; a terminal backend copies the cells that changed; tests read `text`.
public struct Canvas: Sendable, Equatable {
  public let rows: Int
  public let columns: Int
  private var cells: [Cell]

  public init(rows: Int, columns: Int) {
    self.rows = max(rows, 0)
    self.columns = max(columns, 0)
    cells = Array(repeating: .blank, count: self.rows * self.columns)
  }

  public subscript(row: Int, column: Int) -> Cell {
    guard contains(row: row, column: column) else { return .blank }
    return cells[row * columns + column]
  }

  public func contains(row: Int, column: Int) -> Bool {
    row >= 0 && row < rows && column >= 0 && column < columns
  }

  /// Writes `text` from (row, column), at most `maxWidth` columns (and never past the right edge).
  /// Control characters must already be removed (see `TextSanitizer`). A wide character that would
  /// be cut at the limit is replaced by a space, so a wide character is never split.
  /// - Returns: The number of columns written.
  @discardableResult
  public mutating func put(_ text: String, row: Int, column: Int, style: TextStyle = .plain, maxWidth: Int? = nil)
    -> Int
  {
    guard row >= 0, row < rows, column < columns else { return 0 }
    let limit = min(columns, column + max(maxWidth ?? columns, 0))
    var x = column
    for character in text {
      let width = DisplayWidth.of(character)
      if width == 0 {
        if x > column, x - 1 >= 0, x - 1 < columns {
          cells[row * columns + x - 1].text.append(character)
        }
        continue
      }
      if x + width > limit {
        if x < limit { set(row, x, Cell(text: " ", style: style)) }
        x = limit
        break
      }
      if x >= 0 {
        set(row, x, Cell(text: String(character), style: style))
        if width == 2, x + 1 < columns { set(row, x + 1, Cell(text: "", style: style)) }
      }
      x += width
    }
    return max(x - column, 0)
  }

  private mutating func set(_ row: Int, _ column: Int, _ cell: Cell) {
    guard contains(row: row, column: column) else { return }
    let index = row * columns + column
    // Overwriting half of a wide character blanks its other half.
    if cells[index].isContinuation, column > 0 { cells[index - 1] = Cell(text: " ", style: cells[index - 1].style) }
    if column + 1 < columns, cells[index + 1].isContinuation, DisplayWidth.of(cell.text) < 2 {
      cells[index + 1] = Cell(text: " ", style: cells[index + 1].style)
    }
    cells[index] = cell
  }

  /// Fills a rectangle with blanks of `style`.
  public mutating func fill(row: Int, column: Int, height: Int, width: Int, style: TextStyle = .plain) {
    for r in max(row, 0)..<min(row + height, rows) {
      for c in max(column, 0)..<min(column + width, columns) { cells[r * columns + c] = Cell(text: " ", style: style) }
    }
  }

  /// Draws a box-drawing frame with an optional title in its top edge.
  public mutating func box(
    row: Int, column: Int, height: Int, width: Int, title: String? = nil, style: TextStyle = .plain
  ) {
    guard height >= 2, width >= 2 else { return }
    let bottom = row + height - 1
    let right = column + width - 1
    put("┌" + String(repeating: "─", count: width - 2) + "┐", row: row, column: column, style: style, maxWidth: width)
    put(
      "└" + String(repeating: "─", count: width - 2) + "┘", row: bottom, column: column, style: style, maxWidth: width)
    for r in (row + 1)..<bottom {
      put("│", row: r, column: column, style: style)
      put("│", row: r, column: right, style: style)
    }
    if let title, width > 4 {
      put(" " + title + " ", row: row, column: column + 1, style: style, maxWidth: width - 2)
    }
  }

  /// One row as text: wide characters once (their continuation cells add nothing).
  public func rowText(_ row: Int) -> String {
    guard row >= 0, row < rows else { return "" }
    return cells[(row * columns)..<(row * columns + columns)].map(\.text).joined()
  }

  /// Every row, joined by newlines, trailing spaces kept (the exact frame).
  public var text: String { (0..<rows).map(rowText).joined(separator: "\n") }

  /// The cells that differ from `previous` (all cells when the sizes differ), for a backend to draw.
  public func changes(since previous: Canvas?) -> [(row: Int, column: Int, cell: Cell)] {
    var changed: [(Int, Int, Cell)] = []
    let sameSize = previous.map { $0.rows == rows && $0.columns == columns } ?? false
    for r in 0..<rows {
      for c in 0..<columns {
        let cell = cells[r * columns + c]
        if !sameSize || previous?.cells[r * columns + c] != cell { changed.append((r, c, cell)) }
      }
    }
    return changed
  }
}
