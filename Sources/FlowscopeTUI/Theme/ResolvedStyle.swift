/// How many colours a terminal shows.
public enum ColorDepth: Int, Sendable, Comparable, CaseIterable {
  /// No colour (NO_COLOR, monochrome terminals): attributes only.
  case none = 0
  case eight = 8
  case sixteen = 16
  case twoFiftySix = 256

  public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A style in terminal terms: palette indexes (-1 = the terminal's default colour) and attributes.
public struct ResolvedStyle: Hashable, Sendable {
  public var foreground: Int16
  public var background: Int16
  public var bold: Bool
  public var dim: Bool
  public var reverse: Bool
  public var underline: Bool

  public init(
    foreground: Int16 = -1, background: Int16 = -1, bold: Bool = false, dim: Bool = false, reverse: Bool = false,
    underline: Bool = false
  ) {
    self.foreground = foreground
    self.background = background
    self.bold = bold
    self.dim = dim
    self.reverse = reverse
    self.underline = underline
  }

  /// The attributes of `style` with default colours (what a terminal without colour shows).
  public static func attributesOnly(_ style: TextStyle) -> ResolvedStyle {
    ResolvedStyle(bold: style.bold, dim: style.dim, reverse: style.reverse, underline: style.underline)
  }
}
