import Flows
import FlowsAI
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
  var model: ModelSetup? = nil

  static func resolveDatabasePath(_ option: String?) -> String {
    option ?? TraceStore.defaultPath(in: FileManager.default.currentDirectoryPath)
  }

  /// Opens the store (reporting failure as a warning) and registers the sample flows, with the AI
  /// flows on the model the options choose (the demo model when there are none).
  static func make(databasePath: String?, persist: Bool = true, model options: ModelOptions? = nil) async throws
    -> AppEnvironment
  {
    let runtime = FlowRuntime()
    var environment = AppEnvironment(runtime: runtime, store: nil, writer: nil)
    if let options {
      environment.model = try await ModelSetup.prepare(options, in: runtime)
    }
    SampleFlows.register(in: runtime, model: environment.model?.name ?? DemoModel.name)
    guard persist else { return environment }
    do {
      let store = try TraceStore(path: resolveDatabasePath(databasePath))
      return AppEnvironment(
        runtime: runtime, store: store, writer: TraceStoreWriter(store: store, bus: runtime.bus),
        model: environment.model)
    } catch {
      Console.error("warning: traces will not be saved: \(error)")
      return environment
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
    model?.stop()
    guard let writer else { return }
    await writer.stop()
    if let problem = writer.lastError { Console.error("warning: some trace data was not saved: \(problem)") }
  }
}
