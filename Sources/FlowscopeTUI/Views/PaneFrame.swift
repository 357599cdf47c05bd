/// Pane borders, titles and the shared styles of the debugger's views.
enum PaneFrame {
  /// Draws the pane's border and title; returns the content area inside it.
  @discardableResult
  static func draw(_ title: String, focused: Bool, in rect: Rect, on canvas: inout Canvas) -> Rect {
    guard !rect.isEmpty else { return .zero }
    let style = TextStyle(foreground: focused ? .borderFocused : .border, bold: focused)
    if rect.height < 3 || rect.width < 4 {
      canvas.put(title, row: rect.row, column: rect.column, style: titleStyle(focused), maxWidth: rect.width)
      return Rect(row: rect.row + 1, column: rect.column, height: rect.height - 1, width: rect.width)
    }
    canvas.box(row: rect.row, column: rect.column, height: rect.height, width: rect.width, style: style)
    canvas.put(
      " " + title + " ", row: rect.row, column: rect.column + 1, style: titleStyle(focused), maxWidth: rect.width - 2)
    return rect.inset
  }

  static func titleStyle(_ focused: Bool) -> TextStyle {
    TextStyle(foreground: focused ? .borderFocused : .title, bold: true)
  }

  /// The style of a list row, selected or not.
  static func rowStyle(selected: Bool, focused: Bool, role: ColorRole? = nil) -> TextStyle {
    guard selected else { return TextStyle(foreground: role) }
    return TextStyle(foreground: role, background: .selection, bold: focused, reverse: false)
  }

  /// Writes `text` left-aligned and `trailer` right-aligned on one row, truncating the text with `…`.
  static func row(
    _ text: String, trailer: String = "", row: Int, in area: Rect, style: TextStyle, trailerStyle: TextStyle? = nil,
    on canvas: inout Canvas
  ) {
    guard row >= area.row, row < area.bottom, area.width > 0 else { return }
    canvas.fill(row: row, column: area.column, height: 1, width: area.width, style: style)
    let trailerWidth = trailer.isEmpty ? 0 : DisplayWidth.of(trailer) + 1
    let textWidth = max(area.width - trailerWidth, 0)
    canvas.put(Truncation.fit(text, width: textWidth), row: row, column: area.column, style: style, maxWidth: textWidth)
    if trailerWidth > 0, trailerWidth <= area.width {
      canvas.put(
        trailer, row: row, column: area.right - trailerWidth + 1, style: trailerStyle ?? style,
        maxWidth: trailerWidth - 1)
    }
  }
}

/// Fitting text into a number of columns.
enum Truncation {
  /// `text` cut to `width` columns with `…` when it does not fit.
  static func fit(_ text: String, width: Int) -> String {
    guard width > 0 else { return "" }
    if DisplayWidth.of(text) <= width { return text }
    var result = ""
    var used = 0
    for character in text {
      let w = DisplayWidth.of(character)
      if used + w > width - 1 { break }
      result.append(character)
      used += w
    }
    return result + "…"
  }

  /// `text` padded with spaces (or cut) to exactly `width` columns.
  static func pad(_ text: String, width: Int) -> String {
    let fitted = fit(text, width: width)
    return fitted + String(repeating: " ", count: max(width - DisplayWidth.of(fitted), 0))
  }
}

/// Animation frames for running things.
enum Spinner {
  static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

  /// The frame for a time in ms (changes every 100 ms).
  static func frame(at now: Double) -> String {
    frames[Int((now / 100).rounded(.down)) % frames.count]
  }
}
