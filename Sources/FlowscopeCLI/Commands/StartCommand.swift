import ArgumentParser
import FlowsClient
import FlowscopeTUI
import Foundation

/// `flowscope start -- <command…>`: run a Genkit app in dev mode and debug it (like `genkit start`).
struct StartCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "start",
    abstract: "Run a Genkit app in dev mode and open the debugger on it (like `genkit start`).",
    discussion: """
      Starts the command with GENKIT_ENV=dev, GENKIT_TELEMETRY_SERVER pointing at this debugger and realtime \
      telemetry on, waits for the runtime file it writes under .genkit/runtimes, then attaches. The app's \
      output goes to the debugger's log view (A), not the screen. Quitting stops the app and whatever it \
      started (its process group).
      Example: flowscope start -- python app.py
      """
  )

  @Option(name: .long, help: "Port for receiving the app's spans (default 4033, else any free port).")
  var telemetryPort: Int?

  @Option(name: .long, help: "Seconds to wait for the app's Genkit runtime to come up.")
  var wait: Double = 60

  @OptionGroup var display: DisplayOptions
  @OptionGroup var storeOptions: StoreOptions

  @Argument(parsing: .postTerminator, help: "The app's command, after `--`.")
  var command: [String] = []

  func validate() throws {
    guard !command.isEmpty else {
      throw ValidationError("give the app's command after --, e.g. flowscope start -- python app.py")
    }
    guard wait > 0 else { throw ValidationError("--wait must be positive") }
    if let telemetryPort, !(0...65_535).contains(telemetryPort) {
      throw ValidationError("--telemetry-port must be between 0 and 65535")
    }
  }

  func run() async throws {
    try AttachSession.requireTerminal()
    let roots = RemoteTarget.searchRoots()
    let session = try await AttachSession.open(databasePath: storeOptions.db, telemetryPort: telemetryPort)
    var environment = ProcessInfo.processInfo.environment
    environment["GENKIT_ENV"] = "dev"
    environment["GENKIT_TELEMETRY_SERVER"] = session.listener.url
    environment["GENKIT_ENABLE_REALTIME_TELEMETRY"] = "true"
    let started = Date()
    let app: AppProcess
    do {
      app = try AppProcess(command: command, environment: environment)
    } catch {
      await session.close()
      throw error
    }
    Console.error(
      "flowscope: started \(command.joined(separator: " ")) (pid \(app.pid)); waiting for its Genkit runtime…")
    do {
      // Ctrl-C, SIGTERM or a closed terminal while waiting must not leave the app behind (it runs
      // in its own process group, so the terminal's signals do not reach it).
      let waiting = Task { try await waitForRuntime(of: app, roots: roots, since: started) }
      let interruption = SignalCancellation(signals: [SIGINT, SIGTERM, SIGHUP]) { _ in waiting.cancel() }
      let runtime: RuntimeInfo
      do {
        runtime = try await waiting.value
      } catch {
        interruption.cancel()
        throw error
      }
      interruption.cancel()
      // From here on nothing may kill us before the app is stopped. The debugger handles these
      // signals while it runs and then puts back what was there before: "ignore".
      Self.ignoreTerminationSignals()
      let target = try await session.connect(to: runtime, searchRoots: roots, appLog: app.lines)
      try await session.debug(target, display: display)
    } catch {
      Self.stop(app)
      await session.close()
      throw error
    }
    Self.stop(app)
    await session.close()
  }

  /// Stops the app, ignoring termination signals meanwhile (a closing terminal sends SIGHUP more
  /// than once).
  static func stop(_ app: AppProcess) {
    ignoreTerminationSignals()
    app.stop()
  }

  static func ignoreTerminationSignals() {
    for number in [SIGHUP, SIGINT, SIGTERM] { signal(number, SIG_IGN) }
  }

  /// The runtime the app registers, or an error when the app exits or is too slow (with the end
  /// of its output, which usually says why).
  func waitForRuntime(of app: AppProcess, roots: [URL], since started: Date) async throws -> RuntimeInfo {
    let timeout = Duration.milliseconds(Int64(wait * 1000))
    let outcome = await withTaskGroup(of: Result<RuntimeInfo, any Error>?.self) { group in
      group.addTask {
        do {
          return .success(
            try await RuntimeDiscovery.waitForRuntime(
              projectRoots: roots.map(\.path), newerThan: started, pid: app.pid, timeout: timeout))
        } catch {
          return .failure(error)
        }
      }
      group.addTask {
        while !Task.isCancelled {
          if let status = app.exitStatus {
            return .failure(
              CLIFailure(
                message: "FAILED_PRECONDITION: the app exited (status \(status)) before its Genkit runtime came up"))
          }
          try? await Task.sleep(for: .milliseconds(100))
        }
        return nil
      }
      defer { group.cancelAll() }
      for await result in group {
        if let result { return result }
      }
      return .failure(CancellationError())
    }
    switch outcome {
    case .success(let runtime):
      return runtime
    case .failure(let error) where error is CancellationError || Task.isCancelled:
      throw CLIFailure(
        message: "CANCELLED: interrupted while waiting for the app's Genkit runtime; the app was stopped")
    case .failure(let error):
      let tail = app.recentLines.suffix(20)
      let output = tail.isEmpty ? "" : "\nLast output of the app:\n" + tail.map { "  \($0)" }.joined(separator: "\n")
      let hint = "\nThe app must create a Genkit instance in dev mode (it runs with GENKIT_ENV=dev)."
      throw CLIFailure(message: "\(error)\(output)\(hint)")
    }
  }
}
