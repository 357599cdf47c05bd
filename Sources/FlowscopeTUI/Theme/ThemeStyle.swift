/// What a theme assigns to one `ColorRole`: colours (nil = not set, i.e. the terminal's default)
/// and attributes.
public struct ThemeStyle: Sendable, Hashable {
  /// The text colour (nil: not set, the terminal's default).
  public var foreground: ThemeColor?
  /// The background colour (nil: not set).
  public var background: ThemeColor?
  public var bold: Bool
  public var dim: Bool
  public var reverse: Bool
  public var underline: Bool

  /// A style; everything off by default.
  public init(
    foreground: ThemeColor? = nil, background: ThemeColor? = nil, bold: Bool = false, dim: Bool = false,
    reverse: Bool = false, underline: Bool = false
  ) {
    self.foreground = foreground
    self.background = background
    self.bold = bold
    self.dim = dim
    self.reverse = reverse
    self.underline = underline
  }

  /// Whether any attribute is set.
  public var hasAttributes: Bool { bold || dim || reverse || underline }

  /// Whether the style uses a colour other than the terminal's default.
  public var hasColor: Bool { (foreground?.isColor ?? false) || (background?.isColor ?? false) }

  /// The style as a theme file would write it, e.g. `bold black on #7aa2f7`.
  public var themeText: String {
    var words: [String] = []
    if bold { words.append("bold") }
    if dim { words.append("dim") }
    if reverse { words.append("reverse") }
    if underline { words.append("underline") }
    if let foreground { words.append(foreground.themeText) }
    if let background { words += ["on", background.themeText] }
    return words.isEmpty ? "default" : words.joined(separator: " ")
  }
}
