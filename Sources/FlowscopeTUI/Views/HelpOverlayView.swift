/// The `?` overlay: every key binding, grouped by where it applies, straight from the binding table.
enum HelpOverlayView {
  static func lines() -> [(text: String, isHeading: Bool)] {
    var lines: [(String, Bool)] = []
    for section in KeyBindings.sections where !section.bindings.isEmpty {
      if !lines.isEmpty { lines.append(("", false)) }
      lines.append((section.title, true))
      for binding in section.bindings {
        lines.append(("  " + Truncation.pad(keyNames(binding), width: 16) + binding.description, false))
      }
    }
    lines.append(("", false))
    lines.append(("Mouse: click focuses and selects, the wheel scrolls (M turns capture off to select text).", false))
    return lines
  }

  /// All keys of a binding, as written in the help (`↓ j`).
  static func keyNames(_ binding: KeyBinding) -> String {
    binding.keys.map { KeyNames.name(of: $0) }.joined(separator: " ")
  }

  /// Columns of this many cells side by side when the terminal is wide enough.
  static let columnWidth = 58

  static func render(scroll: Int, in rect: Rect, on canvas: inout Canvas) {
    canvas.fill(row: rect.row, column: rect.column, height: rect.height, width: rect.width)
    let area = PaneFrame.draw("Keys · any key closes · j/k scroll", focused: true, in: rect, on: &canvas)
    guard !area.isEmpty else { return }
    let all = lines()
    let columns = max(min(area.width / columnWidth, 3), 1)
    let perColumn = area.height
    let offset = min(max(scroll, 0), max(all.count - perColumn * columns, 0))
    let width = area.width / columns
    for column in 0..<columns {
      let start = offset + column * perColumn
      guard start < all.count else { break }
      for (index, line) in all[start..<min(start + perColumn, all.count)].enumerated() {
        canvas.put(
          line.text, row: area.row + index, column: area.column + 1 + column * width,
          style: line.isHeading ? TextStyle(foreground: .title, bold: true) : .plain, maxWidth: width - 1)
      }
    }
  }
}

/// Human names of keys.
enum KeyNames {
  static func name(of key: KeyEvent) -> String {
    let base: String
    switch key.key {
    case .character(" "): base = "space"
    case .character(let character): base = String(character)
    case .control(let character): base = "^" + String(character).uppercased()
    case .enter: base = "⏎"
    case .tab: base = "⇥"
    case .backTab: base = "⇧⇥"
    case .backspace: base = "⌫"
    case .delete: base = "Del"
    case .escape: base = "Esc"
    case .insert: base = "Ins"
    case .up: base = "↑"
    case .down: base = "↓"
    case .left: base = "←"
    case .right: base = "→"
    case .home: base = "Home"
    case .end: base = "End"
    case .pageUp: base = "PgUp"
    case .pageDown: base = "PgDn"
    case .function(let n): base = "F\(n)"
    }
    return key.alt ? "Alt-" + base : base
  }
}
