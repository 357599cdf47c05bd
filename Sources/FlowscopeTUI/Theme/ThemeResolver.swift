extension Theme {
  /// Maps `TextStyle`s to terminal colours for a terminal of `depth` colours.
  ///
  /// - The foreground comes from the style's foreground role (else its background role's
  ///   foreground); the background from the background role's background (else that role's
  ///   foreground, so any role can paint a bar), else the foreground role's background.
  /// - Attributes are the style's own OR-ed with both roles'.
  /// - Colours degrade: `#rrggbb` → the nearest xterm-256 colour at 256, the nearest ANSI colour
  ///   at 16 or 8; palette indexes beyond the depth likewise.
  /// - At `.none` only attributes remain, and a role told apart by colour alone gets an attribute
  ///   instead: bold (focused border, failure, warning, accent, title), dim (muted) or reverse
  ///   (selection, status bar).
  /// - A role used as a background that has no colour to paint with (at `.none`, or in a theme
  ///   without colours) shows as reverse video, so selections and bars stay visible; `text` and
  ///   `waterfallTrack` (an empty track) are exempt.
  ///
  /// The table is computed once; the returned function is a dictionary lookup per call.
  public func resolver(depth: ColorDepth) -> @Sendable (TextStyle) -> ResolvedStyle {
    var table: [ColorRole: ResolvedRole] = [:]
    for role in ColorRole.allCases { table[role] = ResolvedRole(role: role, style: self[role], depth: depth) }
    let roles = table
    return { style in Theme.resolve(style, roles: roles) }
  }

  /// The depth to draw with: `.none` when `NO_COLOR` is set to a non-empty value (no-color.org),
  /// else what the terminal reports.
  public static func effectiveDepth(terminalDepth: ColorDepth, environment: [String: String]) -> ColorDepth {
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
    return terminalDepth
  }

  static func resolve(_ style: TextStyle, roles: [ColorRole: ResolvedRole]) -> ResolvedStyle {
    let front = style.foreground.flatMap { roles[$0] }
    let back = style.background.flatMap { roles[$0] }
    var resolved = ResolvedStyle.attributesOnly(style)
    resolved.foreground = front?.foreground ?? back?.foreground ?? -1
    resolved.background = back?.background ?? back?.foreground ?? front?.background ?? -1
    for role in [front, back].compactMap({ $0 }) {
      resolved.bold = resolved.bold || role.attributes.bold
      resolved.dim = resolved.dim || role.attributes.dim
      resolved.reverse = resolved.reverse || role.attributes.reverse
      resolved.underline = resolved.underline || role.attributes.underline
    }
    if let back, back.needsReverseAsBackground { resolved.reverse = true }
    return resolved
  }
}

/// One role's colours and attributes at a given depth.
struct ResolvedRole: Sendable {
  var foreground: Int16?
  var background: Int16?
  var attributes: ResolvedStyle
  /// Used as a background, the role has no colour to paint with, so it shows as reverse instead.
  var needsReverseAsBackground: Bool

  init(role: ColorRole, style: ThemeStyle, depth: ColorDepth) {
    foreground = style.foreground.map { XtermPalette.index(of: $0, depth: depth) }
    background = style.background.map { XtermPalette.index(of: $0, depth: depth) }
    attributes = ResolvedStyle(bold: style.bold, dim: style.dim, reverse: style.reverse, underline: style.underline)
    let paint = background ?? foreground ?? -1
    needsReverseAsBackground = paint == -1 && role != .text && role != .waterfallTrack
    guard depth == .none, style.hasColor, !style.hasAttributes else { return }
    switch role {
    case .selection, .statusBar: attributes.reverse = true
    case .borderFocused, .failure, .warning, .accent, .title: attributes.bold = true
    case .muted: attributes.dim = true
    default: break
    }
  }
}
