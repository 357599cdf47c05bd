import Foundation
import Testing

/// The `flowscope` binary under tmux: a temporary working directory holding the trace database
/// (`traces.sqlite`, with `inputs.json` and `debugger.log` beside it), and screen helpers.
struct FlowscopeApp: Sendable {
  /// The built `flowscope` executable, next to the test bundle.
  static var binary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("flowscope")
  }

  let tmux: Tmux
  let directory: URL
  var database: String { directory.appendingPathComponent("traces.sqlite").path }

  /// A fresh temporary directory for one test (database, input history, log).
  static func makeDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowscope-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  /// `text` quoted for `sh`.
  static func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
  }

  /// A shell line running `prefix flowscope <arguments> --db <database>`, then printing
  /// `EXIT=<status> TTY=sane|raw` (raw: icanon or echo still off) and sleeping, so the exit status and
  /// the terminal state stay readable in the pane after the app exits.
  static func command(_ arguments: [String] = [], database: String, prefix: String = "") -> String {
    let line = ([quoted(binary.path)] + arguments.map(quoted) + ["--db", quoted(database)]).joined(separator: " ")
    return """
      \(prefix)\(line); rc=$?; t=sane; stty -a | grep -Eq -- '(^| )-(icanon|echo)( |;|$)' && t=raw; \
      echo "EXIT=$rc TTY=$t"; sleep 120
      """
  }

  /// Starts the debugger in `directory` (a fresh one when nil) at `columns`×`rows`, the demo model
  /// streaming a token every `paceMilliseconds`, and waits for its first screen.
  static func launch(
    in directory: URL? = nil, paceMilliseconds: Int = 5, columns: Int = 120, rows: Int = 40
  ) async throws -> FlowscopeApp {
    let directory = try directory ?? makeDirectory()
    let database = directory.appendingPathComponent("traces.sqlite").path
    let tmux = try Tmux.start(
      command(database: database), in: directory, columns: columns, rows: rows,
      environment: ["LANG": "C.UTF-8", "FLOWSCOPE_DEMO_PACE_MS": "\(paceMilliseconds)"])
    let app = FlowscopeApp(tmux: tmux, directory: directory)
    do {
      try await app.waitForMainScreen()
    } catch {
      tmux.kill()
      throw error
    }
    return app
  }

  /// Kills the tmux server and removes the temporary directory (unless `keepDirectory`).
  func close(keepDirectory: Bool = false) {
    tmux.kill()
    if !keepDirectory { try? FileManager.default.removeItem(at: directory) }
  }

  // MARK: - Screen

  /// Waits until every pane of the wide layout is drawn.
  @discardableResult
  func waitForMainScreen() async throws -> String {
    try await tmux.waitFor("the five panes") { screen in
      ["┌ Flows (1)", "┌ Runs (2)", "Input (3)", "Trace (5)"].allSatisfy(screen.contains)
        && screen.contains("Output (4)")
    }
  }

  /// Waits for the `EXIT=<status> TTY=<state>` line printed after the app exits; returns both.
  func waitForExit() async throws -> (status: Int, tty: String, screen: String) {
    let screen = try await tmux.waitFor("the app to exit (EXIT=…)") { Self.exitLine(in: $0) != nil }
    guard let exit = Self.exitLine(in: screen) else { throw TmuxError(description: "no exit line in:\n\(screen)") }
    return (exit.status, exit.tty, screen)
  }

  /// The `EXIT=<status> TTY=<state>` line printed by `command`, parsed.
  static func exitLine(in screen: String) -> (status: Int, tty: String)? {
    guard let match = screen.firstMatch(of: /EXIT=(\d+) TTY=(\w+)/), let status = Int(match.1) else { return nil }
    return (status, String(match.2))
  }

  /// Moves the Flows selection to `flow` (focusing Flows) and waits until the Input pane shows it.
  func selectFlow(_ flow: String) async throws {
    let screen = try tmux.screen()
    let rows = Self.rows(ofBox: "Flows (1)", in: screen)
    guard let target = rows.firstIndex(where: { $0.name == flow }) else {
      throw TmuxError(description: "no flow \(flow) in the Flows pane:\n\(screen)")
    }
    let current = rows.firstIndex(where: \.isSelected) ?? 0
    let moves = Array(repeating: target > current ? "j" : "k", count: abs(target - current))
    try tmux.run(["send-keys", "-t", tmux.target, "1"] + moves)
    try await tmux.waitFor("\(flow) selected in Flows") { screen in
      Self.rows(ofBox: "Flows (1)", in: screen).first(where: \.isSelected)?.name == flow
        && screen.contains("Input (3) · \(flow) ")
    }
  }

  /// Selects `flow` and presses Enter (runs it with its input).
  func runFlow(_ flow: String) async throws {
    try await selectFlow(flow)
    try tmux.keys("Enter")
  }

  /// One row of a list box in the left column (Flows, Runs): its marker-less text split into words.
  struct ListRow: Equatable {
    var isSelected: Bool
    /// The row's words after the selection marker, e.g. `["✔", "jokeFlow", "106", "ms"]`.
    var words: [String]
    /// The first word that is not a status icon.
    var name: String? { words.first { !["✔", "✖"].contains($0) && !Self.isSpinner($0) } }

    static func isSpinner(_ word: String) -> Bool {
      word.unicodeScalars.count == 1 && (0x2800...0x28FF).contains(word.unicodeScalars.first?.value ?? 0)
    }
  }

  /// The rows of the box titled `title` in the left column of the wide layout.
  static func rows(ofBox title: String, in screen: String) -> [ListRow] {
    let lines = screen.components(separatedBy: "\n")
    guard let top = lines.firstIndex(where: { $0.hasPrefix("┌ \(title)") }) else { return [] }
    var rows: [ListRow] = []
    for line in lines[(top + 1)...] {
      guard line.hasPrefix("│") else { break }
      let inner = line.dropFirst().prefix { $0 != "│" }
      let isSelected = inner.hasPrefix("▸")
      let words = inner.drop { $0 == "▸" }.split(separator: " ").map(String.init)
      if !words.isEmpty { rows.append(ListRow(isSelected: isSelected, words: words)) }
    }
    return rows
  }

  /// The rows of the Runs pane, newest first.
  static func runs(in screen: String) -> [ListRow] {
    rows(ofBox: "Runs (2)", in: screen)
  }

  /// The inner lines (trailing blanks trimmed) of the box in the right column whose title line contains
  /// `title` (e.g. `Output (4)`, `Trace (5)`, `Span · getWeather`), in the wide layout.
  static func content(ofBox title: String, in screen: String) -> [String] {
    let lines = screen.components(separatedBy: "\n")
    guard let top = lines.firstIndex(where: { $0.contains("┌ \(title)") }) else { return [] }
    var content: [String] = []
    for line in lines[(top + 1)...] {
      // `│<left pane>││<right pane>│` or `└──┘│<right pane>│`: the right pane is the last cell.
      var cells = line.components(separatedBy: "│")
      if cells.last == "" { cells.removeLast() }
      guard let last = cells.last, cells.count >= 2, !last.hasPrefix("└") else { break }
      content.append(String(last.reversed().drop { $0 == " " }.reversed()))
    }
    return content
  }

  /// The index (0 = root) of the first row of the Trace pane containing `text`.
  static func traceRow(containing text: String, in screen: String) -> Int? {
    content(ofBox: "Trace (5)", in: screen).filter { !$0.isEmpty }.firstIndex { $0.contains(text) }
  }

  /// Focuses Trace, selects the first row containing `text` and presses Enter (opens the inspector).
  func inspectTraceRow(containing text: String) async throws {
    let screen = try tmux.screen()
    guard let row = Self.traceRow(containing: text, in: screen) else {
      throw TmuxError(description: "no trace row containing \(text):\n\(screen)")
    }
    try tmux.run(["send-keys", "-t", tmux.target, "5", "g"] + Array(repeating: "j", count: row) + ["Enter"])
  }
}

extension String {
  /// The lines of a captured screen.
  var lines: [Substring] { split(separator: "\n", omittingEmptySubsequences: false) }

  /// Terminal columns taken by the text: 0 for controls, combining marks and variation selectors, 2 for
  /// East Asian wide characters and emoji, 1 otherwise (enough for the characters the app draws).
  var displayWidth: Int {
    unicodeScalars.reduce(0) { width, scalar in
      switch scalar.value {
      case 0..<0x20, 0x7F..<0xA0, 0x300...0x36F, 0x200B...0x200F, 0xFE00...0xFE0F: width
      case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
        0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1FAFF, 0x20000...0x3FFFD:
        width + 2
      default: width + 1
      }
    }
  }
}

extension Substring {
  var displayWidth: Int { String(self).displayWidth }
}
