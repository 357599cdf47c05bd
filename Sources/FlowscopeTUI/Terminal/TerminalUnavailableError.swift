/// Why the full-screen debugger cannot start; `description` is a one-line message for the user.
public struct TerminalUnavailableError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What is missing.
  public enum Reason: Hashable, Sendable {
    /// stdin or stdout is not a terminal (a pipe, a file, CI).
    case notATTY
    /// TERM is unset or empty.
    case termUnset
    /// TERM is `dumb`: no cursor addressing.
    case dumbTerminal
    /// No terminfo entry for this TERM (`newterm` failed).
    case unknownTerminalType(String)
    /// Another `NcursesTerminal` is already open in this process.
    case alreadyOpen
  }

  /// What is missing.
  public var reason: Reason

  /// Creates the error for `reason`.
  public init(_ reason: Reason) {
    self.reason = reason
  }

  private static let scriptHint = "use `flowscope run` or `flowscope traces` for scripts"

  public var description: String {
    switch reason {
    case .notATTY:
      return "flowscope needs an interactive terminal (stdin/stdout is not a TTY); \(Self.scriptHint)"
    case .termUnset:
      return "flowscope needs an interactive terminal (TERM is not set); set TERM (e.g. xterm-256color) or "
        + Self.scriptHint
    case .dumbTerminal:
      return "flowscope needs a terminal with cursor control (TERM=dumb); \(Self.scriptHint)"
    case .unknownTerminalType(let type):
      return "flowscope could not open terminal type '\(type)' (no terminfo entry); "
        + "set TERM to a known type such as xterm-256color"
    case .alreadyOpen:
      return "flowscope's terminal is already open in this process"
    }
  }
}
