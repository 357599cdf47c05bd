import ArgumentParser
import FlowsClient
import FlowscopeTUI
import Foundation

/// `flowscope attach [URL]`: the debugger on a running Genkit runtime (JS, Go, Python or Flowscope).
struct AttachCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "attach",
    abstract: "Open the debugger on a running Genkit app (JS, Go, Python) through its reflection API.",
    discussion: """
      Without a URL, finds the runtimes the app registered in .genkit/runtimes under the project root (as the \
      genkit CLI does): newest first, health-checked, with a picker when several run. The app must run in dev \
      mode (GENKIT_ENV=dev). Its spans are received on 127.0.0.1:4033 (--telemetry-port), and the runtime is \
      told so through /api/notify; runtimes that ignore it (Python) need \
      GENKIT_TELEMETRY_SERVER=http://127.0.0.1:4033 when they start, or use `flowscope start -- <command>`.
      """
  )

  @Argument(help: "The runtime's reflection API, e.g. http://127.0.0.1:3100 (default: discover).")
  var url: String?

  @Option(name: .long, help: "Port for receiving the runtime's spans (default 4033, else any free port).")
  var telemetryPort: Int?

  @OptionGroup var display: DisplayOptions
  @OptionGroup var storeOptions: StoreOptions

  func validate() throws {
    if let telemetryPort, !(0...65_535).contains(telemetryPort) {
      throw ValidationError("--telemetry-port must be between 0 and 65535")
    }
  }

  func run() async throws {
    try AttachSession.requireTerminal()
    let roots = RemoteTarget.searchRoots()
    let runtime: RuntimeInfo
    let discovered: Bool
    if let url {
      runtime = try await Self.runtime(at: url)
      discovered = false
    } else {
      guard let chosen = try await Self.discover(in: roots, display: display) else { return }
      runtime = chosen
      discovered = true
    }
    let session = try await AttachSession.open(databasePath: storeOptions.db, telemetryPort: telemetryPort)
    do {
      let target = try await session.connect(to: runtime, searchRoots: discovered ? roots : [])
      try await session.debug(target, display: display)
    } catch {
      await session.close()
      throw error
    }
    await session.close()
  }

  /// The runtime at an explicit URL (`http://` added when missing), health-checked.
  static func runtime(at url: String) async throws -> RuntimeInfo {
    let base = url.contains("://") ? url : "http://\(url)"
    let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
    do {
      try await ReflectionClient(baseURL: trimmed).health()
    } catch {
      throw CLIFailure(message: "UNAVAILABLE: no Genkit runtime answers at \(trimmed): \(error)")
    }
    return RuntimeInfo(id: "", pid: nil, reflectionServerUrl: trimmed)
  }

  /// The live runtimes of the project; the user picks one when there are several. Nil: cancelled.
  static func discover(in roots: [URL], display: DisplayOptions) async throws -> RuntimeInfo? {
    let live = await RemoteTarget.liveRuntimes(in: roots)
    guard let newest = live.first else {
      throw CLIFailure(
        message: """
          NOT_FOUND: no running Genkit runtime in \(roots.map { "\($0.path)/.genkit/runtimes" }.joined(separator: " or ")). Start the app in dev mode \
          (GENKIT_ENV=dev), run it with `flowscope start -- <command>`, or give its reflection URL: \
          flowscope attach http://127.0.0.1:3100
          """)
    }
    guard live.count > 1 else { return newest }
    let choices = live.map { runtime in
      PickerChoice(
        title: RemoteTarget.describe(runtime).name,
        detail: "\(runtime.reflectionServerUrl)" + (runtime.timestamp.map { " · started \($0)" } ?? ""))
    }
    let options = DebuggerOptions(theme: display.theme, mouse: false)
    return try await Debugger.pickRuntime(choices, options: options).map { live[$0] }
  }
}
