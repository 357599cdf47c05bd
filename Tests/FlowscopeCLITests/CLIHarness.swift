import Foundation
import Testing

/// Runs the built `flowscope` binary as a child process.
struct CLIHarness {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  let database: String
  let directory: URL

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowscope-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    database = directory.appendingPathComponent("traces.sqlite").path
  }

  static var binary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("flowscope")
  }

  static var environment: [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["FLOWSCOPE_DEMO_PACE_MS"] = "0"
    env.removeValue(forKey: "FLOWSCOPE_DB")
    return env
  }

  /// `flowscope <arguments>` as a child process, not started, with `environment` added to the
  /// harness environment.
  func process(
    _ arguments: [String], stdout: Pipe, stderr: Pipe, environment: [String: String] = [:]
  ) -> Process {
    let process = Process()
    process.executableURL = Self.binary
    process.arguments = arguments
    process.environment = Self.environment.merging(environment) { _, added in added }
    process.currentDirectoryURL = directory
    process.standardOutput = stdout
    process.standardError = stderr
    process.standardInput = FileHandle.nullDevice
    return process
  }

  /// Runs `flowscope <arguments>` to completion (with `--db` added when `db` is true).
  func run(_ arguments: [String], db: Bool = true) throws -> Result {
    let out = Pipe()
    let err = Pipe()
    let process = process(arguments + (db ? ["--db", database] : []), stdout: out, stderr: err)
    try process.run()
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    let stderrData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
      stderr: String(decoding: stderrData, as: UTF8.self))
  }

  /// The trace id printed by `run` ("Trace ID: <32 hex>").
  static func traceId(in text: String) -> String? {
    guard let range = text.range(of: #"Trace ID: [0-9a-f]{32}"#, options: .regularExpression) else { return nil }
    return String(text[range].suffix(32))
  }

  func cleanUp() { try? FileManager.default.removeItem(at: directory) }
}
