/// A colour theme: a `ThemeStyle` for every `ColorRole`.
///
/// Load one with `Theme.parse(_:name:)` or `Theme.load(nameOrPath:searchDirectories:)`; turn it into
/// terminal colours with `resolver(depth:)`. `Theme.defaultDark` is built in, so the debugger works
/// without any theme files.
public struct Theme: Sendable, Hashable {
  /// The theme's name (from its `name =` line, else the file name).
  public var name: String
  /// The style of every role (complete: roles a file leaves out come from the fallback theme).
  public private(set) var styles: [ColorRole: ThemeStyle]

  /// A theme from the given styles; roles missing from `styles` take `fallback`'s style (plain when
  /// there is no fallback).
  public init(name: String, styles: [ColorRole: ThemeStyle], fallback: Theme? = nil) {
    self.name = name
    var complete: [ColorRole: ThemeStyle] = [:]
    for role in ColorRole.allCases {
      complete[role] = styles[role] ?? fallback?.styles[role] ?? ThemeStyle()
    }
    self.styles = complete
  }

  /// The style of `role`.
  public subscript(role: ColorRole) -> ThemeStyle {
    get { styles[role] ?? ThemeStyle() }
    set { styles[role] = newValue }
  }

  /// The theme in the theme-file format (every role, in `ColorRole` order); `Theme.parse` reads it back.
  public var themeText: String {
    var lines = ["name = \(name)"]
    for role in ColorRole.allCases { lines.append("\(role.rawValue) = \(self[role].themeText)") }
    return lines.joined(separator: "\n") + "\n"
  }
}
