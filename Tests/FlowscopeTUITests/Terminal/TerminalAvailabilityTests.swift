import FlowscopeTUI
import Testing

@Suite struct TerminalAvailabilityTests {
  private func failure(stdin: Bool = true, stdout: Bool = true, _ environment: [String: String])
    -> TerminalUnavailableError.Reason?
  {
    do {
      _ = try TerminalAvailability.check(stdinIsTTY: stdin, stdoutIsTTY: stdout, environment: environment)
      return nil
    } catch {
      return error.reason
    }
  }

  @Test func interactiveTerminalPassesAndReturnsTERM() throws {
    let type = try TerminalAvailability.check(
      stdinIsTTY: true, stdoutIsTTY: true, environment: ["TERM": "xterm-256color"])
    #expect(type == "xterm-256color")
  }

  @Test func notATTYIsCheckedFirst() {
    #expect(failure(stdin: false, [:]) == .notATTY)
    #expect(failure(stdout: false, ["TERM": "xterm"]) == .notATTY)
    #expect(failure(stdin: false, stdout: false, ["TERM": "dumb"]) == .notATTY)
  }

  @Test func missingOrDumbTERMIsRefused() {
    #expect(failure([:]) == .termUnset)
    #expect(failure(["TERM": ""]) == .termUnset)
    #expect(failure(["TERM": "dumb"]) == .dumbTerminal)
  }

  @Test func messagesAreOneLineAndPointToScriptCommands() {
    let message = TerminalUnavailableError(.notATTY).description
    #expect(
      message
        == "flowscope needs an interactive terminal (stdin/stdout is not a TTY); use `flowscope run` or `flowscope traces` for scripts"
    )
    let reasons: [TerminalUnavailableError.Reason] = [
      .notATTY, .termUnset, .dumbTerminal, .unknownTerminalType("bogus"), .alreadyOpen,
    ]
    for reason in reasons { #expect(!TerminalUnavailableError(reason).description.contains("\n")) }
    #expect(TerminalUnavailableError(.unknownTerminalType("bogus")).description.contains("'bogus'"))
  }

  @Test func colorDepthFollowsTheColorCount() {
    #expect(ColorDepth.detect(colors: 256, environment: [:]) == .twoFiftySix)
    #expect(ColorDepth.detect(colors: 16_777_216, environment: [:]) == .twoFiftySix)
    #expect(ColorDepth.detect(colors: 88, environment: [:]) == .sixteen)
    #expect(ColorDepth.detect(colors: 16, environment: [:]) == .sixteen)
    #expect(ColorDepth.detect(colors: 8, environment: [:]) == .eight)
    #expect(ColorDepth.detect(colors: 2, environment: [:]) == .none)
    #expect(ColorDepth.detect(colors: -1, environment: [:]) == .none)
    #expect(ColorDepth.detect(colors: 256, hasColors: false, environment: [:]) == .none)
  }

  @Test func noColorDisablesColoursOnlyWhenNonEmpty() {
    #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": "1"]) == .none)
    #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": ""]) == .twoFiftySix)
    #expect(ColorDepth.colorDisabled(by: ["NO_COLOR": "yes"]))
    #expect(!ColorDepth.colorDisabled(by: [:]))
  }
}
