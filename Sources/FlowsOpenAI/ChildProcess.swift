import Flows
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A child process started with `posix_spawn`, its output appended to a log file.
///
/// The child gets an empty signal mask and default signal handlers: a process spawned from a
/// Swift concurrency thread would otherwise inherit a mask that blocks every signal, and could
/// then not be stopped with SIGTERM.
final class ChildProcess: Sendable {
  /// The process id.
  let pid: pid_t
  /// The exit status once reaped (`nil` while running).
  private let exitStatus = Mutex<Int32?>(nil)

  private init(pid: pid_t) { self.pid = pid }

  /// Starts `executable` with `arguments` (not including argv[0]); stdin is `/dev/null`, stdout and
  /// stderr go to `logPath` (created or truncated).
  static func spawn(executable: String, arguments: [String], logPath: String) throws -> ChildProcess {
    var fileActions = posix_spawn_file_actions_t()
    try check(posix_spawn_file_actions_init(&fileActions), "posix_spawn_file_actions_init")
    defer { posix_spawn_file_actions_destroy(&fileActions) }
    try check(posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin")
    try check(
      posix_spawn_file_actions_addopen(&fileActions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644), "addopen log")
    try check(posix_spawn_file_actions_adddup2(&fileActions, 1, 2), "adddup2 stderr")

    var attributes = posix_spawnattr_t()
    try check(posix_spawnattr_init(&attributes), "posix_spawnattr_init")
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    try check(posix_spawnattr_setsigmask(&attributes, &noSignals), "setsigmask")
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    sigdelset(&allSignals, SIGKILL)
    sigdelset(&allSignals, SIGSTOP)
    try check(posix_spawnattr_setsigdefault(&attributes, &allSignals), "setsigdefault")
    try check(
      posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)), "setflags")

    let argv = ([executable] + arguments).map { strdup($0) }
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    var result: Int32 = 0
    // ETXTBSY: another thread forked while the executable was still open for writing (a script
    // just written); the inherited descriptor goes away when that child execs, so try again.
    for attempt in 0..<20 {
      result = (argv + [nil]).withUnsafeBufferPointer { argvPointer -> Int32 in
        guard let base = argvPointer.baseAddress else { return EINVAL }
        return posix_spawn(&pid, executable, &fileActions, &attributes, base, environ)
      }
      guard result == ETXTBSY else { break }
      usleep(UInt32(5_000 * (attempt + 1)))
    }
    guard result == 0 else {
      throw FlowError(.failedPrecondition, "cannot start \(executable): \(String(cString: strerror(result)))")
    }
    return ChildProcess(pid: pid)
  }

  private static func check(_ result: Int32, _ what: String) throws {
    guard result == 0 else { throw FlowError(.internal, "\(what) failed: \(String(cString: strerror(result)))") }
  }

  /// The exit status if the process has ended (reaping it), else nil.
  func pollExit() -> Int32? {
    exitStatus.withLock { status in
      if let status { return status }
      var raw: Int32 = 0
      let result = waitpid(pid, &raw, WNOHANG)
      if result == pid {
        status = Self.describeStatus(raw)
      } else if result < 0, errno == ECHILD {
        status = -1
      }
      return status
    }
  }

  /// True while the process runs.
  var isRunning: Bool { pollExit() == nil }

  /// Sends `signal` if the process still runs.
  func send(_ signal: Int32) {
    if isRunning { kill(pid, signal) }
  }

  /// SIGTERM, then SIGKILL when the process is still running after `gracePeriod`; returns once it
  /// has been reaped. Blocks the calling thread (briefly: servers exit promptly on SIGTERM).
  func terminate(gracePeriod: Duration) {
    guard isRunning else { return }
    send(SIGTERM)
    let deadline = ContinuousClock.now + gracePeriod
    while isRunning, ContinuousClock.now < deadline { usleep(10_000) }
    guard isRunning else { return }
    send(SIGKILL)
    while isRunning { usleep(5_000) }
  }

  /// An exit code (0–255), or 128 + the signal number for a killed process.
  private static func describeStatus(_ raw: Int32) -> Int32 {
    let signal = raw & 0x7F
    return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
  }
}
