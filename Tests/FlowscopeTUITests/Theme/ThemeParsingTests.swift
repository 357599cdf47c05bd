import Testing

@testable import FlowscopeTUI

@Suite struct ThemeParsingTests {
  @Test func parsesColoursAttributesAndBackgrounds() throws {
    let theme = try Theme.parse(
      """
      name = custom
      # a comment
      border = #5f6b7a
      borderFocused = bold cyan   # trailing comment
      selection = on #264f78
      failure = bold #F44747
      muted = dim 244
      statusBar = black on #7aa2f7
      title = underline reverse default
      accent = brightYellow
      """, name: "fallback-name")
    #expect(theme.name == "custom")
    #expect(theme[.border] == ThemeStyle(foreground: .rgb(red: 0x5f, green: 0x6b, blue: 0x7a)))
    #expect(theme[.borderFocused] == ThemeStyle(foreground: .palette(6), bold: true))
    #expect(theme[.selection] == ThemeStyle(background: .rgb(red: 0x26, green: 0x4f, blue: 0x78)))
    #expect(theme[.failure] == ThemeStyle(foreground: .rgb(red: 0xf4, green: 0x47, blue: 0x47), bold: true))
    #expect(theme[.muted] == ThemeStyle(foreground: .palette(244), dim: true))
    #expect(
      theme[.statusBar] == ThemeStyle(foreground: .palette(0), background: .rgb(red: 0x7a, green: 0xa2, blue: 0xf7)))
    #expect(theme[.title] == ThemeStyle(foreground: .terminalDefault, reverse: true, underline: true))
    #expect(theme[.accent] == ThemeStyle(foreground: .palette(11)))
  }

  @Test func missingRolesFallBackToTheDefaultTheme() throws {
    let theme = try Theme.parse("jsonKey = red\n", name: "partial")
    #expect(theme.name == "partial")
    #expect(theme[.jsonKey] == ThemeStyle(foreground: .palette(1)))
    #expect(theme[.selection] == Theme.defaultDark[.selection])
    #expect(theme.styles.count == ColorRole.allCases.count)
  }

  @Test func roleAndColourNamesIgnoreCaseAndSeparators() throws {
    let theme = try Theme.parse("border-focused = Bright_Red\nSTATUSBAR = BOLD on Blue", name: "t")
    #expect(theme[.borderFocused] == ThemeStyle(foreground: .palette(9)))
    #expect(theme[.statusBar] == ThemeStyle(background: .palette(4), bold: true))
  }

  @Test func everyRoleIsAssignable() throws {
    let text = ColorRole.allCases.map { "\($0.rawValue) = underline 100" }.joined(separator: "\n")
    let theme = try Theme.parse(text, name: "all")
    for role in ColorRole.allCases { #expect(theme[role] == ThemeStyle(foreground: .palette(100), underline: true)) }
  }

  @Test func themeTextRoundTrips() throws {
    let again = try Theme.parse(Theme.defaultDark.themeText, name: "x")
    #expect(again == Theme.defaultDark)
  }

  func parseError(_ text: String) -> ThemeError? {
    do {
      _ = try Theme.parse(text, name: "broken")
      return nil
    } catch let error as ThemeError {
      return error
    } catch {
      return nil
    }
  }

  @Test func unknownRoleNamesTheLineAndSuggests() throws {
    let error = try #require(parseError("# header\n\nbordr = red"))
    #expect(error.line == 3)
    #expect(error.description.hasPrefix("broken, line 3: unknown role 'bordr'"))
    #expect(error.description.contains("did you mean 'border'?"))
    let far = try #require(parseError("colourful = red"))
    #expect(far.description.contains("roles are: text, muted"))
  }

  @Test func unknownColourIsExplained() throws {
    let error = try #require(parseError("text = default\nborder = purple"))
    #expect(error.line == 2)
    #expect(error.description.contains("border: unknown colour or attribute 'purple'"))
    #expect(error.description.contains("#rrggbb"))
  }

  @Test func badValuesGiveSpecificMessages() throws {
    #expect(parseError("border = 256")?.message.contains("out of range 0–255") == true)
    #expect(parseError("border = #fff")?.message.contains("#rrggbb") == true)
    #expect(parseError("border = #12345g")?.message.contains("not a colour") == true)
    #expect(parseError("selection = on")?.message.contains("'on' must be followed by a background colour") == true)
    #expect(parseError("selection = on italic")?.message.contains("got 'italic'") == true)
    #expect(parseError("border = red blue")?.message.contains("two foreground colours") == true)
    #expect(parseError("border =")?.message.contains("no style given") == true)
    #expect(parseError("border red")?.message.contains("expected 'role = style'") == true)
    #expect(parseError("name =")?.message.contains("empty theme name") == true)
  }

  @Test func duplicateRoleNamesBothLines() throws {
    let error = try #require(parseError("border = red\nmuted = 244\nborder = blue"))
    #expect(error.line == 3)
    #expect(error.message.contains("already set on line 1"))
  }
}
