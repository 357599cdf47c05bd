import Foundation
import Testing

@testable import FlowscopeTUI

/// The theme files shipped in the repository's Themes directory.
@Suite struct ThemeFilesTests {
  static let themesDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Themes")

  static let shipped = ["default-dark", "light", "high-contrast", "monochrome"]

  @Test(arguments: shipped)
  func shippedThemeParsesAndNamesItself(name: String) throws {
    let theme = try Theme.load(nameOrPath: name, searchDirectories: [Self.themesDirectory])
    #expect(theme.name == name)
  }

  @Test(arguments: shipped)
  func shippedThemeAssignsEveryRoleExplicitly(name: String) throws {
    let text = try String(
      contentsOf: Self.themesDirectory.appendingPathComponent(name + ".theme"), encoding: .utf8)
    var roles: Set<ColorRole> = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") && line.contains("=") {
      let key = String(line.split(separator: "=")[0]).trimmingCharacters(in: .whitespaces)
      if let role = Theme.role(named: key) { roles.insert(role) }
    }
    #expect(roles == Set(ColorRole.allCases), "missing: \(Set(ColorRole.allCases).subtracting(roles))")
  }

  @Test func defaultDarkFileMatchesTheBuiltInTheme() throws {
    let file = try Theme.load(file: Self.themesDirectory.appendingPathComponent("default-dark.theme"))
    for role in ColorRole.allCases {
      #expect(file[role] == Theme.defaultDark[role], "\(role)")
    }
    #expect(file == Theme.defaultDark)
  }

  @Test func monochromeHasNoColours() throws {
    let theme = try Theme.load(nameOrPath: "monochrome", searchDirectories: [Self.themesDirectory])
    for role in ColorRole.allCases { #expect(!theme[role].hasColor, "\(role)") }
    #expect(theme[.selection].reverse)
    #expect(theme[.borderFocused].bold)
  }

  @Test func availableNamesListsTheShippedThemes() {
    let names = Theme.availableNames(searchDirectories: [Self.themesDirectory])
    #expect(names == Self.shipped.sorted())
  }
}
