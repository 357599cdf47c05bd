import Flows
import FlowsClient
import FlowsTestSupport
import Foundation

/// Tests/Peer/attach_app.py run in dev mode with the peer venv's Python, in its own process group
/// and its own temporary working directory (where Genkit writes `.genkit/runtimes/*.json`), found
/// with `RuntimeDiscovery` like `flowscope start` finds what it launched.
final class AttachedPythonRuntime: Sendable {
  /// The working directory (removed by `stop`).
  let directory: String
  /// The file `slow` creates when it is cancelled.
  let cancelMarker: String
  /// What the runtime registered.
  let info: RuntimeInfo
  private let process: ChildProcess
  private let logPath: String

  /// `<venv>/bin/python`.
  static var python: String { PythonPeerVenv.executable("python") }
  /// Tests/Peer/attach_app.py in this checkout.
  static var app: String { PeerInstallation.appDirectory + "/attach_app.py" }

  static var isInstalled: Bool {
    FileManager.default.isExecutableFile(atPath: python) && FileManager.default.fileExists(atPath: app)
  }

  private init(directory: String, cancelMarker: String, info: RuntimeInfo, process: ChildProcess, logPath: String) {
    self.directory = directory
    self.cancelMarker = cancelMarker
    self.info = info
    self.process = process
    self.logPath = logPath
  }

  /// Starts the app and waits (up to 60 s) until its runtime registered and answers.
  static func start() async throws -> AttachedPythonRuntime {
    let directory = try TestEnvironment.makeDirectory()
    let logPath = directory + "/attach_app.log"
    let marker = directory + "/cancelled.marker"
    let since = Date()
    let process: ChildProcess
    do {
      // `exec` keeps the shell's pid, so the process group leader is Python itself.
      process = try ChildProcess.spawn(
        executable: "/bin/sh", arguments: ["-c", #"cd "$1" && exec "$2" "$3""#, "sh", directory, python, app],
        output: .file(logPath),
        environment: TestEnvironment.base(adding: [
          "GENKIT_ENV": "dev", "ATTACH_APP_CANCEL_MARKER": marker, "ATTACH_APP_EXIT_WITH_PARENT": "1",
        ]),
        newProcessGroup: true)
    } catch {
      try? FileManager.default.removeItem(atPath: directory)
      throw HarnessError(description: "cannot start attach_app.py: \(error)")
    }
    do {
      let info = try await withThrowingTaskGroup(of: RuntimeInfo?.self) { group in
        group.addTask {
          try await RuntimeDiscovery.waitForRuntime(
            projectRoot: directory, newerThan: since, pid: process.pid, timeout: .seconds(60))
        }
        group.addTask {
          while process.isRunning { try await Task.sleep(for: .milliseconds(100)) }
          return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let info = first else {
          throw HarnessError(description: "attach_app.py exited before registering")
        }
        return info
      }
      return AttachedPythonRuntime(
        directory: directory, cancelMarker: marker, info: info, process: process, logPath: logPath)
    } catch {
      let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
      process.terminate(gracePeriod: .seconds(3))
      try? FileManager.default.removeItem(atPath: directory)
      throw HarnessError(description: "attach_app.py did not come up: \(error)\n\(log)")
    }
  }

  /// A client for its reflection server.
  var client: ReflectionClient { ReflectionClient(baseURL: info.reflectionServerUrl, timeout: .seconds(30)) }

  /// The app's output so far, for failure messages.
  var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  /// Stops the whole process group (SIGTERM, then SIGKILL) and removes the directory.
  func stop() {
    process.terminate(gracePeriod: .seconds(5))
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// Runs `body` with a started runtime, stopping it afterwards whatever happens.
  static func with<T>(_ body: (AttachedPythonRuntime) async throws -> T) async throws -> T {
    let runtime = try await start()
    defer { runtime.stop() }
    do {
      return try await body(runtime)
    } catch {
      throw HarnessError(description: "\(error)\nattach_app.py log:\n\(runtime.log)")
    }
  }
}
