/// One line of text in several styles, measured in display columns (wide characters count 2).
/// Widgets build one per row, fit it to the width, and draw it.
public struct StyledLine: Sendable, Hashable {
  /// A run of text in one style.
  public struct Run: Sendable, Hashable {
    public var text: String
    public var style: TextStyle

    /// A run of `text` in `style`.
    public init(_ text: String, _ style: TextStyle = .plain) {
      self.text = text
      self.style = style
    }
  }

  /// The runs, left to right.
  public var runs: [Run]

  /// A line made of `runs`.
  public init(_ runs: [Run] = []) { self.runs = runs }

  /// Adds a run (empty text is skipped).
  public mutating func append(_ text: String, _ style: TextStyle = .plain) {
    if !text.isEmpty { runs.append(Run(text, style)) }
  }

  /// The display width.
  public var width: Int { runs.reduce(0) { $0 + DisplayWidth.of($1.text) } }

  /// The plain text.
  public var text: String { runs.map(\.text).joined() }

  /// The line cut to at most `width` columns, ending in `ellipsis` (in the style of the text it
  /// replaces) when something was cut. A wide character is never split.
  public func truncated(to width: Int, ellipsis: String = "…") -> StyledLine {
    guard width > 0 else { return StyledLine() }
    guard self.width > width else { return self }
    let ellipsisWidth = DisplayWidth.of(ellipsis)
    let room = max(width - ellipsisWidth, 0)
    var result = StyledLine()
    var used = 0
    var lastStyle = runs.first?.style ?? .plain
    outer: for run in runs {
      lastStyle = run.style
      var kept = ""
      for character in run.text {
        let w = DisplayWidth.of(character)
        if used + w > room {
          result.append(kept, run.style)
          break outer
        }
        kept.append(character)
        used += w
      }
      result.append(kept, run.style)
    }
    if ellipsisWidth <= width { result.append(ellipsis, lastStyle) }
    return result
  }

  /// The line without its first `count` columns (horizontal scrolling). A wide character cut in
  /// half becomes a space, so columns stay aligned.
  public func droppingColumns(_ count: Int) -> StyledLine {
    guard count > 0 else { return self }
    var result = StyledLine()
    var skipped = 0
    for run in runs {
      if skipped >= count {
        result.runs.append(run)
        continue
      }
      var kept = ""
      for character in run.text {
        if skipped >= count {
          kept.append(character)
          continue
        }
        let w = DisplayWidth.of(character)
        skipped += w
        if skipped > count { kept.append(String(repeating: " ", count: skipped - count)) }
      }
      result.append(kept, run.style)
    }
    return result
  }

  /// Draws the line at (row, column), at most `maxWidth` columns. `background` is added to every
  /// run that has none (the selected row's highlight).
  /// - Returns: The columns written.
  @discardableResult
  public func draw(
    into canvas: inout Canvas, row: Int, column: Int, maxWidth: Int, background: ColorRole? = nil
  ) -> Int {
    var x = column
    for run in runs {
      let remaining = column + maxWidth - x
      guard remaining > 0 else { break }
      var style = run.style
      if style.background == nil { style.background = background }
      x += canvas.put(run.text, row: row, column: x, style: style, maxWidth: remaining)
    }
    return x - column
  }
}
