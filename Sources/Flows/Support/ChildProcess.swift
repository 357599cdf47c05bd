import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A child process started with `posix_spawn` (the package's one way to start programs: the local
/// model server, `$EDITOR`, and the processes tests drive).
///
/// The child gets an empty signal mask and default signal handlers: a process spawned from a
/// Swift concurrency thread would otherwise inherit a mask that blocks every signal, and could
/// then not be stopped with SIGTERM.
package final class ChildProcess: Sendable {
  /// Where the child's standard output and error go.
  package enum Output: Sendable {
    /// The parent's own (a terminal program such as an editor).
    case inherit
    /// A file, created or truncated; standard error goes there too.
    case file(String)
    /// An open descriptor (the write end of a pipe); standard error goes there too. Standard
    /// input is `/dev/null`.
    case descriptor(Int32)
  }

  /// The process id.
  package let pid: pid_t
  /// The exit status once reaped (`nil` while running).
  private let exitStatus = Mutex<Int32?>(nil)

  /// Whether the child leads its own process group (signals then go to the whole group).
  private let isGroupLeader: Bool

  private init(pid: pid_t, isGroupLeader: Bool = false) {
    self.pid = pid
    self.isGroupLeader = isGroupLeader
  }

  /// Starts `executable` with `arguments` (not including argv[0]); stdin is `/dev/null`, stdout and
  /// stderr go to `logPath` (created or truncated).
  package static func spawn(executable: String, arguments: [String], logPath: String) throws -> ChildProcess {
    try spawn(executable: executable, arguments: arguments, output: .file(logPath))
  }

  /// Starts `executable` with `arguments` (not including argv[0]) and `environment` (nil: this
  /// process's); with `.inherit` output the child also shares this process's stdin (a terminal).
  /// `newProcessGroup` puts the child at the head of its own process group, so that
  /// `terminateGroup` also stops what it starts (a shell script's or `npm run`'s children) and a
  /// Ctrl-C in the terminal does not reach it.
  package static func spawn(
    executable: String, arguments: [String], output: Output, environment: [String: String]? = nil,
    newProcessGroup: Bool = false
  ) throws -> ChildProcess {
    var fileActions = posix_spawn_file_actions_t()
    try check(posix_spawn_file_actions_init(&fileActions), "posix_spawn_file_actions_init")
    defer { posix_spawn_file_actions_destroy(&fileActions) }
    if case .file(let logPath) = output {
      try check(posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin")
      try check(
        posix_spawn_file_actions_addopen(&fileActions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644),
        "addopen log")
      try check(posix_spawn_file_actions_adddup2(&fileActions, 1, 2), "adddup2 stderr")
    }
    if case .descriptor(let descriptor) = output {
      try check(posix_spawn_file_actions_addopen(&fileActions, 0, "/dev/null", O_RDONLY, 0), "addopen stdin")
      try check(posix_spawn_file_actions_adddup2(&fileActions, descriptor, 1), "adddup2 stdout")
      try check(posix_spawn_file_actions_adddup2(&fileActions, descriptor, 2), "adddup2 stderr")
    }

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
    var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
    if newProcessGroup {
      try check(posix_spawnattr_setpgroup(&attributes, 0), "setpgroup")
      flags |= POSIX_SPAWN_SETPGROUP
    }
    try check(posix_spawnattr_setflags(&attributes, Int16(flags)), "setflags")

    let argv = ([executable] + arguments).map { strdup($0) }
    let envp = environment.map { variables in
      variables.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") }
    }
    defer {
      argv.forEach { free($0) }
      envp?.forEach { free($0) }
    }
    var pid: pid_t = 0
    var result: Int32 = 0
    // ETXTBSY: another thread forked while the executable was still open for writing (a script
    // just written); the inherited descriptor goes away when that child execs, so try again.
    for attempt in 0..<20 {
      result = (argv + [nil]).withUnsafeBufferPointer { argvPointer -> Int32 in
        guard let base = argvPointer.baseAddress else { return EINVAL }
        guard let envp else { return posix_spawn(&pid, executable, &fileActions, &attributes, base, environ) }
        return (envp + [nil]).withUnsafeBufferPointer { envPointer -> Int32 in
          guard let environment = envPointer.baseAddress else { return EINVAL }
          return posix_spawn(&pid, executable, &fileActions, &attributes, base, environment)
        }
      }
      guard result == ETXTBSY else { break }
      usleep(UInt32(5_000 * (attempt + 1)))
    }
    guard result == 0 else {
      throw FlowError(.failedPrecondition, "cannot start \(executable): \(String(cString: strerror(result)))")
    }
    return ChildProcess(pid: pid, isGroupLeader: newProcessGroup)
  }

  private static func check(_ result: Int32, _ what: String) throws {
    guard result == 0 else { throw FlowError(.internal, "\(what) failed: \(String(cString: strerror(result)))") }
  }

  /// Waits for the process to end (blocking the calling thread) and returns its exit status.
  @discardableResult
  package func waitForExit() -> Int32 {
    exitStatus.withLock { status in
      if let status { return status }
      var raw: Int32 = 0
      var result = waitpid(pid, &raw, 0)
      while result == -1 && errno == EINTR { result = waitpid(pid, &raw, 0) }
      let exit = result == pid ? Self.describeStatus(raw) : -1
      status = exit
      return exit
    }
  }

  /// The exit status if the process has ended (reaping it), else nil.
  package func pollExit() -> Int32? {
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
  package var isRunning: Bool { pollExit() == nil }

  /// Sends `signal` if the process still runs (to its whole group when it leads one).
  package func send(_ signal: Int32) {
    if isRunning { kill(isGroupLeader ? -pid : pid, signal) }
  }

  /// SIGTERM, then SIGKILL when the process is still running after `gracePeriod`; returns once it
  /// has been reaped. Blocks the calling thread (briefly: servers exit promptly on SIGTERM).
  package func terminate(gracePeriod: Duration) {
    guard isRunning else {
      if isGroupLeader { kill(-pid, SIGKILL) }
      return
    }
    send(SIGTERM)
    let deadline = ContinuousClock.now + gracePeriod
    while isRunning, ContinuousClock.now < deadline { usleep(10_000) }
    guard isRunning else {
      // The leader is gone; what it started in its group must not outlive it.
      if isGroupLeader { kill(-pid, SIGKILL) }
      return
    }
    send(SIGKILL)
    while isRunning { usleep(5_000) }
  }

  /// An exit code (0–255), or 128 + the signal number for a killed process.
  package static func describeStatus(_ raw: Int32) -> Int32 {
    let signal = raw & 0x7F
    return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
  }
}
