import Flows
import Foundation

extension RuntimeDiscovery {
  /// Waits for a runtime started after `newerThan` to register and answer its health check, as
  /// `flowscope start -- <command>` does after launching the command.
  ///
  /// The runtimes directory is polled every `pollInterval`. Candidates, in order of preference:
  /// the runtime whose pid is `pid`, then runtimes whose process descends from `pid` (a launcher
  /// such as `npm run` or `uv run` in between), then any runtime whose file is newer than
  /// `newerThan`, newest first. The first candidate that answers `GET /api/__health?id=` within
  /// `healthTimeout` is returned.
  ///
  /// - Parameters:
  ///   - projectRoot: Where to look (`<projectRoot>/.genkit/runtimes`).
  ///   - newerThan: Take the date before launching the command: older runtimes are ignored unless
  ///     their pid matches.
  ///   - pid: The launched process, when known.
  ///   - timeout: How long to wait.
  /// - Throws: `FlowError` `DEADLINE_EXCEEDED` after `timeout`, saying what was seen (runtimes that
  ///   did not answer, unreadable files); `CancellationError` when the task is cancelled (cancel it
  ///   when the launched process exits).
  public static func waitForRuntime(
    projectRoot: String, newerThan: Date, pid: Int32? = nil, timeout: Duration,
    pollInterval: Duration = .milliseconds(100), healthTimeout: Duration = .seconds(1),
    makeClient: ClientFactory = defaultClientFactory
  ) async throws -> RuntimeInfo {
    try await waitForRuntime(
      projectRoots: [projectRoot], newerThan: newerThan, pid: pid, timeout: timeout, pollInterval: pollInterval,
      healthTimeout: healthTimeout, makeClient: makeClient)
  }

  /// `waitForRuntime(projectRoot:…)` with the project root as a file URL.
  public static func waitForRuntime(
    projectRoot: URL, newerThan: Date, pid: Int32? = nil, timeout: Duration,
    pollInterval: Duration = .milliseconds(100), healthTimeout: Duration = .seconds(1),
    makeClient: ClientFactory = defaultClientFactory
  ) async throws -> RuntimeInfo {
    try await waitForRuntime(
      projectRoots: [projectRoot.path], newerThan: newerThan, pid: pid, timeout: timeout, pollInterval: pollInterval,
      healthTimeout: healthTimeout, makeClient: makeClient)
  }

  /// `waitForRuntime(projectRoot:…)` over several directories at once, for runtimes that do not
  /// agree on the project root (Genkit Python writes under its current directory, the CLI's rule
  /// may pick an ancestor): pass both.
  public static func waitForRuntime(
    projectRoots: [String], newerThan: Date, pid: Int32? = nil, timeout: Duration,
    pollInterval: Duration = .milliseconds(100), healthTimeout: Duration = .seconds(1),
    makeClient: ClientFactory = defaultClientFactory
  ) async throws -> RuntimeInfo {
    let roots = uniqueDirectories(projectRoots)
    let deadline = ContinuousClock.now + timeout
    var unhealthy: [String: String] = [:]
    var problems: [RuntimeFileProblem] = []
    while true {
      try Task.checkCancellation()
      let scans = roots.map { scan(projectRoot: $0) }
      problems = scans.flatMap(\.problems)
      let candidates = rank(scans.flatMap(\.runtimes), newerThan: newerThan, pid: pid)
      for candidate in candidates {
        do {
          try await checkHealth(candidate, healthTimeout: healthTimeout, makeClient: makeClient)
          return candidate
        } catch is CancellationError {
          throw CancellationError()
        } catch {
          try Task.checkCancellation()
          unhealthy[candidate.fileURL?.path ?? candidate.id] = "\(error)"
        }
      }
      guard ContinuousClock.now < deadline else {
        throw timedOut(roots: roots, timeout: timeout, pid: pid, unhealthy: unhealthy, problems: problems)
      }
      try await Task.sleep(for: min(pollInterval, deadline - ContinuousClock.now))
    }
  }

  /// The runtimes worth checking, best first: `pid`'s own, its descendants', then the ones newer
  /// than `newerThan`, newest first (the order of `runtimes`).
  static func rank(_ runtimes: [RuntimeInfo], newerThan: Date, pid: Int32?) -> [RuntimeInfo] {
    var own: [RuntimeInfo] = []
    var descendants: [RuntimeInfo] = []
    var recent: [RuntimeInfo] = []
    for runtime in runtimes {
      if let pid, runtime.pid == pid {
        own.append(runtime)
      } else if let pid, let runtimePid = runtime.pid, runtimePid > 1,
        ProcessAncestry.isDescendant(runtimePid, of: pid)
      {
        descendants.append(runtime)
      } else if isNewer(runtime, than: newerThan) {
        recent.append(runtime)
      }
    }
    return own + descendants + recent
  }

  /// How far a file's modification time may lag the moment it was written (coarse file-system
  /// clocks), so that a runtime registering right after `newerThan` is not missed.
  static let modificationTimeSlack: TimeInterval = 0.25

  /// True when `runtime` registered after `date`: its timestamp or its file's modification time
  /// says so.
  static func isNewer(_ runtime: RuntimeInfo, than date: Date) -> Bool {
    if let written = runtime.date, written >= date { return true }
    guard let path = runtime.fileURL?.path,
      let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    else { return false }
    return modified >= date.addingTimeInterval(-modificationTimeSlack)
  }

  private static func uniqueDirectories(_ roots: [String]) -> [String] {
    var seen = Set<String>()
    return roots.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
  }

  private static func timedOut(
    roots: [String], timeout: Duration, pid: Int32?, unhealthy: [String: String], problems: [RuntimeFileProblem]
  ) -> FlowError {
    let directories = roots.map { runtimesDirectory(projectRoot: $0).path }.joined(separator: " or ")
    var message = "no Genkit runtime registered in \(directories) within \(timeout)"
    if let pid { message += " (for process \(pid))" }
    var notes: [String] = []
    for (file, reason) in unhealthy.sorted(by: { $0.key < $1.key }) {
      notes.append("\(file) did not answer: \(reason)")
    }
    for problem in problems { notes.append("skipped \(problem)") }
    if notes.isEmpty {
      message += "; is GENKIT_ENV=dev set for the runtime?"
    } else {
      message += "; " + notes.joined(separator: "; ")
    }
    return FlowError(.deadlineExceeded, message)
  }
}
