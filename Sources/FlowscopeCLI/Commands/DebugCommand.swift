import ArgumentParser
import FlowscopeTUI
import Foundation

/// `flowscope` / `flowscope debug`: the terminal debugger on the sample flows.
struct DebugCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "debug",
    abstract: "Open the terminal debugger: pick a flow, edit its input, run it, watch it stream, inspect its trace.",
    discussion: """
      Press ? inside for every key. Needs an interactive terminal; for scripts use `flowscope run` and \
      `flowscope traces`. NO_COLOR turns colours off.
      """
  )

  @OptionGroup var display: DisplayOptions
  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var modelOptions: ModelOptions

  func run() async throws {
    let environment = ProcessInfo.processInfo.environment
    do {
      _ = try TerminalAvailability.checkCurrentProcess()
    } catch {
      Console.error("flowscope: \(error)")
      throw ExitCode(2)
    }
    let app = try await AppEnvironment.make(databasePath: storeOptions.db, model: modelOptions)
    let databasePath = AppEnvironment.resolveDatabasePath(storeOptions.db)
    let stateDirectory = URL(fileURLWithPath: databasePath).deletingLastPathComponent()
    let options = DebuggerOptions(
      theme: display.theme, mouse: !display.noMouse,
      inputHistoryURL: stateDirectory.appendingPathComponent("inputs.json"),
      logURL: stateDirectory.appendingPathComponent("debugger.log"),
      environment: environment, exampleInputs: SampleFlows.exampleInputs)
    do {
      try await Debugger.run(runtime: app.runtime, store: app.store, writer: app.writer, options: options)
    } catch {
      await app.finish()
      Console.error("flowscope: \(error)")
      throw ExitCode(2)
    }
    await app.finish()
  }
}
