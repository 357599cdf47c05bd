import Flows
import FlowsTestSupport
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Tag {
  /// Tests of `flowscope attach` and `flowscope start`.
  @Tag static var attach: Self
  /// Tests that need the Python peer venv (scripts/install-peer.sh).
  @Tag static var pythonPeer: Self
}

/// The Python Genkit app Tests/Peer/attach_app.py and the venv that runs it (made by
/// scripts/install-peer.sh, as for Tests/PeerCompatibilityTests).
enum PythonPeer {
  /// `<venv>/bin/python`.
  static var python: String { PythonPeerVenv.executable("python") }

  /// Tests/Peer/attach_app.py in this checkout.
  static var app: String { PythonPeerVenv.appDirectory + "/attach_app.py" }

  static var isInstalled: Bool { PythonPeerVenv.isInstalled(executable: "python", app: "attach_app.py") }
}

extension Trait where Self == ConditionTrait {
  /// Skips a test when the Python peer venv is missing.
  static var requiresPythonPeer: Self {
    .enabled(
      if: PythonPeer.isInstalled, Comment(rawValue: PythonPeerVenv.missingMessage))
  }
}

/// A runtime file written under `<project>/.genkit/runtimes`.
struct RuntimeFile: Sendable, Equatable {
  var path: String
  var pid: Int32
  var reflectionServerUrl: String
  var genkitVersion: String?

  /// The port of the reflection server (`http://127.0.0.1:<port>`).
  var port: Int? { reflectionServerUrl.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) } }
}

/// One test's project directory (the cwd of everything it starts): an empty `requirements.txt` makes
/// it the Genkit project root, so `.genkit/runtimes` and the trace database land there. Everything
/// started through it (tmux servers, Python apps) carries a unique tag in its environment and is
/// stopped by `cleanUp()`, also what the debugger started and lost track of.
final class AttachWorkspace: Sendable {
  let directory: URL
  /// `FLOWSCOPE_E2E_TAG=<tag>` is in the environment of every process this workspace starts.
  let tag = UUID().uuidString
  /// The port the debugger receives spans on (free when the workspace was made).
  let telemetryPort: Int
  private let sessions = Mutex<[Tmux]>([])
  private let apps = Mutex<[PythonApp]>([])

  static let tagVariable = "FLOWSCOPE_E2E_TAG"

  init() throws {
    directory = try FlowscopeApp.makeDirectory()
    try Data().write(to: directory.appendingPathComponent("requirements.txt"))
    telemetryPort = try LoopbackPort.pickFree()
  }

  var database: String { directory.appendingPathComponent("traces.sqlite").path }
  /// The file attach_app.py's `slow` flow creates when it is cancelled.
  var cancelMarker: String { directory.appendingPathComponent("cancelled.marker").path }
  var runtimesDirectory: URL { directory.appendingPathComponent(".genkit/runtimes") }

  /// The runtime files currently in `.genkit/runtimes` (`*.json`), readable or not.
  var runtimeFileNames: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: runtimesDirectory.path)) ?? []).filter {
      $0.hasSuffix(".json")
    }
  }

  /// The runtime files that parse (pid and reflection URL present).
  var runtimeFiles: [RuntimeFile] {
    runtimeFileNames.sorted().compactMap { name in
      let path = runtimesDirectory.appendingPathComponent(name).path
      guard let data = FileManager.default.contents(atPath: path),
        let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let pid = (object["pid"] as? NSNumber)?.int32Value,
        let url = object["reflectionServerUrl"] as? String
      else { return nil }
      return RuntimeFile(
        path: path, pid: pid, reflectionServerUrl: url, genkitVersion: object["genkitVersion"] as? String)
    }
  }

  /// The environment every process of the test gets (on top of the test process's, minus the
  /// variables that would change what Genkit or Flowscope do).
  func environment(adding extra: [String: String] = [:]) -> [String: String] {
    var environment: [String: String] = [
      "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1",
      "ATTACH_APP_CANCEL_MARKER": cancelMarker, Self.tagVariable: tag,
    ]
    environment.merge(extra) { _, new in new }
    return environment
  }

  // MARK: - flowscope in tmux

  /// A shell line running `flowscope <arguments>` (which must already hold `--db` where the command
  /// wants it), then printing `EXIT=<status> TTY=sane|raw` like `FlowscopeApp.command`, so that
  /// `FlowscopeApp.waitForExit` reads it.
  static func command(_ arguments: [String]) -> String {
    let line = ([FlowscopeApp.quoted(FlowscopeApp.binary.path)] + arguments.map(FlowscopeApp.quoted)).joined(
      separator: " ")
    return """
      \(line); rc=$?; t=sane; stty -a | grep -Eq -- '(^| )-(icanon|echo)( |;|$)' && t=raw; \
      echo "EXIT=$rc TTY=$t"; sleep 120
      """
  }

  /// Starts `flowscope <arguments>` in a tmux pane (cwd: this directory) and returns the app handle
  /// (its tmux server is killed by `cleanUp()`).
  func launch(_ arguments: [String], columns: Int = 140, rows: Int = 45) throws -> FlowscopeApp {
    let tmux = try Tmux.start(
      Self.command(arguments), in: directory, columns: columns, rows: rows, environment: environment())
    sessions.withLock { $0.append(tmux) }
    return FlowscopeApp(tmux: tmux, directory: directory)
  }

  /// `flowscope start --telemetry-port <port> --db <db> [extra] -- <command>`.
  func launchStart(_ command: [String], extra: [String] = []) throws -> FlowscopeApp {
    try launch(
      ["start", "--telemetry-port", "\(telemetryPort)", "--db", database] + extra + ["--"] + command)
  }

  /// `flowscope attach --telemetry-port <port> --db <db>` (discovery in this directory).
  func launchAttach() throws -> FlowscopeApp {
    try launch(["attach", "--telemetry-port", "\(telemetryPort)", "--db", database])
  }

  /// `flowscope start … -- <venv python> attach_app.py`.
  func launchStartPython() throws -> FlowscopeApp {
    try launchStart([PythonPeer.python, PythonPeer.app])
  }

  // MARK: - Python apps started by the test

  /// Starts attach_app.py in dev mode, exporting its spans to `telemetryPort`, and waits until its
  /// runtime file is written and its reflection server answers.
  func startPythonApp() async throws -> (app: PythonApp, runtime: RuntimeFile) {
    let app = try PythonApp(
      directory: directory,
      logPath: directory.appendingPathComponent("attach_app-\(UUID().uuidString.prefix(6)).log").path,
      environment: TestProcessEnvironment.base(
        adding: environment(adding: [
          "GENKIT_ENV": "dev", "GENKIT_TELEMETRY_SERVER": "http://127.0.0.1:\(telemetryPort)",
        ])))
    apps.withLock { $0.append(app) }
    let runtime = try await waitForRuntime(of: app.pid, timeout: .seconds(60)) {
      app.isRunning ? nil : "attach_app.py exited with \(app.process.pollExit() ?? -1):\n\(app.log)"
    }
    return (app, runtime)
  }

  /// Waits until a runtime file of process `pid` exists and its reflection server answers
  /// `GET /api/__health`; `failure` returns a reason to stop waiting (e.g. the process exited).
  func waitForRuntime(
    of pid: Int32, timeout: Duration, failure: () -> String? = { nil }
  ) async throws -> RuntimeFile {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
      if let reason = failure() { throw TmuxError(description: reason) }
      if let runtime = runtimeFiles.first(where: { $0.pid == pid }), let port = runtime.port,
        HealthProbe.status(port: port, path: "/api/__health") == 200
      {
        return runtime
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw TmuxError(
      description: "no live runtime of pid \(pid) within \(timeout); runtime files: \(runtimeFileNames)\n\(appLogs)")
  }

  /// The output of every Python app started so far, for failure messages.
  var appLogs: String {
    apps.withLock { $0 }.map { "--- attach_app.py pid \($0.pid):\n\($0.log)" }.joined(separator: "\n")
  }

  // MARK: - Cleaning up

  /// Kills the tmux servers, the Python apps, and every other process carrying this workspace's
  /// tag (e.g. the app `flowscope start` ran, when the test failed before it quit), then removes the
  /// directory. Never throws: use it in `defer`.
  func cleanUp() {
    for tmux in sessions.withLock({ $0 }) { tmux.kill() }
    for app in apps.withLock({ $0 }) { app.stop() }
    let deadline = ContinuousClock.now + .seconds(5)
    var tagged = Self.processes(tagged: tag)
    while !tagged.isEmpty {
      for pid in tagged {
        // The app `flowscope start` runs leads its own process group: take the group too.
        if getpgid(pid) == pid { kill(-pid, SIGKILL) }
        kill(pid, SIGKILL)
      }
      if ContinuousClock.now >= deadline { break }
      usleep(20_000)
      tagged = Self.processes(tagged: tag)
    }
    // Without /proc (macOS): the processes that registered a runtime here. (With /proc, a stale
    // file's pid may have been reused by another process: leave it alone.)
    let hasProc = FileManager.default.fileExists(atPath: "/proc/self/environ")
    for runtime in runtimeFiles where !hasProc && runtime.pid > 0 && Self.isAlive(runtime.pid) {
      kill(-runtime.pid, SIGKILL)
      kill(runtime.pid, SIGKILL)
    }
    try? FileManager.default.removeItem(at: directory)
  }

  /// The live (non-zombie) processes whose environment holds `FLOWSCOPE_E2E_TAG=<tag>` (Linux).
  static func processes(tagged tag: String) -> [Int32] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    let needle = Array("\(tagVariable)=\(tag)".utf8)
    return entries.compactMap { Int32($0) }.filter { pid in
      guard pid != getpid(), let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
        let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        !stat.contains(") Z ")
      else { return false }
      return environ.split(separator: 0).contains { Array($0) == needle }
    }
  }

  /// True while a process `pid` exists (zombies included: kill(pid, 0) succeeds on them).
  static func exists(_ pid: Int32) -> Bool {
    kill(pid, 0) == 0 || errno == EPERM
  }

  /// True while `pid` exists and is not a zombie.
  static func isAlive(_ pid: Int32) -> Bool {
    guard exists(pid) else { return false }
    if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) { return !stat.contains(") Z ") }
    return true
  }

  /// Runs `body` with a fresh workspace, cleaning up whatever happens; a failure carries the logs
  /// of the Python apps and of the debugger.
  static func with<T>(_ body: (AttachWorkspace) async throws -> T) async throws -> T {
    let workspace = try AttachWorkspace()
    defer { workspace.cleanUp() }
    do {
      return try await body(workspace)
    } catch {
      let debuggerLog =
        (try? String(contentsOf: workspace.directory.appendingPathComponent("debugger.log"), encoding: .utf8)) ?? ""
      throw TmuxError(
        description: "\(error)\n\(workspace.appLogs)\n--- debugger.log:\n\(debuggerLog.suffix(4_000))")
    }
  }
}

/// attach_app.py started by a test (not by `flowscope start`): Python leads its own process group.
final class PythonApp: Sendable {
  let process: ChildProcess
  let logPath: String

  var pid: Int32 { process.pid }
  var isRunning: Bool { process.isRunning }
  var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  init(directory: URL, logPath: String, environment: [String: String]) throws {
    self.logPath = logPath
    // `exec` keeps the shell's pid: the group leader and the runtime file's pid are Python's.
    process = try ChildProcess.spawn(
      executable: "/bin/sh",
      arguments: [
        "-c", #"cd "$1" && exec "$2" "$3""#, "sh", directory.path, PythonPeer.python, PythonPeer.app,
      ],
      output: .file(logPath), environment: environment, newProcessGroup: true)
  }

  /// SIGKILL to the whole group, then reaps it (the runtime file stays behind, as after a crash).
  func kill() {
    process.send(SIGKILL)
    process.waitForExit()
  }

  /// SIGTERM (SIGKILL after 5 s) to the whole group; returns once reaped.
  func stop() { process.terminate(gracePeriod: .seconds(5)) }
}

enum TestProcessEnvironment {
  /// This process's environment without variables that would change what Genkit or Flowscope do,
  /// plus `extra`.
  static func base(adding extra: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment.filter {
      !$0.key.hasPrefix("GENKIT_") && !$0.key.hasPrefix("FLOWSCOPE_") && !["TMUX", "TMUX_PANE"].contains($0.key)
    }
    environment.merge(extra) { _, new in new }
    return environment
  }
}

/// A plain `GET` over a loopback socket (no HTTP client library in this test target).
enum HealthProbe {
  /// The status code of `GET <path>` on 127.0.0.1:`port`, or nil when nothing answers within a second.
  static func status(port: Int, path: String) -> Int? {
    guard let fd = LoopbackSocket.connect(port: port, timeoutSeconds: 1) else { return nil }
    defer { close(fd) }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
    guard send(fd, request, request.count, 0) == request.count else { return nil }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4_096)
    while !received.contains(UInt8(ascii: "\n")) {
      let count = recv(fd, &buffer, buffer.count, 0)
      guard count > 0 else { break }
      received += buffer[0..<count]
    }
    let line = String(decoding: received, as: UTF8.self).split(separator: "\r\n").first ?? ""
    let parts = line.split(separator: " ")
    guard parts.count >= 2, parts[0].hasPrefix("HTTP/") else { return nil }
    return Int(parts[1])
  }
}

extension FlowscopeApp {
  /// The status bar's connection label, e.g. `("connected", "py/0.12.0", 4242)`.
  static func connection(in screen: String) -> (status: String, version: String, pid: Int32)? {
    guard let last = screen.lines.last(where: { !$0.isEmpty }),
      let match = last.firstMatch(of: /● (connected|reconnecting(?: \(\d+\))?|gone) (\S+) pid (\d+)/),
      let pid = Int32(match.3)
    else { return nil }
    return (String(match.1), String(match.2), pid)
  }

  /// Whether the Input pane's editor has the keyboard (its footer says `Esc leaves`, else `i edits`);
  /// nil when the footer shows neither.
  static func isEditingInput(in screen: String) -> Bool? {
    let footer = content(ofBox: "Input (3)", in: screen)
    if footer.contains(where: { $0.contains("Esc leaves") }) { return true }
    if footer.contains(where: { $0.contains("i edits") }) { return false }
    return nil
  }

  /// The names listed in the Flows pane.
  static func flowNames(in screen: String) -> [String] {
    rows(ofBox: "Flows (1)", in: screen).compactMap(\.name)
  }
}
