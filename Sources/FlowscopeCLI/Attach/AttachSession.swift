import ArgumentParser
import Flows
import FlowsClient
import FlowscopeTUI
import Foundation
import TraceStore

/// What `flowscope attach` and `flowscope start` share: the trace store, the bus the debugger
/// watches, and the telemetry listener the attached runtime exports to.
struct AttachSession {
  let store: TraceStore
  let bus: EventBus
  let listener: TelemetryListener
  let stateDirectory: URL

  /// Opens the store (a temporary one, with a warning, when the usual one cannot be opened: the
  /// attached runtime's spans need somewhere to go) and starts listening for spans.
  static func open(databasePath option: String?, telemetryPort: Int?) async throws -> AttachSession {
    let path = AppEnvironment.resolveDatabasePath(option)
    let store: TraceStore
    var stateDirectory = URL(fileURLWithPath: path).deletingLastPathComponent()
    do {
      store = try TraceStore(path: path)
    } catch {
      let fallback = FileManager.default.temporaryDirectory
        .appendingPathComponent("flowscope-\(ProcessInfo.processInfo.processIdentifier)")
      Console.error("warning: \(error); traces of this session go to \(fallback.path) and are not kept")
      do {
        try FileManager.default.createDirectory(at: fallback, withIntermediateDirectories: true)
        store = try TraceStore(path: fallback.appendingPathComponent("traces.sqlite").path)
        stateDirectory = fallback
      } catch {
        throw CLIFailure(message: "UNAVAILABLE: no trace store can be opened: \(error)")
      }
    }
    let bus = EventBus()
    let listener = try await TelemetryListener.start(store: store, bus: bus, port: telemetryPort)
    return AttachSession(store: store, bus: bus, listener: listener, stateDirectory: stateDirectory)
  }

  func debuggerOptions(_ display: DisplayOptions) -> DebuggerOptions {
    DebuggerOptions(
      theme: display.theme, mouse: !display.noMouse,
      inputHistoryURL: stateDirectory.appendingPathComponent("inputs.json"),
      logURL: stateDirectory.appendingPathComponent("debugger.log"))
  }

  /// Connects to `runtime`: tells it where to export, reads its flows. A runtime that does not
  /// answer is an error the user can act on.
  func connect(to runtime: RuntimeInfo, searchRoots: [URL], appLog: AsyncStream<[String]>? = nil) async throws
    -> RemoteTarget
  {
    let client = ReflectionClient(baseURL: runtime.reflectionServerUrl)
    let flows: [FlowEntry]
    do {
      flows = try await RemoteTarget.prepare(client: client, telemetryURL: listener.url)
    } catch {
      throw CLIFailure(
        message: "UNAVAILABLE: the Genkit runtime at \(runtime.reflectionServerUrl) did not answer: \(error)")
    }
    return RemoteTarget(
      runtime: runtime, client: client, flows: flows, bus: bus, telemetryURL: listener.url,
      searchRoots: searchRoots, appLog: appLog)
  }

  /// Runs the debugger on `target` until the user quits.
  func debug(_ target: RemoteTarget, display: DisplayOptions) async throws {
    try await Debugger.run(target: target, store: store, writer: nil, options: debuggerOptions(display))
  }

  func close() async {
    await listener.stop()
  }

  /// Fails with exit code 2 and one line when there is no usable terminal.
  static func requireTerminal() throws {
    do {
      _ = try TerminalAvailability.checkCurrentProcess()
    } catch {
      Console.error("flowscope: \(error)")
      throw ExitCode(2)
    }
  }
}
