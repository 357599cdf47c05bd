import AsyncHTTPClient
import Flows
import Foundation
import NIOCore
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A running llama.cpp `llama-server` on a free loopback port, for tests and demos.
///
/// `start` launches the binary with `-m <model> -a <alias> --host 127.0.0.1 --port <P> -c 4096
/// -t 2 -np 1 --no-webui [--chat-template-file F]` and returns once `GET /health` answers 200.
/// `stop()` (also run on deinit) sends SIGTERM, then SIGKILL after a grace period. The server's
/// output goes to a temporary log file (removed by `stop()`), whose tail is quoted when the server
/// fails to start.
public final class LocalModelServer: Sendable {
  /// The OpenAI-compatible API root, `http://127.0.0.1:<port>/v1`.
  public let baseURL: String
  /// The port the server listens on (127.0.0.1 only).
  public let port: Int
  /// The model id the server answers to (`-a`).
  public let alias: String
  /// The server's stdout and stderr.
  public let logPath: String
  /// The server process id.
  public var processID: Int32 { process.pid }

  private let process: ChildProcess
  private let gracePeriod: Duration
  private let stopped = Mutex(false)

  private init(process: ChildProcess, port: Int, alias: String, logPath: String, gracePeriod: Duration) {
    self.process = process
    self.port = port
    self.alias = alias
    self.logPath = logPath
    self.gracePeriod = gracePeriod
    self.baseURL = "http://127.0.0.1:\(port)/v1"
  }

  deinit { stop() }

  /// Finds `llama-server` and the models in `$FLOWSCOPE_LLM_DIR` or `~/.cache/llm-server`.
  public static func locateInstallation() -> LocalModelInstallation? { LocalModelInstallation.locate() }

  /// Starts `binary` serving `model` (a `.gguf` path) as `alias`, and waits until it is ready.
  ///
  /// - Parameters:
  ///   - chatTemplateFile: A Jinja chat template to use instead of the model's own.
  ///   - contextSize: `-c`, the context window in tokens.
  ///   - threads: `-t`, CPU threads.
  ///   - readinessTimeout: How long to wait for `/health` to answer 200.
  ///   - stopGracePeriod: How long `stop()` waits after SIGTERM before SIGKILL.
  ///   - extraArguments: More command-line arguments.
  /// - Throws: `FAILED_PRECONDITION` when a file is missing, `UNAVAILABLE` when the server exits
  ///   before it is ready, `DEADLINE_EXCEEDED` when it is not ready in time (both quote the tail
  ///   of its output), `CancellationError` when cancelled (the server is then stopped).
  public static func start(
    binary: String, model: String, alias: String, chatTemplateFile: String? = nil, contextSize: Int = 4096,
    threads: Int = 2, readinessTimeout: Duration = .seconds(60), stopGracePeriod: Duration = .seconds(5),
    extraArguments: [String] = []
  ) async throws -> LocalModelServer {
    let files = FileManager.default
    guard files.isExecutableFile(atPath: binary) else {
      throw FlowError(
        .failedPrecondition, "llama-server not found or not executable at \(binary) (run scripts/install-llm.sh)")
    }
    guard files.fileExists(atPath: model) else {
      throw FlowError(.failedPrecondition, "model file not found: \(model)")
    }
    if let chatTemplateFile, !files.fileExists(atPath: chatTemplateFile) {
      throw FlowError(.failedPrecondition, "chat template not found: \(chatTemplateFile)")
    }
    let attempts = 3
    for attempt in 1...attempts {
      let port = try LoopbackPort.pickFree()
      var arguments = [
        "-m", model, "-a", alias, "--host", "127.0.0.1", "--port", String(port), "-c", String(contextSize),
        "-t", String(threads), "-np", "1", "--no-webui",
      ]
      if let chatTemplateFile { arguments += ["--chat-template-file", chatTemplateFile] }
      arguments += extraArguments
      let logPath =
        NSTemporaryDirectory() + "flowscope-llama-server-\(getpid())-\(port)-\(UInt32.random(in: 0...UInt32.max)).log"
      let process: ChildProcess
      do {
        process = try ChildProcess.spawn(executable: binary, arguments: arguments, logPath: logPath)
      } catch {
        try? FileManager.default.removeItem(atPath: logPath)
        throw error
      }
      let server = LocalModelServer(
        process: process, port: port, alias: alias, logPath: logPath, gracePeriod: stopGracePeriod)
      do {
        try await server.waitUntilReady(timeout: readinessTimeout)
        return server
      } catch let error as PortTakenError {
        server.stop()
        if attempt == attempts { throw error.flowError }
      } catch {
        server.stop()
        throw error
      }
    }
    throw FlowError(.unavailable, "llama-server could not start")
  }

  /// Starts the server of an installation for one of its models.
  public static func start(
    _ installation: LocalModelInstallation, model: String, alias: String, chatTemplateFile: String? = nil,
    readinessTimeout: Duration = .seconds(60)
  ) async throws -> LocalModelServer {
    try await start(
      binary: installation.serverBinary, model: model, alias: alias, chatTemplateFile: chatTemplateFile,
      readinessTimeout: readinessTimeout)
  }

  /// A configuration for talking to this server (model id = the alias).
  public func configuration(timeout: Duration = .seconds(120)) -> OpenAICompatibleConfiguration {
    OpenAICompatibleConfiguration(baseURL: baseURL, model: alias, timeout: timeout)
  }

  /// True while the server process runs.
  public var isRunning: Bool { process.isRunning }

  /// Stops the server: SIGTERM, then SIGKILL after the grace period; removes the log. Blocks until
  /// the process has exited. Calling it again does nothing.
  public func stop() {
    let first = stopped.withLock { wasStopped in
      defer { wasStopped = true }
      return !wasStopped
    }
    guard first else { return }
    process.terminate(gracePeriod: gracePeriod)
    try? FileManager.default.removeItem(atPath: logPath)
  }

  /// The last `maxBytes` of the server's output.
  public func recentOutput(maxBytes: Int = 2000) -> String {
    guard let handle = FileHandle(forReadingAtPath: logPath) else { return "" }
    defer { try? handle.close() }
    let size = (try? handle.seekToEnd()) ?? 0
    let start = size > UInt64(maxBytes) ? size - UInt64(maxBytes) : 0
    try? handle.seek(toOffset: start)
    let data = (try? handle.readToEnd()) ?? Data()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private struct PortTakenError: Error {
    let flowError: FlowError
  }

  /// Polls `GET /health` until it answers 200, the process exits, or the timeout passes.
  private func waitUntilReady(timeout: Duration) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/health")
    request.method = .GET
    while true {
      try Task.checkCancellation()
      if let status = process.pollExit() {
        let output = recentOutput()
        let message =
          "llama-server exited with status \(status) before it was ready (port \(port)); last output:\n\(output)"
        let lower = output.lowercased()
        if lower.contains("address already in use") || lower.contains("couldn't bind") {
          throw PortTakenError(flowError: FlowError(.unavailable, message))
        }
        throw FlowError(.unavailable, message)
      }
      if let response = try? await OpenAICompatibleModel.defaultHTTPClient.execute(request, timeout: .seconds(2)) {
        let ready = response.status.code == 200
        _ = try? await response.body.collect(upTo: 1 << 16)
        if ready { return }
      }
      if clock.now >= deadline {
        throw FlowError(
          .deadlineExceeded,
          "llama-server was not ready within \(timeout) (port \(port)); last output:\n\(recentOutput())")
      }
      try await Task.sleep(for: .milliseconds(50))
    }
  }
}
