import Flows
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A failure of the tmux driver; the description carries what the test needs to see (the last screen).
struct TmuxError: Error, CustomStringConvertible {
  var description: String
}

/// Drives one private tmux server (its own socket, no user config) with one session, `app`.
///
/// tmux is started with `posix_spawn` + `waitpid` and an output file, never with Foundation.Process:
/// Process hangs when the command it starts leaves the tmux server daemon behind (it inherits
/// Process's monitoring descriptor). The spawn also resets the signal mask and dispositions:
/// Swift concurrency threads block almost every signal, and a tmux server inheriting that mask never
/// sees SIGCHLD or SIGTERM (zombie panes, `kill-server` ignored).
struct Tmux: Sendable {
  /// The tmux executable, or nil when tmux is not installed.
  static let executable: String? = {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin"]
    return directories.map { "\($0)/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  static var isAvailable: Bool { executable != nil }

  /// The private server's socket name (`tmux -L`).
  let socket: String
  /// The server's socket file (removed by `kill()`: tmux leaves it behind).
  var socketPath = ""
  /// The session (and pane) every command targets.
  let target = "app"

  /// Starts a private server with a detached `columns`×`rows` session running `command` (a shell
  /// command line) in `directory`, with `environment` added to the pane's environment.
  static func start(
    _ command: String, in directory: URL, columns: Int = 120, rows: Int = 40, environment: [String: String] = [:]
  ) throws -> Tmux {
    var tmux = Tmux(socket: "flowscope-e2e-\(getpid())-\(UUID().uuidString.prefix(8))")
    var arguments = ["new-session", "-d", "-s", tmux.target, "-x", "\(columns)", "-y", "\(rows)", "-c", directory.path]
    for (name, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["-e", "\(name)=\(value)"] }
    arguments.append(command)
    try tmux.run(arguments)
    do {
      tmux.socketPath = try tmux.run(["display-message", "-p", "#{socket_path}"]).trimmingCharacters(in: .newlines)
    } catch {
      tmux.kill()
      throw error
    }
    return tmux
  }

  /// Runs `tmux -L <socket> -f /dev/null <arguments>` to completion and returns its output.
  @discardableResult
  func run(_ arguments: [String]) throws -> String {
    let result = try Self.spawn(["-L", socket, "-f", "/dev/null"] + arguments)
    guard result.status == 0 else {
      throw TmuxError(description: "tmux \(arguments.joined(separator: " ")) exited \(result.status): \(result.output)")
    }
    return result.output
  }

  /// Sends tmux key names (`j`, `Enter`, `Escape`, `C-c`, `BTab`) in order.
  ///
  /// Do not put `Escape` and another key in one call: the app would read them as Alt+key.
  func keys(_ keys: String...) throws {
    try run(["send-keys", "-t", target] + keys)
  }

  /// Types `text` literally (UTF-8), without key-name lookup.
  func literal(_ text: String) throws {
    try run(["send-keys", "-t", target, "-l", text])
  }

  /// The visible screen as text (one line per row, trailing blanks trimmed); with `escapes`, including
  /// the SGR sequences of colours and attributes; with `joined`, wrapped lines joined.
  func screen(escapes: Bool = false, joined: Bool = false) throws -> String {
    var arguments = ["capture-pane", "-p", "-t", target]
    if escapes { arguments.append("-e") }
    if joined { arguments.append("-J") }
    return try run(arguments)
  }

  /// A tmux format evaluated for the pane, e.g. `#{alternate_on}` or `#{pane_title}`.
  func display(_ format: String) throws -> String {
    try run(["display-message", "-p", "-t", target, format]).trimmingCharacters(in: .newlines)
  }

  /// Resizes the window (the app gets SIGWINCH).
  func resize(columns: Int, rows: Int) throws {
    try run(["resize-window", "-t", target, "-x", "\(columns)", "-y", "\(rows)"])
  }

  /// Polls the screen every ~20 ms until `predicate` holds on a settled screen (two equal captures in
  /// a row) and returns it; after `timeout`
  /// throws an error with `description` and the last screen.
  @discardableResult
  func waitFor(
    _ description: String, timeout: Duration = .seconds(20), escapes: Bool = false,
    _ predicate: (String) throws -> Bool
  ) async throws -> String {
    let deadline = ContinuousClock.now + timeout
    var last = ""
    var previous: String?
    while true {
      last = try screen(escapes: escapes)
      // The screen must also be settled (the same on two captures in a row): a capture can land in
      // the middle of a repaint, where the predicate's text is drawn but the rest is not yet.
      if try predicate(last), last == previous { return last }
      previous = last
      if ContinuousClock.now >= deadline { break }
      try await Task.sleep(for: .milliseconds(20))
    }
    throw TmuxError(description: "timed out after \(timeout) waiting for \(description); last screen:\n\(last)")
  }

  /// Kills the private server and everything running in it. Never throws: use it in `defer`.
  func kill() {
    _ = try? Self.spawn(["-L", socket, "-f", "/dev/null", "kill-server"])
    if !socketPath.isEmpty { unlink(socketPath) }
  }

  // MARK: - posix_spawn

  /// Spawns tmux with `arguments`, stdin from /dev/null and stdout+stderr into a temporary file,
  /// waits for it and returns its exit status and output.
  static func spawn(_ arguments: [String]) throws -> (status: Int32, output: String) {
    guard let executable else { throw TmuxError(description: "tmux is not installed") }
    let outputPath = FileManager.default.temporaryDirectory
      .appendingPathComponent("flowscope-e2e-tmux-\(UUID().uuidString).out").path
    defer { unlink(outputPath) }

    var environment = ProcessInfo.processInfo.environment
    for name in ["TMUX", "TMUX_PANE", "FLOWSCOPE_DB"] { environment.removeValue(forKey: name) }
    let child: ChildProcess
    do {
      child = try ChildProcess.spawn(
        executable: executable, arguments: arguments, output: .file(outputPath), environment: environment)
    } catch {
      throw TmuxError(description: "cannot start tmux: \(error)")
    }
    let status = child.waitForExit()
    let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    return (status, output)
  }
}
