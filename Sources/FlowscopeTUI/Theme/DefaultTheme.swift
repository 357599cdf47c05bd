extension Theme {
  /// The built-in theme for dark backgrounds; the same as Themes/default-dark.theme (a test keeps
  /// them equal). Roles a theme file leaves out fall back to it.
  public static let defaultDark = Theme(
    name: "default-dark",
    styles: [
      .text: ThemeStyle(foreground: .terminalDefault),
      .muted: ThemeStyle(foreground: .palette(244)),
      .accent: ThemeStyle(foreground: hex(0xe5c07b)),
      .success: ThemeStyle(foreground: hex(0x73c991)),
      .failure: ThemeStyle(foreground: hex(0xf44747), bold: true),
      .warning: ThemeStyle(foreground: hex(0xcca700)),
      .running: ThemeStyle(foreground: hex(0x4fc1ff)),
      .border: ThemeStyle(foreground: hex(0x5f6b7a)),
      .borderFocused: ThemeStyle(foreground: .palette(6), bold: true),
      .selection: ThemeStyle(background: hex(0x264f78)),
      .title: ThemeStyle(bold: true),
      .statusBar: ThemeStyle(foreground: .palette(0), background: hex(0x7aa2f7)),
      .jsonKey: ThemeStyle(foreground: hex(0x9cdcfe)),
      .jsonString: ThemeStyle(foreground: hex(0xce9178)),
      .jsonNumber: ThemeStyle(foreground: hex(0xb5cea8)),
      .jsonLiteral: ThemeStyle(foreground: hex(0x569cd6)),
      .jsonPunctuation: ThemeStyle(foreground: hex(0x808080)),
      .flowSpan: ThemeStyle(foreground: hex(0xc586c0)),
      .stepSpan: ThemeStyle(foreground: hex(0x4ec9b0)),
      .modelSpan: ThemeStyle(foreground: hex(0xdcdcaa)),
      .toolSpan: ThemeStyle(foreground: hex(0xd7ba7d)),
      .waterfall: ThemeStyle(foreground: hex(0x569cd6)),
      .waterfallTrack: ThemeStyle(foreground: hex(0x3a3d41)),
      .userMessage: ThemeStyle(foreground: hex(0x4fc1ff)),
      .modelMessage: ThemeStyle(foreground: hex(0xb5cea8)),
      .toolMessage: ThemeStyle(foreground: hex(0xd7ba7d)),
    ])

  private static func hex(_ value: UInt32) -> ThemeColor {
    .rgb(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
  }
}
