/// Why a theme could not be read: a line that does not parse, or a theme that is not found.
public struct ThemeError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What is wrong, without the position.
  public var message: String
  /// The 1-based line in the theme text, when the problem is on a line.
  public var line: Int?
  /// The file or theme name the text came from.
  public var source: String?

  /// An error; `line` and `source` say where, when known.
  public init(_ message: String, line: Int? = nil, source: String? = nil) {
    self.message = message
    self.line = line
    self.source = source
  }

  /// `light.theme, line 5: unknown role 'bordr' (did you mean 'border'?)`.
  public var description: String {
    var prefix: [String] = []
    if let source { prefix.append(source) }
    if let line { prefix.append("line \(line)") }
    return prefix.isEmpty ? message : prefix.joined(separator: ", ") + ": " + message
  }
}
