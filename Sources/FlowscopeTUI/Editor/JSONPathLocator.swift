/// Finds where the value at a JSON path (as written by `SchemaValidator`: `$.items[2].qty`,
/// `$["odd key"]`) starts in a JSON text, so a schema problem can point at its line and column.
///
/// Best effort: it follows the path as far as the text allows and returns the deepest value found
/// (a missing property points at its object), or line 1, column 1.
enum JSONPathLocator {
  /// One step of a JSON path.
  enum Component: Equatable {
    case key(String)
    case index(Int)
  }

  /// The 1-based line and grapheme column of the value at `path` in `text`.
  static func position(ofPath path: String, in text: String) -> (line: Int, column: Int) {
    let scalars = Array(text.unicodeScalars)
    guard let components = components(of: path) else { return (1, 1) }
    var scanner = Scanner(scalars: scalars)
    let offset = scanner.locate(components)
    return lineAndColumn(ofOffset: offset, in: scalars)
  }

  /// The steps of `path`, or `nil` when it is not a path of the validator's form.
  static func components(of path: String) -> [Component]? {
    let scalars = Array(path.unicodeScalars)
    guard scalars.first == "$" else { return nil }
    var components: [Component] = []
    var i = 1
    while i < scalars.count {
      switch scalars[i] {
      case ".":
        var end = i + 1
        while end < scalars.count, scalars[end] != ".", scalars[end] != "[" { end += 1 }
        components.append(.key(string(scalars[(i + 1)..<end])))
        i = end
      case "[":
        if i + 1 < scalars.count, scalars[i + 1] == "\"" {
          var scanner = Scanner(scalars: scalars, index: i + 1)
          guard let key = scanner.readString(), scanner.index < scalars.count, scalars[scanner.index] == "]" else {
            return nil
          }
          components.append(.key(key))
          i = scanner.index + 1
        } else {
          var end = i + 1
          while end < scalars.count, scalars[end] != "]" { end += 1 }
          guard end < scalars.count, let index = Int(string(scalars[(i + 1)..<end])) else { return nil }
          components.append(.index(index))
          i = end + 1
        }
      default:
        return nil
      }
    }
    return components
  }

  static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    return String(view)
  }

  /// The 1-based line and grapheme column of scalar offset `offset`.
  static func lineAndColumn(ofOffset offset: Int, in scalars: [Unicode.Scalar]) -> (line: Int, column: Int) {
    let end = min(max(offset, 0), scalars.count)
    var line = 1
    var lineStart = 0
    for i in 0..<end where scalars[i] == "\n" {
      line += 1
      lineStart = i + 1
    }
    return (line, string(scalars[lineStart..<end]).count + 1)
  }

  /// A forgiving walker over JSON text (already known to parse).
  struct Scanner {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(scalars: [Unicode.Scalar], index: Int = 0) {
      self.scalars = scalars
      self.index = index
    }

    var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    /// The offset of the deepest value along `components`.
    mutating func locate(_ components: [Component]) -> Int {
      skipWhitespace()
      var found = index
      for component in components {
        let entered: Bool
        switch component {
        case .key(let key): entered = enterMember(key)
        case .index(let n): entered = enterElement(n)
        }
        guard entered else { break }
        found = index
      }
      return found
    }

    /// Moves to the value of member `key` of the object here.
    mutating func enterMember(_ key: String) -> Bool {
      guard current == "{" else { return false }
      index += 1
      while true {
        skipWhitespace()
        guard current == "\"", let name = readString() else { return false }
        skipWhitespace()
        guard current == ":" else { return false }
        index += 1
        skipWhitespace()
        if name == key { return true }
        skipValue()
        skipWhitespace()
        guard current == "," else { return false }
        index += 1
      }
    }

    /// Moves to element `n` of the array here.
    mutating func enterElement(_ n: Int) -> Bool {
      guard current == "[" else { return false }
      index += 1
      var i = 0
      while true {
        skipWhitespace()
        guard let c = current, c != "]" else { return false }
        if i == n { return true }
        skipValue()
        skipWhitespace()
        guard current == "," else { return false }
        index += 1
        i += 1
      }
    }

    mutating func skipWhitespace() {
      while let c = current, c == " " || c == "\n" || c == "\r" || c == "\t" { index += 1 }
    }

    mutating func skipValue() {
      switch current {
      case "\"":
        _ = readString()
      case "{", "[":
        var depth = 0
        while let c = current {
          if c == "\"" {
            _ = readString()
            continue
          }
          if c == "{" || c == "[" { depth += 1 }
          if c == "}" || c == "]" {
            depth -= 1
            if depth == 0 {
              index += 1
              return
            }
          }
          index += 1
        }
      default:
        while let c = current, !",}] \n\r\t".unicodeScalars.contains(c) { index += 1 }
      }
    }

    /// Reads the string literal starting here (at its quote) and decodes its escapes.
    mutating func readString() -> String? {
      guard current == "\"" else { return nil }
      index += 1
      var out = String.UnicodeScalarView()
      while let c = current {
        index += 1
        switch c {
        case "\"":
          return String(out)
        case "\\":
          guard let escaped = current else { return nil }
          index += 1
          switch escaped {
          case "n": out.append("\n")
          case "t": out.append("\t")
          case "r": out.append("\r")
          case "b": out.append("\u{8}")
          case "f": out.append("\u{C}")
          case "u": out.append(readUnicodeEscape())
          default: out.append(escaped)
          }
        default:
          out.append(c)
        }
      }
      return nil
    }

    /// The scalar of a `\uXXXX` escape (after the `u`), joining a surrogate pair.
    mutating func readUnicodeEscape() -> Unicode.Scalar {
      guard let high = readHex4() else { return "\u{FFFD}" }
      if (0xD800..<0xDC00).contains(high), current == "\\", index + 1 < scalars.count, scalars[index + 1] == "u" {
        let saved = index
        index += 2
        if let low = readHex4(), (0xDC00..<0xE000).contains(low),
          let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        {
          return scalar
        }
        index = saved
      }
      return Unicode.Scalar(high) ?? "\u{FFFD}"
    }

    mutating func readHex4() -> UInt32? {
      guard index + 4 <= scalars.count else { return nil }
      var value: UInt32 = 0
      for scalar in scalars[index..<(index + 4)] {
        guard let digit = Character(scalar).hexDigitValue else { return nil }
        value = value * 16 + UInt32(digit)
      }
      index += 4
      return value
    }
  }
}
