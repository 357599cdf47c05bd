import Flows
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A failure of the harness (a server that does not start, a spawn error), with what a reader needs.
struct HarnessError: Error, CustomStringConvertible {
  var description: String
}

/// A server process for one test, started with `posix_spawn` (never Foundation.Process), its stdout and
/// stderr in a log file, reaped with `waitpid`.
///
/// The child gets an empty signal mask and default dispositions: a process spawned from a Swift
/// concurrency thread would otherwise inherit a mask blocking every signal and ignore SIGTERM.
final class ServerProcess: Sendable {
  let name: String
  let logPath: String
  private let child: ChildProcess

  var pid: pid_t { child.pid }

  private init(child: ChildProcess, name: String, logPath: String) {
    self.child = child
    self.name = name
    self.logPath = logPath
  }

  /// Starts `executable` with `arguments` (argv[0] excluded) and exactly `environment`; stdin is
  /// /dev/null, stdout and stderr go to `logPath`.
  static func spawn(
    name: String, executable: String, arguments: [String], environment: [String: String], logPath: String
  ) throws -> ServerProcess {
    do {
      let child = try ChildProcess.spawn(
        executable: executable, arguments: arguments, output: .file(logPath), environment: environment)
      return ServerProcess(child: child, name: name, logPath: logPath)
    } catch {
      throw HarnessError(description: "cannot start \(name) (\(executable)): \(error)")
    }
  }

  /// The exit status once the process has ended (reaping it), else nil.
  func pollExit() -> Int32? { child.pollExit() }

  var isRunning: Bool { child.isRunning }

  /// SIGTERM, then SIGKILL after `gracePeriod`; returns once the process is reaped. Never throws.
  func terminate(gracePeriod: Duration = .seconds(5)) { child.terminate(gracePeriod: gracePeriod) }

  /// Everything the process wrote so far.
  var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  /// The last `count` lines of the log, for failure messages.
  func logTail(_ count: Int = 30) -> String {
    log.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
  }
}
