import Flows
import Foundation
import TraceStore

/// The runtime with the sample flows, and the trace store with its writer attached to the bus.
///
/// The store is optional on purpose: when it cannot be opened the flows still run, and the reason is
/// reported once on standard error.
struct AppEnvironment {
  let runtime: FlowRuntime
  let store: TraceStore?
  let writer: TraceStoreWriter?

  static func resolveDatabasePath(_ option: String?) -> String {
    option ?? TraceStore.defaultPath(in: FileManager.default.currentDirectoryPath)
  }

  /// Opens the store (reporting failure as a warning) and registers the sample flows.
  static func make(databasePath: String?, persist: Bool = true) -> AppEnvironment {
    let runtime = FlowRuntime()
    SampleFlows.register(in: runtime)
    guard persist else { return AppEnvironment(runtime: runtime, store: nil, writer: nil) }
    do {
      let store = try TraceStore(path: resolveDatabasePath(databasePath))
      return AppEnvironment(runtime: runtime, store: store, writer: TraceStoreWriter(store: store, bus: runtime.bus))
    } catch {
      Console.error("warning: traces will not be saved: \(error)")
      return AppEnvironment(runtime: runtime, store: nil, writer: nil)
    }
  }

  /// Opens the store for reading; failure is an error.
  static func openStore(_ option: String?) throws -> TraceStore {
    do {
      return try TraceStore(path: resolveDatabasePath(option))
    } catch {
      throw CLIFailure(message: "\(error)")
    }
  }

  /// Writes everything recorded so far, reporting (not throwing) a store failure.
  func finish() async {
    guard let writer else { return }
    await writer.stop()
    if let problem = writer.lastError { Console.error("warning: some trace data was not saved: \(problem)") }
  }
}
