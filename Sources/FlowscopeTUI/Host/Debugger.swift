import Flows
import Foundation
import TraceStore

/// The terminal debugger's entry point.
public enum Debugger {
  /// Opens the debugger on `runtime`'s flows and runs it until the user quits. The UI runs on the
  /// main thread (ncurses and terminal signals need it); flows run on the cooperative pool.
  ///
  /// - Throws: `TerminalUnavailableError` (one line, for the user) when there is no usable
  ///   terminal, and theme errors for a bad `--theme`.
  public static func run(
    runtime: FlowRuntime, store: TraceStore?, writer: TraceStoreWriter?, options: DebuggerOptions
  ) async throws {
    try await run(target: LocalTarget(runtime: runtime), store: store, writer: writer, options: options)
  }

  /// Opens the debugger on `target` (the in-process registry, or an attached Genkit runtime) and
  /// runs it until the user quits.
  public static func run(
    target: any DebugTarget, store: TraceStore?, writer: TraceStoreWriter?, options: DebuggerOptions
  ) async throws {
    let theme = try loadTheme(options)
    let pending = try await MainActor.run { () throws -> [Task<Void, Never>] in
      let terminal = try NcursesTerminal(environment: options.environment)
      let capture = options.logURL.map(StandardErrorCapture.init(url:))
      defer {
        terminal.close()
        if capture?.restore() == true, let url = capture?.url {
          StandardStream.error.write("flowscope: messages from the session are in \(url.path)\n")
        }
      }
      terminal.styleResolver = theme.resolver(
        depth: Theme.effectiveDepth(terminalDepth: terminal.colorDepth, environment: options.environment))
      terminal.mouseCaptureEnabled = options.mouse
      let inbox = try Inbox<HostEvent>()
      let host = DebuggerHost(
        terminal: terminal, inbox: inbox, target: target, store: store, writer: writer, options: options)
      UILoop(terminal: terminal, inbox: inbox, delegate: host).run()
      return host.stop()
    }
    for task in pending { await task.value }
  }

  static func loadTheme(_ options: DebuggerOptions) throws -> Theme {
    guard let name = options.theme else { return Theme.defaultDark }
    let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "flowscope")
    return try Theme.load(
      nameOrPath: name,
      searchDirectories: Theme.defaultSearchDirectories(environment: options.environment, executableURL: executable))
  }
}
