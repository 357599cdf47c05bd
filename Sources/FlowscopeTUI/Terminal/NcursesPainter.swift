import CNCurses

/// Copies canvases onto an ncurses window: only the cells that changed since the last canvas,
/// wide characters as one cchar_t (their continuation cells skipped), then one `doupdate`.
/// Only used on the UI thread.
struct NcursesPainter {
  private let window: UnsafeMutablePointer<WINDOW>
  private var palette: ColorPairCache
  private var styles: [TextStyle: (attributes: attr_t, pair: Int32)] = [:]
  private var lastCanvas: Canvas?
  private var needsClear = false
  private var cursorVisible: Bool?

  /// Maps the app's styles to colours; changing it repaints everything.
  var resolver: @Sendable (TextStyle) -> ResolvedStyle {
    didSet {
      styles = [:]
      invalidate()
    }
  }

  init(
    window: UnsafeMutablePointer<WINDOW>, palette: ColorPairCache,
    resolver: @escaping @Sendable (TextStyle) -> ResolvedStyle
  ) {
    self.window = window
    self.palette = palette
    self.resolver = resolver
  }

  /// The next `draw` clears the terminal and writes every cell.
  mutating func invalidate() {
    lastCanvas = nil
    needsClear = true
  }

  /// The next `draw` writes every cell into ncurses (whose own screen copy is still right, e.g.
  /// after it repainted itself) and sets the cursor visibility again.
  mutating func forgetLastFrame() {
    lastCanvas = nil
    cursorVisible = nil
  }

  /// Draws the cells of `canvas` that changed, places or hides the cursor, and updates the
  /// terminal. Returns how many cells were written.
  @discardableResult
  mutating func draw(_ canvas: Canvas, cursor: (row: Int, column: Int)?) -> Int {
    if needsClear {
      clearok(window, true)
      needsClear = false
    }
    let sameSize = lastCanvas.map { $0.rows == canvas.rows && $0.columns == canvas.columns } ?? false
    if !sameSize { werase(window) }
    var written = 0
    for change in canvas.changes(since: lastCanvas) where !change.cell.isContinuation {
      drawCell(change.cell, row: Int32(change.row), column: Int32(change.column))
      written += 1
    }
    lastCanvas = canvas
    placeCursor(cursor, in: canvas)
    wnoutrefresh(window)
    doupdate()
    return written
  }

  private mutating func drawCell(_ cell: Cell, row: Int32, column: Int32) {
    let (attributes, pair) = style(cell.style)
    withUnsafeTemporaryAllocation(of: wchar_t.self, capacity: 6) { buffer in
      var count = 0
      for scalar in cell.text.unicodeScalars {
        // One spacing character plus its combining marks and variation selectors: ncurses cannot
        // hold ZWJ sequences or flags in one cell, so those show their first character only.
        if count == 5 || (count > 0 && !Self.combines(scalar)) { break }
        // Control characters would print as ^X and shift the row; the canvas should not hold any.
        let printable = scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) ? 0x20 : scalar.value
        buffer[count] = wchar_t(bitPattern: printable)
        count += 1
      }
      if count == 0 {
        buffer[0] = 0x20
        count = 1
      }
      buffer[count] = 0
      if nc_mvadd_grapheme(window, row, column, buffer.baseAddress, attributes, pair) == Int32(NC_GRAPHEME_REJECTED) {
        buffer[1] = 0
        _ = nc_mvadd_grapheme(window, row, column, buffer.baseAddress, attributes, pair)
      }
    }
    // Where ncurses' width table says narrow but the layout reserved two columns (some emoji),
    // blank the second column so ncurses' screen and the canvas stay aligned.
    if DisplayWidth.of(cell.text) == 2, getcurx(window) == column + 1 {
      drawSingle(" ", row: row, column: column + 1, attributes: attributes, pair: pair)
    }
  }

  private static func combines(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .spacingMark: return true
    default: return (0xFE00...0xFE0F).contains(scalar.value)
    }
  }

  private func drawSingle(_ text: Unicode.Scalar, row: Int32, column: Int32, attributes: attr_t, pair: Int32) {
    let characters: [wchar_t] = [wchar_t(bitPattern: text.value), 0]
    _ = nc_mvadd_grapheme(window, row, column, characters, attributes, pair)
  }

  private mutating func style(_ style: TextStyle) -> (attributes: attr_t, pair: Int32) {
    if let cached = styles[style] { return cached }
    let resolved = resolver(style)
    let result = (ColorPairCache.attributes(of: resolved), palette.pair(for: resolved))
    styles[style] = result
    return result
  }

  private mutating func placeCursor(_ cursor: (row: Int, column: Int)?, in canvas: Canvas) {
    if let cursor, canvas.contains(row: cursor.row, column: cursor.column) {
      wmove(window, Int32(cursor.row), Int32(cursor.column))
      if cursorVisible != true { curs_set(1) }
      cursorVisible = true
    } else {
      if cursorVisible != false { curs_set(0) }
      cursorVisible = false
    }
  }
}
