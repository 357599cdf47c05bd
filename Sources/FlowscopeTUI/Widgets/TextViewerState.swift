import Flows

/// A scrollable full-screen view of a long text (Enter on a long value): word-wrapped or not
/// (then scrolled sideways), with smart-case search.
///
/// The text is sanitized once (escape sequences and control characters removed, tabs expanded).
/// Call `setViewport(width:height:)` when the view's size is known or changes: wrapping and the
/// scroll limits depend on it (`render` copes with a different size, at the cost of wrapping again).
public struct TextViewerState: Sendable, Equatable {
  /// A search hit: the query and the source line it was found on.
  public struct Match: Sendable, Hashable {
    public var query: String
    public var sourceLine: Int
    /// The character offset of the hit in the source line.
    public var offset: Int
  }

  /// The text as given (what a copy command should copy).
  public let text: String
  /// The sanitized lines, tabs expanded.
  public let sourceLines: [String]
  /// Columns between tab stops.
  public let tabWidth: Int
  /// Whether long lines wrap; when off, `horizontalOffset` scrolls sideways. Toggling keeps the
  /// top line in place.
  public var isWrapping: Bool {
    didSet { if isWrapping != oldValue { relayout() } }
  }
  /// The display lines for the current width.
  public internal(set) var lines: [WrappedText.Line]
  /// The viewport width (0 until `setViewport` is called).
  public internal(set) var width = 0
  /// The viewport height (0 until `setViewport` is called).
  public internal(set) var height = 0
  /// The first display line shown.
  public internal(set) var scrollOffset = 0
  /// Columns scrolled to the right (only without wrapping).
  public internal(set) var horizontalOffset = 0
  /// The last search hit.
  public internal(set) var match: Match?
  /// The widest source line, in columns.
  public let maxLineWidth: Int

  /// A viewer at the top of `text`; call `setViewport(width:height:)` before scrolling by pages.
  public init(text: String, isWrapping: Bool = true, tabWidth: Int = 4) {
    self.text = text
    self.tabWidth = tabWidth
    self.isWrapping = isWrapping
    sourceLines = WrappedText.sourceLines(of: TextSanitizer.sanitize(text, keepNewlines: true), tabWidth: tabWidth)
    // A line's width never exceeds its UTF-8 length: only measure lines that could be wider.
    maxLineWidth = sourceLines.reduce(0) { widest, line in
      line.utf8.count <= widest ? widest : max(widest, DisplayWidth.of(line))
    }
    lines = WrappedText.layout(sourceLines, width: 0)
  }

  /// Sets the size of the view, re-wrapping when the width changed; the top line stays in place.
  public mutating func setViewport(width: Int, height: Int) {
    let widthChanged = width != self.width
    self.width = max(width, 0)
    self.height = max(height, 0)
    if widthChanged && isWrapping { relayout() } else { clamp() }
  }

  /// The largest scroll offset: the last page (the last line when the height is unknown).
  public var maxScrollOffset: Int { max(lines.count - max(height, 1), 0) }

  /// Scrolls by `delta` display lines (negative: up).
  public mutating func scroll(by delta: Int) {
    scrollOffset = min(max(scrollOffset + delta, 0), maxScrollOffset)
  }

  /// Scrolls down one page (the height minus a line of context).
  public mutating func pageDown() { scroll(by: max(height - 1, 1)) }

  /// Scrolls up one page.
  public mutating func pageUp() { scroll(by: -max(height - 1, 1)) }

  /// Scrolls to the first line.
  public mutating func scrollToTop() { scrollOffset = 0 }

  /// Scrolls to the last page.
  public mutating func scrollToBottom() { scrollOffset = maxScrollOffset }

  /// Scrolls sideways by `delta` columns when not wrapping.
  public mutating func scrollHorizontally(by delta: Int) {
    guard !isWrapping else { return }
    horizontalOffset = min(max(horizontalOffset + delta, 0), max(maxLineWidth - max(width, 1), 0))
  }

  /// `12–40 of 311`: the display lines shown and the total.
  public var positionIndicator: String {
    guard !lines.isEmpty else { return "0 of 0" }
    let top = min(scrollOffset, maxScrollOffset)
    let bottom = min(top + max(height, 1), lines.count)
    return "\(top + 1)–\(bottom) of \(lines.count)"
  }

  /// Re-wraps for the current width and mode, keeping the top line's text at the top.
  mutating func relayout() {
    let anchor = lines.indices.contains(scrollOffset) ? lines[scrollOffset] : nil
    lines = WrappedText.layout(sourceLines, width: isWrapping ? width : 0)
    if isWrapping { horizontalOffset = 0 }
    if let anchor {
      scrollOffset = displayLine(sourceLine: anchor.sourceLine, offset: anchor.offset)
    }
    clamp()
  }

  mutating func clamp() {
    scrollOffset = min(max(scrollOffset, 0), maxScrollOffset)
  }

  /// The display line that shows character `offset` of a source line. O(log n).
  func displayLine(sourceLine: Int, offset: Int) -> Int {
    var low = 0
    var high = lines.count
    while low < high {
      let middle = (low + high) / 2
      let line = lines[middle]
      if line.sourceLine < sourceLine || (line.sourceLine == sourceLine && line.offset <= offset) {
        low = middle + 1
      } else {
        high = middle
      }
    }
    return max(low - 1, 0)
  }
}
