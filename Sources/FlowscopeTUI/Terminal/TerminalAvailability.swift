#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Decides whether the full-screen debugger can start, before ncurses touches the terminal.
///
/// The order is: stdin and stdout are TTYs → TERM is set and not `dumb` → (in `NcursesTerminal`)
/// a UTF-8 locale → `newterm` knows TERM. The first two steps are the pure `check` below.
public enum TerminalAvailability {
  /// Checks the TTY flags and the environment; returns the terminal type (TERM) to open.
  /// - Throws: `TerminalUnavailableError` with `.notATTY`, `.termUnset` or `.dumbTerminal`.
  public static func check(stdinIsTTY: Bool, stdoutIsTTY: Bool, environment: [String: String])
    throws(TerminalUnavailableError) -> String
  {
    guard stdinIsTTY, stdoutIsTTY else { throw TerminalUnavailableError(.notATTY) }
    guard let type = environment["TERM"], !type.isEmpty else { throw TerminalUnavailableError(.termUnset) }
    guard type != "dumb" else { throw TerminalUnavailableError(.dumbTerminal) }
    return type
  }

  /// `check` for this process: its stdin/stdout and environment.
  public static func checkCurrentProcess() throws(TerminalUnavailableError) -> String {
    try check(
      stdinIsTTY: isatty(STDIN_FILENO) == 1, stdoutIsTTY: isatty(STDOUT_FILENO) == 1,
      environment: currentEnvironment())
  }

  /// The environment variables the terminal setup reads (TERM, NO_COLOR), from this process.
  public static func currentEnvironment() -> [String: String] {
    var environment: [String: String] = [:]
    for name in ["TERM", "NO_COLOR"] {
      if let value = getenv(name) { environment[name] = String(cString: value) }
    }
    return environment
  }
}

extension ColorDepth {
  /// The colour depth to use: `.none` when NO_COLOR is set (non-empty) or the terminal has no
  /// colours, else 8, 16 or 256 from the terminal's colour count (more is capped at 256).
  public static func detect(colors: Int, hasColors: Bool = true, environment: [String: String]) -> ColorDepth {
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
    guard hasColors else { return .none }
    switch colors {
    case 256...: return .twoFiftySix
    case 16..<256: return .sixteen
    case 8..<16: return .eight
    default: return .none
    }
  }

  /// Whether NO_COLOR (non-empty) asks for no colour, so colours are never started.
  public static func colorDisabled(by environment: [String: String]) -> Bool {
    detect(colors: 256, environment: environment) == .none
  }
}
