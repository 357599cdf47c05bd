import CNCurses

/// Turns resolved styles into ncurses attributes and colour pairs, allocating a pair the first
/// time a (foreground, background) combination is used. Only used on the UI thread.
struct ColorPairCache {
  private struct Colors: Hashable {
    var foreground: Int32
    var background: Int32
  }

  private let colorsEnabled: Bool
  private let colorCount: Int32
  private let pairLimit: Int32
  private let hasDefaultColors: Bool
  private var pairs: [Colors: Int32] = [:]
  private var nextPair: Int32 = 1

  /// - Parameters:
  ///   - colorsEnabled: false when colours were not started (NO_COLOR, monochrome): pair 0 always.
  ///   - hasDefaultColors: whether `use_default_colors` succeeded, so -1 means the terminal default.
  init(colorsEnabled: Bool, colorCount: Int32, pairLimit: Int32, hasDefaultColors: Bool) {
    self.colorsEnabled = colorsEnabled
    self.colorCount = colorCount
    self.pairLimit = pairLimit
    self.hasDefaultColors = hasDefaultColors
  }

  /// The attributes (bold, dim, reverse, underline) of `style`.
  static func attributes(of style: ResolvedStyle) -> attr_t {
    var attributes = nc_a_normal()
    if style.bold { attributes |= nc_a_bold() }
    if style.dim { attributes |= nc_a_dim() }
    if style.reverse { attributes |= nc_a_reverse() }
    if style.underline { attributes |= nc_a_underline() }
    return attributes
  }

  /// The colour pair for `style`'s colours (0 = default colours, or when pairs run out).
  mutating func pair(for style: ResolvedStyle) -> Int32 {
    guard colorsEnabled else { return 0 }
    let colors = Colors(
      foreground: normalized(style.foreground, fallback: COLOR_WHITE),
      background: normalized(style.background, fallback: COLOR_BLACK))
    if colors.foreground == -1, colors.background == -1 { return 0 }
    if let pair = pairs[colors] { return pair }
    guard nextPair < pairLimit, init_extended_pair(nextPair, colors.foreground, colors.background) == OK else {
      return 0
    }
    pairs[colors] = nextPair
    nextPair += 1
    return nextPair - 1
  }

  /// A palette index the terminal can show; -1 (default) where it cannot.
  private func normalized(_ color: Int16, fallback: Int32) -> Int32 {
    let index = Int32(color)
    let valid = index >= 0 && index < colorCount ? index : -1
    return valid == -1 && !hasDefaultColors ? fallback : valid
  }
}
