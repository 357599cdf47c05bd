import Testing

@testable import FlowscopeTUI

@Suite struct ThemeResolverTests {
  func colours(_ word: String) throws -> [Int16] {
    let theme = try Theme.parse("border = \(word)", name: "t")
    return [ColorDepth.twoFiftySix, .sixteen, .eight, .none].map {
      theme.resolver(depth: $0)(TextStyle(foreground: .border)).foreground
    }
  }

  @Test func rgbDegradesThrough256And16And8ToNone() throws {
    #expect(try colours("#ff0000") == [196, 9, 1, -1])
    #expect(try colours("#f44747") == [203, 9, 1, -1])
    #expect(try colours("#5f6b7a") == [242, 8, 7, -1])
    #expect(try colours("#264f78") == [24, 4, 4, -1])
    #expect(try colours("#7aa2f7") == [111, 12, 4, -1])
    #expect(try colours("#808080") == [244, 8, 7, -1])
    #expect(try colours("#000000") == [16, 0, 0, -1])
    #expect(try colours("#ffffff") == [231, 15, 7, -1])
  }

  @Test func paletteIndexesDegradeToo() throws {
    #expect(try colours("196") == [196, 9, 1, -1])
    #expect(try colours("244") == [244, 8, 7, -1])
    #expect(try colours("brightRed") == [9, 9, 1, -1])
    #expect(try colours("brightBlack") == [8, 8, 7, -1])
    #expect(try colours("cyan") == [6, 6, 6, -1])
    #expect(try colours("default") == [-1, -1, -1, -1])
  }

  @Test func backgroundsAndRoleFallbacks() {
    let resolve = Theme.defaultDark.resolver(depth: .twoFiftySix)
    // The selection's background under a JSON key's colour.
    let selectedKey = resolve(TextStyle(foreground: .jsonKey, background: .selection))
    #expect(selectedKey.background == 24)
    #expect(selectedKey.foreground == 153)
    // A background role brings its foreground when the style has none.
    #expect(resolve(TextStyle(background: .statusBar)) == ResolvedStyle(foreground: 0, background: 111))
    // A role without a background paints with its foreground.
    #expect(resolve(TextStyle(background: .waterfall)).background == 74)
    #expect(resolve(.plain) == ResolvedStyle())
  }

  @Test func styleAttributesAreOredWithTheRoles() {
    let resolve = Theme.defaultDark.resolver(depth: .twoFiftySix)
    let style = resolve(TextStyle(foreground: .failure, underline: true))
    #expect(style.bold && style.underline && !style.reverse)
    #expect(resolve(TextStyle(foreground: .muted, dim: true)).dim)
  }

  @Test func withoutColourRolesStayVisibleThroughAttributes() {
    let resolve = Theme.defaultDark.resolver(depth: .none)
    #expect(resolve(TextStyle(foreground: .text, background: .selection)) == ResolvedStyle(reverse: true))
    #expect(resolve(TextStyle(foreground: .jsonKey, background: .selection)) == ResolvedStyle(reverse: true))
    #expect(resolve(TextStyle(foreground: .borderFocused)) == ResolvedStyle(bold: true))
    #expect(resolve(TextStyle(foreground: .failure)) == ResolvedStyle(bold: true))
    #expect(resolve(TextStyle(foreground: .accent)) == ResolvedStyle(bold: true))
    #expect(resolve(TextStyle(foreground: .muted)) == ResolvedStyle(dim: true))
    #expect(resolve(TextStyle(background: .statusBar)) == ResolvedStyle(reverse: true))
    #expect(resolve(TextStyle(foreground: .border)) == ResolvedStyle())
    #expect(resolve(TextStyle(foreground: .jsonString)) == ResolvedStyle())
    // Bars drawn as backgrounds stay visible; the empty track does not light up.
    #expect(resolve(TextStyle(background: .modelSpan)) == ResolvedStyle(reverse: true))
    #expect(resolve(TextStyle(background: .waterfallTrack)) == ResolvedStyle())
  }

  @Test func attributeOnlyThemesKeepBackgroundRolesVisibleAtAnyDepth() throws {
    let theme = try Theme.parse("flowSpan = bold\nselection = underline\ntext = default", name: "mono")
    let resolve = theme.resolver(depth: .twoFiftySix)
    #expect(resolve(TextStyle(background: .flowSpan)) == ResolvedStyle(bold: true, reverse: true))
    #expect(resolve(TextStyle(foreground: .flowSpan)) == ResolvedStyle(bold: true))
    #expect(resolve(TextStyle(background: .selection)) == ResolvedStyle(reverse: true, underline: true))
    #expect(resolve(TextStyle(foreground: .text, background: .text)) == ResolvedStyle())
  }

  @Test func explicitAttributesReplaceTheFallback() throws {
    let theme = try Theme.parse("failure = underline red", name: "t")
    #expect(theme.resolver(depth: .none)(TextStyle(foreground: .failure)) == ResolvedStyle(underline: true))
  }

  @Test func noColorTurnsColourOff() {
    #expect(Theme.effectiveDepth(terminalDepth: .twoFiftySix, environment: ["NO_COLOR": "1"]) == .none)
    #expect(Theme.effectiveDepth(terminalDepth: .twoFiftySix, environment: ["NO_COLOR": ""]) == .twoFiftySix)
    #expect(Theme.effectiveDepth(terminalDepth: .sixteen, environment: [:]) == .sixteen)
  }
}
