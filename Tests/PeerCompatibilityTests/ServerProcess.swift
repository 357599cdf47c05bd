import Foundation
import Synchronization

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
  let pid: pid_t
  let name: String
  let logPath: String
  private let exitStatus = Mutex<Int32?>(nil)

  private init(pid: pid_t, name: String, logPath: String) {
    self.pid = pid
    self.name = name
    self.logPath = logPath
  }

  /// Starts `executable` with `arguments` (argv[0] excluded) and exactly `environment`; stdin is
  /// /dev/null, stdout and stderr go to `logPath`.
  static func spawn(
    name: String, executable: String, arguments: [String], environment: [String: String], logPath: String
  ) throws -> ServerProcess {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    sigdelset(&allSignals, SIGKILL)
    sigdelset(&allSignals, SIGSTOP)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    var result: Int32 = 0
    // ETXTBSY: another thread forked while an executable was still open for writing; retry.
    for attempt in 0..<20 {
      result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
      guard result == ETXTBSY else { break }
      usleep(UInt32(5_000 * (attempt + 1)))
    }
    guard result == 0 else {
      throw HarnessError(description: "cannot start \(name) (\(executable)): \(String(cString: strerror(result)))")
    }
    return ServerProcess(pid: pid, name: name, logPath: logPath)
  }

  /// The exit status once the process has ended (reaping it), else nil.
  func pollExit() -> Int32? {
    exitStatus.withLock { status in
      if let status { return status }
      var raw: Int32 = 0
      let result = waitpid(pid, &raw, WNOHANG)
      if result == pid {
        let signal = raw & 0x7F
        status = signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
      } else if result < 0, errno == ECHILD {
        status = -1
      }
      return status
    }
  }

  var isRunning: Bool { pollExit() == nil }

  /// SIGTERM, then SIGKILL after `gracePeriod`; returns once the process is reaped. Never throws.
  func terminate(gracePeriod: Duration = .seconds(5)) {
    guard isRunning else { return }
    kill(pid, SIGTERM)
    let deadline = ContinuousClock.now + gracePeriod
    while isRunning, ContinuousClock.now < deadline { usleep(10_000) }
    guard isRunning else { return }
    kill(pid, SIGKILL)
    while isRunning { usleep(5_000) }
  }

  /// Everything the process wrote so far.
  var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

  /// The last `count` lines of the log, for failure messages.
  func logTail(_ count: Int = 30) -> String {
    log.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
  }
}
