import ArgumentParser

/// How the debugger looks: shared by `debug`, `attach` and `start`.
struct DisplayOptions: ParsableArguments {
  @Option(name: .long, help: "Theme name (default-dark, light, high-contrast, monochrome) or path to a .theme file.")
  var theme: String?

  @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal (native text selection).")
  var noMouse = false
}
