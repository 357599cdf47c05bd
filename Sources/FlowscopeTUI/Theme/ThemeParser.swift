extension Theme {
  /// Parses a theme file: one `role = style` per line, `name = …`, blank lines, and comments (a line
  /// starting with `#`, or `#` followed by a space after a value). Roles the text leaves out take
  /// their style from `Theme.defaultDark`. See Themes/README.md for the format.
  /// - Parameter name: The theme's name when the text has no `name =` line; also names the text
  ///   in errors.
  /// - Throws: `ThemeError` with the line number of the first problem.
  public static func parse(_ text: String, name: String) throws -> Theme {
    var themeName = name
    var styles: [ColorRole: ThemeStyle] = [:]
    var firstLine: [ColorRole: Int] = [:]
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    for (offset, rawLine) in lines.enumerated() {
      let number = offset + 1
      func fail(_ message: String) -> ThemeError { ThemeError(message, line: number, source: name) }
      let line = trimmed(stripComment(String(rawLine)))
      if line.isEmpty { continue }
      guard let equals = line.firstIndex(of: "=") else {
        throw fail("expected 'role = style', got '\(line)'")
      }
      let key = trimmed(String(line[..<equals]))
      let value = trimmed(String(line[line.index(after: equals)...]))
      if key.isEmpty { throw fail("missing role name before '='") }
      if ThemeColor.normalize(key) == "name" {
        if value.isEmpty { throw fail("empty theme name") }
        themeName = value
        continue
      }
      guard let role = role(named: key) else {
        let hint =
          suggestion(for: key).map { "did you mean '\($0)'?" }
          ?? "roles are: \(ColorRole.allCases.map(\.rawValue).joined(separator: ", "))"
        throw fail("unknown role '\(key)'; \(hint)")
      }
      if let previous = firstLine[role] { throw fail("role '\(role.rawValue)' is already set on line \(previous)") }
      do {
        styles[role] = try parseStyle(value)
      } catch {
        throw fail("\(role.rawValue): \(error.message)")
      }
      firstLine[role] = number
    }
    return Theme(name: themeName, styles: styles, fallback: .defaultDark)
  }

  /// Parses the right-hand side of a role line: attributes, an optional foreground colour, and an
  /// optional `on <background>`.
  static func parseStyle(_ value: String) throws(ThemeError) -> ThemeStyle {
    let words = value.split(whereSeparator: \.isWhitespace).map(String.init)
    if words.isEmpty { throw ThemeError("no style given (write 'default' for the terminal's colours)") }
    var style = ThemeStyle()
    var index = 0
    while index < words.count {
      let word = words[index]
      switch ThemeColor.normalize(word) {
      case "bold": style.bold = true
      case "dim": style.dim = true
      case "reverse": style.reverse = true
      case "underline": style.underline = true
      case "on":
        guard index + 1 < words.count, let color = ThemeColor(word: words[index + 1]) else {
          let got = index + 1 < words.count ? "'\(words[index + 1])'" : "nothing"
          throw ThemeError("'on' must be followed by a background colour, got \(got)")
        }
        if let background = style.background {
          throw ThemeError("two background colours ('\(background.themeText)' and '\(words[index + 1])')")
        }
        style.background = color
        index += 1
      default:
        guard let color = ThemeColor(word: word) else { throw ThemeError(unknownWordMessage(word)) }
        if let foreground = style.foreground {
          throw ThemeError(
            "two foreground colours ('\(foreground.themeText)' and '\(word)'); use 'X on Y' for a background")
        }
        style.foreground = color
      }
      index += 1
    }
    return style
  }

  static func unknownWordMessage(_ word: String) -> String {
    if word.hasPrefix("#") { return "'\(word)' is not a colour; write RGB colours as #rrggbb" }
    if word.allSatisfy(\.isNumber) { return "colour index \(word) is out of range 0–255" }
    return
      "unknown colour or attribute '\(word)'; colours are default, \(ThemeColor.ansiNames.joined(separator: ", ")), "
      + "0–255 and #rrggbb; attributes are bold, dim, reverse, underline"
  }

  /// The role for a name written in any case, with or without `-`/`_` (`border-focused`).
  static func role(named key: String) -> ColorRole? {
    let normalized = ThemeColor.normalize(key)
    return ColorRole.allCases.first { ThemeColor.normalize($0.rawValue) == normalized }
  }

  /// The closest role name, when it is only a typo away.
  static func suggestion(for key: String) -> String? {
    let normalized = ThemeColor.normalize(key)
    let scored = ColorRole.allCases.map { ($0.rawValue, editDistance(normalized, ThemeColor.normalize($0.rawValue))) }
    guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= max(2, normalized.count / 4) else { return nil }
    return best.0
  }

  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }

  /// The line without its comment: a line starting with `#`, or from a `#` that follows whitespace
  /// and is followed by whitespace (a colour `#rrggbb` has no space after its `#`).
  static func stripComment(_ line: String) -> String {
    if trimmed(line).hasPrefix("#") { return "" }
    var previous: Character = " "
    for index in line.indices {
      let character = line[index]
      if character == "#", previous.isWhitespace {
        let next = line.index(after: index)
        if next == line.endIndex || line[next].isWhitespace { return String(line[..<index]) }
      }
      previous = character
    }
    return line
  }

  static func trimmed(_ text: String) -> String {
    guard let first = text.firstIndex(where: { !$0.isWhitespace }),
      let last = text.lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(text[first...last])
  }
}
