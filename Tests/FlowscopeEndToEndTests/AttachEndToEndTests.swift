import Flows
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `flowscope start` and `flowscope attach` (the real binary, in tmux) on a real Genkit Python app,
/// Tests/Peer/attach_app.py, run with the peer venv (scripts/install-peer.sh). Each test works in
/// its own temporary project directory and stops every process it started, also on failure.
///
/// Each test runs its body, a static function of the same name taking the workspace, through
/// `AttachWorkspace.with` (which cleans up whatever happens). The bodies are functions rather than
/// closures because Swift 6.3.1's SendNonSendable pass crashes on the longest of them as a closure.
@Suite(
  "Attach to a Python Genkit app under tmux", .serialized, .tags(.attach),
  .enabled(if: Tmux.isAvailable, "needs tmux"))
struct AttachEndToEndTests {
  static let pythonFlows = ["boom", "slow", "steps", "streamy", "weather"]

  // MARK: - flowscope start

  @Test(
    "start: flows listed; streamy streams; steps and weather spans; A shows the log; q stops the app",
    .tags(.pythonPeer), .timeLimit(.minutes(3)),
    .requiresPythonPeer)
  func startRunsFlows() async throws {
    try await AttachWorkspace.with { workspace in try await Self.startRunsFlows(workspace: workspace) }
  }

  static func startRunsFlows(workspace: AttachWorkspace) async throws {
    let app = try workspace.launchStartPython()
    let attached = try await Self.waitForAttached(app)
    let pid = attached.pid
    #expect(attached.version == "py/0.12.0")
    #expect(workspace.runtimeFiles.map(\.pid) == [pid], "runtime files: \(workspace.runtimeFileNames)")
    // The app's startup lines went to the log, not the screen.
    let unread = try await app.tmux.waitFor("unread app log lines in the status bar") {
      $0.firstMatch(of: /A: \d+ log lines/) != nil
    }
    #expect(!unread.contains("Dev UI ready"), "the app's output reached the screen:\n\(unread)")

    // streamy: five chunks, then the joined result.
    try await app.runFlow("streamy")
    let streamy = try await app.tmux.waitFor("streamy done with its trace") { screen in
      screen.contains("Output (4) · streamy · done")
        && FlowscopeApp.content(ofBox: "Trace (5)", in: screen).first?.contains("✔ streamy") == true
    }
    try await Self.expectNewestRun(in: app, "✔", "streamy")
    #expect(streamy.contains("Output (4) · streamy · done · 5 chunks"), "\(streamy)")
    let output = FlowscopeApp.content(ofBox: "Output (4)", in: streamy)
    let result = try #require(output.firstIndex(of: "── result ──"), "\(streamy)")
    #expect(output[..<result].contains { $0.contains("Once upon a time.") }, "streamed text:\n\(streamy)")
    #expect(output[result...].contains { $0.contains("Once upon a time.") }, "result:\n\(streamy)")

    // steps: its two ai.run steps are spans of the trace.
    try await app.runFlow("steps")
    let steps = try await app.tmux.waitFor("steps done with uppercase and reverse spans") { screen in
      let trace = FlowscopeApp.content(ofBox: "Trace (5)", in: screen)
      return screen.contains("Output (4) · steps · done") && trace.first?.contains("✔ steps") == true
        && trace.contains { $0.contains("✔ uppercase") } && trace.contains { $0.contains("✔ reverse") }
    }
    try await Self.expectNewestRun(in: app, "✔", "steps")
    let stepsTrace = FlowscopeApp.content(ofBox: "Trace (5)", in: steps)
    let uppercase = try #require(FlowscopeApp.traceRow(containing: "uppercase", in: steps))
    let reverse = try #require(FlowscopeApp.traceRow(containing: "reverse", in: steps))
    #expect(uppercase < reverse, "trace:\n\(stepsTrace.joined(separator: "\n"))")
    #expect(FlowscopeApp.runs(in: steps).map(\.name).prefix(2) == ["steps", "streamy"])

    // weather with "Oslo": edit the input (`""`), leave the editor, run it from Flows.
    try await app.selectFlow("weather")
    #expect(FlowscopeApp.content(ofBox: "Input (3)", in: try app.tmux.screen()).contains { $0.contains(#""""#) })
    try app.tmux.keys("i")
    try await app.tmux.waitFor("the input editor") { FlowscopeApp.isEditingInput(in: $0) == true }
    try app.tmux.keys("Home")
    try app.tmux.keys("Right")
    try app.tmux.literal("Oslo")
    try await app.tmux.waitFor("Oslo typed into the input") { screen in
      FlowscopeApp.content(ofBox: "Input (3)", in: screen).contains { $0.contains(#""Oslo""#) }
    }
    try app.tmux.keys("Escape")
    try await app.tmux.waitFor("the editor left") { FlowscopeApp.isEditingInput(in: $0) == false }
    try await app.runFlow("weather")
    let weather = try await app.tmux.waitFor("weather done with its tool span") { screen in
      screen.contains("Output (4) · weather · done")
        && FlowscopeApp.content(ofBox: "Trace (5)", in: screen).contains {
          $0.contains("✔ get_weather") && $0.contains("tool")
        }
        && FlowscopeApp.content(ofBox: "Trace (5)", in: screen).filter { $0.contains("fake/tool-caller") }.count == 2
    }
    #expect(
      FlowscopeApp.content(ofBox: "Output (4)", in: weather).contains {
        $0.contains("The tool said: Sunny, 21C in Oslo")
      }, "\(weather)")
    let weatherTrace = FlowscopeApp.content(ofBox: "Trace (5)", in: weather).filter { !$0.isEmpty }
    #expect(weatherTrace.count == 5, "trace:\n\(weatherTrace.joined(separator: "\n"))")
    #expect(weatherTrace.first?.contains("✔ weather") == true)
    #expect(weatherTrace.contains { $0.contains("✔ generate") })

    try await app.inspectTraceRow(containing: "fake/tool-caller")
    let model = try await app.tmux.waitFor("the model span's inspector") { screen in
      screen.contains("┌ Span · fake/tool-caller")
        && FlowscopeApp.content(ofBox: "Span · fake/tool-caller", in: screen).contains {
          $0.contains("Tool call: get_weather")
        }
    }
    let chat = FlowscopeApp.content(ofBox: "Span · fake/tool-caller", in: model)
    #expect(chat.contains { $0.contains(#"Tool call: get_weather({"city":"Oslo"})"#) }, "\(model)")
    try app.tmux.keys("Escape")
    try await app.tmux.waitFor("the inspector to close") { !$0.contains("Span · fake/tool-caller") }

    // A: the app's own output (Genkit's startup lines).
    try app.tmux.keys("A")
    let log = try await app.tmux.waitFor("the app log") { screen in
      screen.contains("App log") && screen.contains("Dev UI ready")
    }
    #expect(log.firstMatch(of: /A: \d+ log lines/) == nil, "the log is open, nothing is unread:\n\(log)")
    try app.tmux.keys("Escape")
    try await app.waitForMainScreen()

    // q: the debugger exits 0, the app is stopped and its runtime file is gone.
    try app.tmux.keys("q")
    let exit = try await app.waitForExit()
    #expect(exit.status == 0, "\(exit.screen)")
    #expect(exit.tty == "sane")
    #expect(!AttachWorkspace.exists(pid), "the Python app (pid \(pid)) still runs after q")
    #expect(workspace.runtimeFileNames.isEmpty, "runtime files left: \(workspace.runtimeFileNames)")
  }

  @Test(
    "start: c cancels slow inside the Python app (it sees the cancellation)", .tags(.pythonPeer),
    .timeLimit(.minutes(2)),
    .requiresPythonPeer)
  func startCancelsSlow() async throws {
    try await AttachWorkspace.with { workspace in try await Self.startCancelsSlow(workspace: workspace) }
  }

  static func startCancelsSlow(workspace: AttachWorkspace) async throws {
    let app = try workspace.launchStartPython()
    let pid = try await Self.waitForAttached(app).pid

    // slow 300 (it sleeps min(n, 60) s): `0` → `300`, run from the editor with ^R.
    try await app.selectFlow("slow")
    try app.tmux.keys("i")
    try await app.tmux.waitFor("the input editor") { FlowscopeApp.isEditingInput(in: $0) == true }
    try app.tmux.keys("Home")
    try app.tmux.literal("30")
    try await app.tmux.waitFor("300 typed into the input") { screen in
      FlowscopeApp.content(ofBox: "Input (3)", in: screen).contains {
        $0.trimmingCharacters(in: .whitespaces).hasSuffix("300")
      }
    }
    try app.tmux.keys("C-r")
    // The trace must be known (its root span is reported) before the runtime can be asked to cancel.
    try await app.tmux.waitFor("slow running with its trace") { screen in
      FlowscopeApp.runs(in: screen).first?.words.last == "running"
        && FlowscopeApp.content(ofBox: "Trace (5)", in: screen).first?.contains("slow") == true
    }
    // `c` types a `c` in the editor: leave it first (and alone: Escape + key reads as Alt+key).
    try app.tmux.keys("Escape")
    try await app.tmux.waitFor("the editor left") { FlowscopeApp.isEditingInput(in: $0) == false }
    let pressed = ContinuousClock.now
    try app.tmux.keys("c")
    let cancelled = try await app.tmux.waitFor("slow cancelled") { screen in
      screen.contains("Output (4) · slow · cancelled")
        && FlowscopeApp.content(ofBox: "Trace (5)", in: screen).first?.contains("✖ slow") == true
    }
    #expect(ContinuousClock.now - pressed < .seconds(15), "the cancel waited for the flow")
    #expect(
      FlowscopeApp.content(ofBox: "Output (4)", in: cancelled).contains {
        $0.contains("CANCELLED: Action was cancelled")
      }, "\(cancelled)")
    try await Self.expectNewestRun(in: app, "✖", "slow")

    // The flow itself saw the cancellation: it wrote its marker.
    let deadline = ContinuousClock.now + .seconds(15)
    while !FileManager.default.fileExists(atPath: workspace.cancelMarker), ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(FileManager.default.fileExists(atPath: workspace.cancelMarker), "slow did not see the cancellation")

    try app.tmux.keys("q")
    let exit = try await app.waitForExit()
    #expect(exit.status == 0, "\(exit.screen)")
    #expect(!AttachWorkspace.exists(pid), "the Python app (pid \(pid)) still runs after q")
    #expect(workspace.runtimeFileNames.isEmpty, "runtime files left: \(workspace.runtimeFileNames)")
  }

  @Test(
    "start: closing the terminal (tmux kill-server: SIGHUP) stops the app", .tags(.pythonPeer),
    .timeLimit(.minutes(2)), .requiresPythonPeer)
  func startTerminalClosed() async throws {
    try await AttachWorkspace.with { workspace in try await Self.startTerminalClosed(workspace: workspace) }
  }

  static func startTerminalClosed(workspace: AttachWorkspace) async throws {
    let app = try workspace.launchStartPython()
    let pid = try await Self.waitForAttached(app).pid
    app.tmux.kill()
    // The app gets SIGTERM and Genkit removes its runtime file on the way out (about 2 s).
    let deadline = ContinuousClock.now + .seconds(10)
    while AttachWorkspace.isAlive(pid), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
    // The SIGHUP the kernel sends again when the shell (the session leader) exits must not kill
    // flowscope before it has stopped the app.
    #expect(!AttachWorkspace.isAlive(pid), "the app (pid \(pid)) outlived the closed terminal")
    #expect(workspace.runtimeFileNames.isEmpty, "runtime files left: \(workspace.runtimeFileNames)")
  }

  @Test(
    "start: an app that exits before its runtime comes up is reported with its last output", .timeLimit(.minutes(1)))
  func startAppExitsEarly() async throws {
    try await AttachWorkspace.with { workspace in try await Self.startAppExitsEarly(workspace: workspace) }
  }

  static func startAppExitsEarly(workspace: AttachWorkspace) async throws {
    let app = try workspace.launchStart([
      "/bin/sh", "-c", "echo 'attach-e2e: cannot import genkit'; exit 3",
    ])
    let exit = try await app.waitForExit()
    #expect(exit.status != 0)
    #expect(exit.tty == "sane")
    let screen = try app.tmux.screen(joined: true)
    #expect(screen.contains("the app exited (status 3) before its Genkit runtime came up"), "\(screen)")
    #expect(screen.contains("attach-e2e: cannot import genkit"), "the app's output is missing:\n\(screen)")
  }

  @Test("start --wait 1: an app that never starts Genkit times out and is stopped", .timeLimit(.minutes(1)))
  func startTimesOut() async throws {
    try await AttachWorkspace.with { workspace in try await Self.startTimesOut(workspace: workspace) }
  }

  static func startTimesOut(workspace: AttachWorkspace) async throws {
    // `exec` keeps the shell's pid: the printed pid is the sleeping process.
    let app = try workspace.launchStart(
      ["/bin/sh", "-c", "echo \"attach-e2e: sleeper pid $$\"; exec sleep 30"], extra: ["--wait", "1"])
    let started = ContinuousClock.now
    let exit = try await app.waitForExit()
    #expect(ContinuousClock.now - started < .seconds(20), "flowscope waited far longer than --wait 1")
    #expect(exit.status != 0)
    #expect(exit.tty == "sane")
    let screen = try app.tmux.screen(joined: true)
    #expect(screen.contains("no Genkit runtime registered in"), "\(screen)")
    let match = try #require(screen.firstMatch(of: /attach-e2e: sleeper pid (\d+)/), "\(screen)")
    let pid = try #require(Int32(match.1))
    #expect(!AttachWorkspace.isAlive(pid), "the app (pid \(pid)) still runs after the timeout")
  }

  // MARK: - flowscope attach

  @Test(
    "attach: discovers the running app; streamy streams; boom fails with kaboom; q leaves the app running",
    .tags(.pythonPeer), .timeLimit(.minutes(2)),
    .requiresPythonPeer)
  func attachDiscovers() async throws {
    try await AttachWorkspace.with { workspace in try await Self.attachDiscovers(workspace: workspace) }
  }

  static func attachDiscovers(workspace: AttachWorkspace) async throws {
    let (python, runtime) = try await workspace.startPythonApp()
    let app = try workspace.launchAttach()
    let attached = try await Self.waitForAttached(app)
    #expect(attached.pid == python.pid)
    #expect(attached.version == "py/0.12.0")

    try await app.runFlow("streamy")
    let streamy = try await app.tmux.waitFor("streamy done with its trace") { screen in
      screen.contains("Output (4) · streamy · done")
        && FlowscopeApp.content(ofBox: "Trace (5)", in: screen).first?.contains("✔ streamy") == true
    }
    try await Self.expectNewestRun(in: app, "✔", "streamy")
    #expect(streamy.contains("Output (4) · streamy · done · 5 chunks"), "\(streamy)")
    #expect(FlowscopeApp.content(ofBox: "Output (4)", in: streamy).contains { $0.contains("Once upon a time.") })

    try await app.runFlow("boom")
    let boom = try await app.tmux.waitFor("boom failed with its trace") { screen in
      screen.contains("Output (4) · boom · failed")
        && FlowscopeApp.content(ofBox: "Trace (5)", in: screen).first?.contains("✖ boom") == true
    }
    try await Self.expectNewestRun(in: app, "✖", "boom")
    #expect(FlowscopeApp.content(ofBox: "Output (4)", in: boom).contains { $0.contains("kaboom") }, "\(boom)")
    #expect(FlowscopeApp.runs(in: boom).map(\.name) == ["boom", "streamy"])

    try app.tmux.keys("q")
    let exit = try await app.waitForExit()
    #expect(exit.status == 0, "\(exit.screen)")
    #expect(exit.tty == "sane")
    // Attaching does not own the app: it keeps running and answering.
    #expect(python.isRunning, "quitting the debugger stopped the attached app")
    #expect(workspace.runtimeFiles.map(\.pid) == [python.pid])
    #expect(HealthProbe.status(port: try #require(runtime.port), path: "/api/__health") == 200)
  }

  @Test(
    "attach: with two apps running, the picker lists both and 2 attaches to the second", .tags(.pythonPeer),
    .timeLimit(.minutes(2)),
    .requiresPythonPeer)
  func attachPicker() async throws {
    try await AttachWorkspace.with { workspace in try await Self.attachPicker(workspace: workspace) }
  }

  static func attachPicker(workspace: AttachWorkspace) async throws {
    let (first, _) = try await workspace.startPythonApp()
    let (second, _) = try await workspace.startPythonApp()
    let app = try workspace.launchAttach()
    let picker = try await app.tmux.waitFor("the runtime picker with two entries") { screen in
      screen.contains("Several Genkit runtimes are running: attach to which?")
        && Self.pickerEntries(in: screen).count == 2
    }
    let entries = Self.pickerEntries(in: picker)
    #expect(entries.map(\.number) == [1, 2], "\(picker)")
    #expect(Set(entries.map(\.pid)) == [first.pid, second.pid], "\(picker)")
    let chosen = try #require(entries.last?.pid)

    try app.tmux.keys("2")
    let attached = try await Self.waitForAttached(app)
    #expect(attached.pid == chosen, "attached to pid \(attached.pid), not to entry 2 (pid \(chosen))")

    try app.tmux.keys("q")
    #expect(try await app.waitForExit().status == 0)
    #expect(first.isRunning && second.isRunning)
  }

  @Test(
    "attach: no running runtime prints NOT_FOUND and exits non-zero", .timeLimit(.minutes(1)),
    arguments: [false, true])
  func attachWithoutRuntime(staleFile: Bool) async throws {
    try await AttachWorkspace.with { workspace in
      try await Self.attachWithoutRuntime(workspace: workspace, staleFile: staleFile)
    }
  }

  static func attachWithoutRuntime(workspace: AttachWorkspace, staleFile: Bool) async throws {
    // With `staleFile`: a runtime that crashed left its file; nothing listens on its port.
    let reservation = staleFile ? try LoopbackPort.Reservation() : nil
    defer { reservation?.release() }
    if let reservation {
      try FileManager.default.createDirectory(at: workspace.runtimesDirectory, withIntermediateDirectories: true)
      let file = """
        {"id": "4194000-\(reservation.port)-1", "pid": 4194000, \
        "reflectionServerUrl": "http://127.0.0.1:\(reservation.port)", "timestamp": "2025-01-01T00:00:00.000Z", \
        "genkitVersion": "py/0.12.0", "reflectionApiSpecVersion": 1}
        """
      try Data(file.utf8).write(to: workspace.runtimesDirectory.appendingPathComponent("4194000-1-1.json"))
    }
    let app = try workspace.launchAttach()
    let exit = try await app.waitForExit()
    #expect(exit.status != 0)
    #expect(exit.tty == "sane")
    let screen = try app.tmux.screen(joined: true)
    #expect(
      screen.contains("NOT_FOUND: no running Genkit runtime in") && screen.contains(".genkit/runtimes"), "\(screen)")
    #expect(!screen.contains("┌"), "the debugger was drawn:\n\(screen)")
  }

  @Test(
    "attach: the app is killed while attached and the status bar says so", .tags(.pythonPeer),
    .timeLimit(.minutes(2)),
    .requiresPythonPeer)
  func attachedAppKilled() async throws {
    try await AttachWorkspace.with { workspace in try await Self.attachedAppKilled(workspace: workspace) }
  }

  static func attachedAppKilled(workspace: AttachWorkspace) async throws {
    let (python, _) = try await workspace.startPythonApp()
    let app = try workspace.launchAttach()
    let attached = try await Self.waitForAttached(app)
    #expect(attached.pid == python.pid)

    python.kill()
    let lost = try await app.tmux.waitFor("the status bar to show the lost runtime") { screen in
      guard let status = FlowscopeApp.connection(in: screen)?.status else { return false }
      return status == "gone" || status.hasPrefix("reconnecting")
    }
    #expect(FlowscopeApp.connection(in: lost)?.pid == python.pid, "\(lost)")

    // The debugger stays usable and quits cleanly.
    try app.tmux.keys("q")
    let exit = try await app.waitForExit()
    #expect(exit.status == 0, "\(exit.screen)")
    #expect(exit.tty == "sane")
  }

  // MARK: - Helpers

  /// Waits (up to 60 s: Python and Genkit start in a few seconds) until the debugger shows the Python
  /// app's flows and a connected runtime; returns the status bar's runtime.
  static func waitForAttached(
    _ app: FlowscopeApp, sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> (version: String, pid: Int32) {
    let screen = try await app.tmux.waitFor("the debugger attached to the Python app", timeout: .seconds(60)) {
      screen in
      FlowscopeApp.flowNames(in: screen) == pythonFlows && FlowscopeApp.connection(in: screen)?.status == "connected"
        && screen.contains("Output (4)") && screen.contains("Trace (5)")
    }
    let connection = try #require(FlowscopeApp.connection(in: screen), sourceLocation: sourceLocation)
    return (connection.version, connection.pid)
  }

  /// Expects the newest row of the Runs pane to show `icon flow` within 5 s (it takes milliseconds;
  /// a read of the store that lands after the run's end must not put it back to running).
  static func expectNewestRun(
    in app: FlowscopeApp, _ icon: String, _ flow: String, sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    try await app.tmux.waitFor("the newest run to be \(icon) \(flow)", timeout: .seconds(5)) { screen in
      FlowscopeApp.runs(in: screen).first?.words.prefix(2) == [icon, flow]
    }
  }

  /// The picker's entries: `1. py/0.12.0 pid 4242`.
  static func pickerEntries(in screen: String) -> [(number: Int, pid: Int32)] {
    screen.lines.compactMap { line in
      guard let match = line.firstMatch(of: /(\d+)\. py\/0\.12\.0 pid (\d+)/), let number = Int(match.1),
        let pid = Int32(match.2)
      else { return nil }
      return (number, pid)
    }
  }
}
