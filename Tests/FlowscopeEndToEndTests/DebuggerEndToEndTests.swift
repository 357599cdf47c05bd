import Foundation
import Testing

/// The real `flowscope` debugger in a tmux pane: keys in, screen text out.
@Suite("Debugger under tmux", .enabled(if: Tmux.isAvailable, "needs tmux"), .serialized)
struct DebuggerEndToEndTests {
  @Test("jokeFlow streams into Output, ends done, and its trace tree is finished", .timeLimit(.minutes(1)))
  func streamingFlow() async throws {
    // 40 ms per word: the ~20-word joke streams for about a second, long enough to be seen streaming.
    let app = try await FlowscopeApp.launch(paceMilliseconds: 40)
    defer { app.close() }

    try await app.runFlow("jokeFlow")
    let streaming = try await app.tmux.waitFor("jokeFlow streaming its first words") { screen in
      guard let match = screen.firstMatch(of: /Output \(4\) · jokeFlow · streaming · (\d+) chunk/),
        let chunks = Int(match.1)
      else { return false }
      return chunks > 0
    }
    let firstWords = FlowscopeApp.content(ofBox: "Output (4)", in: streaming).first ?? ""
    #expect(!firstWords.trimmingCharacters(in: .whitespaces).isEmpty, "no streamed text:\n\(streaming)")
    #expect(FlowscopeApp.runs(in: streaming).first?.words.last == "running", "\(streaming)")

    let done = try await app.tmux.waitFor("jokeFlow done") { $0.contains("Output (4) · jokeFlow · done · ") }
    let output = FlowscopeApp.content(ofBox: "Output (4)", in: done)
    #expect(output.first?.hasPrefix(firstWords.prefix(while: { $0 != " " })) == true)
    #expect(output.contains("── result ──"))
    #expect(done.firstMatch(of: /jokeFlow · done · \d+ chunks/) != nil)
    let trace = FlowscopeApp.content(ofBox: "Trace (5) · 2 spans", in: done)
    #expect(trace.first?.contains("▾ ✔ jokeFlow") == true, "trace:\n\(trace.joined(separator: "\n"))")
    #expect(trace.contains { $0.contains("✔ pick-jokes") && $0.contains("flowStep") })
    #expect(FlowscopeApp.runs(in: done).first?.words.prefix(2) == ["✔", "jokeFlow"])
  }

  @Test("weatherAgent: inspect the getWeather tool span, close it, see the model's tool call", .timeLimit(.minutes(1)))
  func toolCallingFlow() async throws {
    let app = try await FlowscopeApp.launch()
    defer { app.close() }

    try await app.runFlow("weatherAgent")
    let done = try await app.tmux.waitFor("weatherAgent done with a getWeather tool span") { screen in
      screen.contains("Output (4) · weatherAgent · done")
        && FlowscopeApp.content(ofBox: "Trace (5)", in: screen).contains {
          $0.contains("✔ getWeather") && $0.contains("tool")
        }
    }
    #expect(FlowscopeApp.content(ofBox: "Trace (5)", in: done).first?.contains("▾ ✔ weatherAgent") == true)

    try await app.inspectTraceRow(containing: "getWeather")
    // Wait for the whole inspector, not just its title: a capture can land in the middle of a repaint.
    let tool = try await app.tmux.waitFor("the getWeather inspector") { screen in
      screen.contains("┌ Span · getWeather · Esc closes")
        && FlowscopeApp.content(ofBox: "Span · getWeather", in: screen).contains { $0.hasPrefix("▾ Output") }
    }
    let inspector = FlowscopeApp.content(ofBox: "Span · getWeather", in: tool)
    let input = try #require(inspector.firstIndex { $0.hasPrefix("▾ Input") }, "\(tool)")
    let output = try #require(inspector.firstIndex { $0.hasPrefix("▾ Output") }, "\(tool)")
    #expect(input < output)
    #expect(inspector[input..<output].contains { $0.contains(#"city: "Paris""#) })
    #expect(inspector[output...].contains { $0.contains("temperatureC:") })
    #expect(inspector[output...].contains { $0.contains("conditions:") })
    #expect(inspector.contains { $0.contains("path weatherAgent > generate > getWeather") })

    // Escape alone (Escape + key in one send-keys reads as Alt+key), then wait for it to take effect.
    try app.tmux.keys("Escape")
    try await app.tmux.waitFor("the inspector to close") { screen in
      !screen.contains("Span · getWeather") && screen.contains("Output (4) · weatherAgent")
    }

    try await app.inspectTraceRow(containing: "demo/assistant")
    let model = try await app.tmux.waitFor("the model span's inspector") { screen in
      screen.contains("┌ Span · demo/assistant")
        && FlowscopeApp.content(ofBox: "Span · demo/assistant", in: screen).contains { $0.hasPrefix("▾ Input") }
    }
    let chat = FlowscopeApp.content(ofBox: "Span · demo/assistant", in: model)
    #expect(chat.contains { $0.hasPrefix("▾ Chat") })
    #expect(chat.contains { $0.contains("User: ") })
    #expect(chat.contains { $0.contains(#"Tool call: getWeather({"city":"Paris"})"#) }, "\(model)")
  }

  @Test(
    "failingFlow fails; f in Trace opens the failing step with its error and its log", .timeLimit(.minutes(1)))
  func failingFlow() async throws {
    let app = try await FlowscopeApp.launch()
    defer { app.close() }

    try await app.runFlow("failingFlow")
    let failed = try await app.tmux.waitFor("failingFlow failed") { screen in
      screen.contains("Output (4) · failingFlow · failed")
        && FlowscopeApp.content(ofBox: "Trace (5)", in: screen).contains { $0.contains("✖ charge-card") }
    }
    #expect(FlowscopeApp.content(ofBox: "Trace (5)", in: failed).first?.contains("✖ failingFlow") == true)
    #expect(
      FlowscopeApp.content(ofBox: "Output (4)", in: failed).contains { $0.contains("UNAVAILABLE: payment gateway") })
    #expect(FlowscopeApp.runs(in: failed).first?.words.prefix(2) == ["✖", "failingFlow"])

    try app.tmux.keys("5", "f")
    let source = try await app.tmux.waitFor("the inspector on the failure source") {
      $0.contains("┌ Span · charge-card · Esc closes")
    }
    let inspector = FlowscopeApp.content(ofBox: "Span · charge-card", in: source)
    let error = try #require(inspector.firstIndex { $0.hasPrefix("▾ Error") }, "\(source)")
    #expect(inspector[error...].contains { $0.contains("payment gateway unreachable: connection refused") })
    #expect(inspector.contains { $0.contains("this span is where the failure started") })
    #expect(inspector.contains { $0.contains("✖ error") })
    // What the step logged before it failed.
    let logs = try #require(inspector.firstIndex { $0.hasPrefix("▾ Logs (1)") }, "\(source)")
    #expect(inspector[(logs + 1)...].first?.contains("WARN payment gateway did not answer") == true, "\(source)")
  }

  @Test("c cancels the running slowFlow and the app stays usable", .timeLimit(.minutes(1)))
  func cancelSlowFlow() async throws {
    let app = try await FlowscopeApp.launch()
    defer { app.close() }

    try await app.runFlow("slowFlow")
    try await app.tmux.waitFor("slowFlow running") { screen in
      screen.contains("Output (4) · slowFlow · streaming")
        && FlowscopeApp.runs(in: screen).first?.words.last == "running"
    }
    let pressed = ContinuousClock.now
    try app.tmux.keys("c")
    let cancelled = try await app.tmux.waitFor("slowFlow cancelled") { screen in
      screen.contains("CANCELLED")
        && FlowscopeApp.content(ofBox: "Trace (5)", in: screen).first?.contains("✖ slowFlow") == true
    }
    // The flow would run 30 s; cancelling must not wait for it.
    #expect(ContinuousClock.now - pressed < .seconds(10))
    #expect(cancelled.contains("Output (4) · slowFlow · cancelled"))
    #expect(FlowscopeApp.runs(in: cancelled).first?.words.prefix(2) == ["✖", "slowFlow"])

    try await app.runFlow("jokeFlow")
    let after = try await app.tmux.waitFor("jokeFlow done after the cancel") {
      $0.contains("Output (4) · jokeFlow · done")
    }
    #expect(FlowscopeApp.runs(in: after).map(\.name) == ["jokeFlow", "slowFlow"])
  }

  @Test("q while a flow runs asks first; n keeps it, ^C cancels, q+y quits cleanly", .timeLimit(.minutes(1)))
  func quitWhileRunning() async throws {
    let app = try await FlowscopeApp.launch()
    defer { app.close() }

    try await app.runFlow("slowFlow")
    try await app.tmux.waitFor("slowFlow running") { $0.contains("Output (4) · slowFlow · streaming") }
    try app.tmux.keys("q")
    try await app.tmux.waitFor("the quit confirmation") { $0.contains("slowFlow is running. Quit anyway? (y/n)") }
    try app.tmux.keys("n")
    let kept = try await app.tmux.waitFor("the confirmation to close") { !$0.contains("Quit anyway?") }
    #expect(kept.contains("Output (4) · slowFlow · streaming"))

    try app.tmux.keys("C-c")
    try await app.tmux.waitFor("^C to cancel the run (not to kill the app)") {
      $0.contains("Output (4) · slowFlow · cancelled")
    }

    try app.tmux.keys("Enter")
    try await app.tmux.waitFor("slowFlow running again") { $0.contains("Output (4) · slowFlow · streaming") }
    try app.tmux.keys("q")
    try await app.tmux.waitFor("the quit confirmation") { $0.contains("Quit anyway? (y/n)") }
    try app.tmux.keys("y")
    let exit = try await app.waitForExit()
    #expect(exit.status == 0)
    #expect(exit.tty == "sane")
  }

  @Test("40×10 stacks the panes behind a tab strip; 120×40 shows them all again", .timeLimit(.minutes(1)))
  func resize() async throws {
    let app = try await FlowscopeApp.launch()
    defer { app.close() }

    try app.tmux.resize(columns: 40, rows: 10)
    let small = try await app.tmux.waitFor("the stacked 40×10 layout") { screen in
      screen.hasPrefix("1Flows") && screen.contains("┌ Flows (1)") && !screen.contains("Runs (2)")
    }
    Self.expectFits(small, columns: 40, rows: 10)
    #expect(small.lines.first?.contains("5Trace") == true, "\(small)")

    try app.tmux.keys("5")
    let trace = try await app.tmux.waitFor("the Trace tab") { $0.contains("┌ Trace (5)") && !$0.contains("Flows (1)") }
    Self.expectFits(trace, columns: 40, rows: 10)

    try app.tmux.resize(columns: 120, rows: 40)
    let wide = try await app.waitForMainScreen()
    #expect(!wide.hasPrefix("1Flows"))
    Self.expectFits(wide, columns: 120, rows: 40)
  }

  @Test("q quits with status 0 and restores the terminal", .timeLimit(.minutes(1)))
  func quit() async throws {
    let app = try await FlowscopeApp.launch()
    defer { app.close() }
    #expect(try app.tmux.display("#{alternate_on}") == "1")

    try app.tmux.keys("q")
    let exit = try await app.waitForExit()
    #expect(exit.status == 0)
    #expect(exit.tty == "sane", "icanon/echo not restored")
    #expect(!exit.screen.contains("Flows (1)"), "the debugger's screen is still shown:\n\(exit.screen)")
    #expect(!exit.screen.contains("┌"))
    #expect(try app.tmux.display("#{alternate_on}") == "0")
  }

  @Test(
    "a terminal without cursor control is refused with one clear line",
    .timeLimit(.minutes(1)),
    arguments: [
      ("TERM=dumb ", "needs a terminal with cursor control (TERM=dumb)"),
      ("env -u TERM ", "TERM is not set"),
      ("TERM=flowscope-no-such-term ", "could not open terminal type 'flowscope-no-such-term'"),
    ])
  func unusableTerminal(prefix: String, message: String) async throws {
    let directory = try FlowscopeApp.makeDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = directory.appendingPathComponent("traces.sqlite").path
    let tmux = try Tmux.start(
      FlowscopeApp.command(database: database, prefix: prefix), in: directory, environment: ["LANG": "C.UTF-8"])
    defer { tmux.kill() }

    let app = FlowscopeApp(tmux: tmux, directory: directory)
    let exit = try await app.waitForExit()
    #expect(exit.status != 0)
    #expect(exit.tty == "sane")
    let screen = try tmux.screen(joined: true)
    let printed = screen.lines.prefix { !$0.hasPrefix("EXIT=") }.filter { !$0.isEmpty }
    #expect(printed.count == 1, "\(screen)")
    #expect(printed.first?.contains(message) == true, "\(screen)")
  }

  @Test("runs survive a restart: listed, reopened with their trace, rerun with r", .timeLimit(.minutes(1)))
  func runsHistory() async throws {
    let directory = try FlowscopeApp.makeDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }

    let first = try await FlowscopeApp.launch(in: directory)
    do {
      defer { first.close(keepDirectory: true) }
      try await first.runFlow("jokeFlow")
      try await first.tmux.waitFor("jokeFlow done") { $0.contains("Output (4) · jokeFlow · done") }
      try first.tmux.keys("q")
      #expect(try await first.waitForExit().status == 0)
    }
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("inputs.json").path))

    let second = try await FlowscopeApp.launch(in: directory)
    defer { second.close(keepDirectory: true) }
    let start = try await second.tmux.waitFor("the stored run in Runs") { screen in
      FlowscopeApp.runs(in: screen).first?.words.prefix(2) == ["✔", "jokeFlow"]
    }
    #expect(FlowscopeApp.runs(in: start).count == 1)
    #expect(start.contains("No trace"), "a trace is shown before a run is opened:\n\(start)")

    try second.tmux.keys("2", "g", "Enter")
    let opened = try await second.tmux.waitFor("the stored run's trace") { screen in
      let trace = FlowscopeApp.content(ofBox: "Trace (5)", in: screen)
      return trace.first?.contains("✔ jokeFlow") == true && trace.contains { $0.contains("✔ pick-jokes") }
    }
    #expect(opened.contains("Output (4) · jokeFlow"))
    #expect(FlowscopeApp.content(ofBox: "Output (4)", in: opened).contains("── result ──"))

    try second.tmux.keys("r")
    let rerun = try await second.tmux.waitFor("the rerun finished") { screen in
      FlowscopeApp.runs(in: screen).filter { $0.words.prefix(2) == ["✔", "jokeFlow"] }.count == 2
        && screen.contains("Output (4) · jokeFlow · done")
    }
    #expect(FlowscopeApp.runs(in: rerun).count == 2)
  }

  @Test("escape sequences in a flow's output are not passed to the terminal", .timeLimit(.minutes(1)))
  func escapeSequencesStayInside() async throws {
    let directory = try FlowscopeApp.makeDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // jokeFlow repeats its subject in the streamed text: give it an OSC title change, a screen clear and a
    // colour (JSON escapes in the input editor, real ESC/BEL characters in the flow's output).
    let subject = #"\u001b]2;PWNED\u0007\u001b[2J\u001b[31mcats"#
    let history = ["jokeFlow": "{\"subject\": \"\(subject)\"}"]
    try JSONEncoder().encode(history).write(to: directory.appendingPathComponent("inputs.json"))

    let app = try await FlowscopeApp.launch(in: directory)
    defer { app.close() }
    let title = try app.tmux.display("#{pane_title}")
    try await app.runFlow("jokeFlow")
    try await app.tmux.waitFor("jokeFlow done") { $0.contains("Output (4) · jokeFlow · done") }

    #expect(try app.tmux.display("#{pane_title}") == title)
    let colored = try app.tmux.screen(escapes: true)
    #expect(!colored.contains("\u{1B}[31m"), "the flow's SGR reached the terminal")
    let screen = try app.tmux.screen()
    #expect(screen.contains("┌ Flows (1)") && screen.contains("│  chatFlow"), "the screen was cleared:\n\(screen)")
    // The input really was loaded, and the characters really are in the output: the result section shows
    // them JSON-escaped.
    #expect(FlowscopeApp.content(ofBox: "Input (3)", in: screen).contains { $0.contains(subject) }, "\(screen)")
    let output = FlowscopeApp.content(ofBox: "Output (4)", in: screen)
    #expect(output.contains { $0.contains(#"\u001b]2;PWNED\u0007"#) }, "\(screen)")
    #expect(output.contains { $0.contains("cats") })
  }

  /// Expects `screen` to have at most `rows` lines, none wider than `columns`.
  static func expectFits(_ screen: String, columns: Int, rows: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    var lines = screen.lines
    while lines.last?.isEmpty == true { lines.removeLast() }
    #expect(lines.count <= rows, "\(lines.count) lines:\n\(screen)", sourceLocation: sourceLocation)
    let wide = lines.filter { $0.displayWidth > columns }
    #expect(
      wide.isEmpty, "lines wider than \(columns):\n\(wide.joined(separator: "\n"))", sourceLocation: sourceLocation)
  }
}

/// The debugger started without a terminal (no tmux needed).
@Suite("Debugger without a terminal")
struct NoTerminalTests {
  @Test(
    "stdin/stdout redirected: one line about the TTY on stderr, non-zero exit", .timeLimit(.minutes(1)),
    arguments: [[], ["debug"]])
  func redirected(arguments: [String]) throws {
    let directory = try FlowscopeApp.makeDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let process = Process()
    process.executableURL = FlowscopeApp.binary
    process.arguments = arguments + ["--db", directory.appendingPathComponent("traces.sqlite").path]
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "FLOWSCOPE_DB")
    environment["TERM"] = "xterm-256color"
    process.environment = environment
    process.currentDirectoryURL = directory
    process.standardInput = FileHandle.nullDevice
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()

    #expect(process.terminationStatus != 0)
    #expect(out.isEmpty, "stdout: \(out)")
    let lines = err.split(separator: "\n")
    #expect(lines.count == 1, "stderr: \(err)")
    #expect(lines.first.map { $0.contains("TTY") || $0.contains("terminal") } == true, "stderr: \(err)")
    #expect(!err.contains("\u{1B}"), "escape codes written without a terminal")
  }
}
