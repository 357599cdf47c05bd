import Flows
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The app `flowscope start` runs: a child in its own process group whose standard output and
/// error are read line by line (for the debugger's log view) instead of reaching the terminal.
final class AppProcess: Sendable {
  let child: ChildProcess
  /// Batches of lines as the app writes them; finishes when the app closes its output.
  let lines: AsyncStream<[String]>
  private let recent = RecentLines(limit: 200)

  /// The last lines the app wrote (at most 200), e.g. to explain why it did not come up.
  var recentLines: [String] { recent.lines }

  /// Starts `command` (looked up in `PATH` when it has no `/`) with `environment`.
  init(command: [String], environment: [String: String]) throws {
    guard let name = command.first else { throw CLIFailure(message: "INVALID_ARGUMENT: no command to start") }
    guard let executable = Self.resolve(name, path: environment["PATH"] ?? "/usr/bin:/bin") else {
      throw CLIFailure(message: "NOT_FOUND: \(name): command not found")
    }
    var descriptors: [Int32] = [0, 0]
    guard pipe(&descriptors) == 0 else {
      throw CLIFailure(message: "INTERNAL: cannot create a pipe: \(String(cString: strerror(errno)))")
    }
    let (readEnd, writeEnd) = (descriptors[0], descriptors[1])
    // Neither end may leak into this or any other child as such (the log would never reach its
    // end); the child gets the write end as its stdout and stderr, which drops the flag.
    _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
    _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)
    do {
      child = try ChildProcess.spawn(
        executable: executable, arguments: Array(command.dropFirst()), output: .descriptor(writeEnd),
        environment: environment, newProcessGroup: true)
    } catch {
      close(readEnd)
      close(writeEnd)
      throw CLIFailure(message: "UNAVAILABLE: cannot start \(name): \(error)")
    }
    close(writeEnd)
    let (stream, continuation) = AsyncStream<[String]>.makeStream(bufferingPolicy: .bufferingNewest(1_000))
    lines = stream
    let recent = self.recent
    let child = self.child
    // A plain thread: the read blocks, and the cooperative pool has only a couple of threads.
    let deliver: @Sendable ([String]) -> Void = { lines in
      continuation.yield(lines)
      recent.append(lines)
    }
    let reader = Thread {
      var splitter = LineSplitter()
      var buffer = [UInt8](repeating: 0, count: 16 * 1024)
      while true {
        let count = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { break }
        let complete = splitter.feed(buffer[0..<count])
        if !complete.isEmpty { deliver(complete) }
      }
      if let rest = splitter.finish() { deliver([rest]) }
      close(readEnd)
      // The output closes when the app exits (or closes it): say how it ended.
      var status = child.pollExit()
      for _ in 0..<50 where status == nil {
        usleep(20_000)
        status = child.pollExit()
      }
      deliver([status.map { "[flowscope] the app exited with status \($0)" } ?? "[flowscope] the app closed its output"]
      )
      continuation.finish()
    }
    reader.name = "flowscope-app-log"
    reader.start()
  }

  var pid: Int32 { child.pid }

  /// Stops the app and everything it started (SIGTERM to the group, SIGKILL after `gracePeriod`).
  func stop(gracePeriod: Duration = .seconds(5)) {
    child.terminate(gracePeriod: gracePeriod)
  }

  /// The exit status once the app has ended, else nil.
  var exitStatus: Int32? { child.pollExit() }

  static func resolve(_ name: String, path: String) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    for directory in path.split(separator: ":") where !directory.isEmpty {
      let candidate = "\(directory)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

/// The newest lines of a stream, shared between the thread reading it and its readers.
final class RecentLines: Sendable {
  private let limit: Int
  private let storage = Mutex<[String]>([])

  init(limit: Int) { self.limit = limit }

  var lines: [String] { storage.withLock { $0 } }

  func append(_ newLines: [String]) {
    storage.withLock { lines in
      lines.append(contentsOf: newLines)
      if lines.count > limit { lines.removeFirst(lines.count - limit) }
    }
  }
}

/// Splits a byte stream into lines (`\n`, with a `\r` before it dropped); invalid UTF-8 becomes
/// U+FFFD. Very long lines are cut every 64 KiB so one line cannot hold everything back.
struct LineSplitter {
  static let maxLineBytes = 64 * 1024
  private var pending: [UInt8] = []

  mutating func feed(_ bytes: some Collection<UInt8>) -> [String] {
    var lines: [String] = []
    for byte in bytes {
      if byte == UInt8(ascii: "\n") {
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        lines.append(String(decoding: pending, as: UTF8.self))
        pending.removeAll(keepingCapacity: true)
      } else {
        pending.append(byte)
        if pending.count >= Self.maxLineBytes {
          lines.append(String(decoding: pending, as: UTF8.self))
          pending.removeAll(keepingCapacity: true)
        }
      }
    }
    return lines
  }

  /// The last line when the stream ended without a newline.
  mutating func finish() -> String? {
    defer { pending.removeAll() }
    return pending.isEmpty ? nil : String(decoding: pending, as: UTF8.self)
  }
}
