import Flows
import FlowsClient
import Foundation
import Testing

/// `flowscope serve` as a user runs it: a real process on a free port, called over HTTP, stopped
/// with SIGINT.
@Suite("flowscope serve", .serialized)
struct ServeCommandTests {
  /// Starts `flowscope serve --port 0` and returns the process, its stdout pipe and the base URL.
  func startServer(_ harness: CLIHarness, extra: [String] = []) throws -> (Process, Pipe, String) {
    let out = Pipe()
    let err = Pipe()
    let process = harness.process(["serve", "--port", "0", "--db", harness.database] + extra, stdout: out, stderr: err)
    try process.run()
    var text = ""
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline {
      let data = out.fileHandleForReading.availableData
      if data.isEmpty { break }
      text += String(decoding: data, as: UTF8.self)
      if let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+/"#, options: .regularExpression) {
        return (process, out, String(text[range].dropLast()))
      }
    }
    process.terminate()
    throw CLIFailureForTest(message: "no announcement: \(text)")
  }

  struct CLIFailureForTest: Error { var message: String }

  @Test(.timeLimit(.minutes(1))) func servesFlowsAndStopsCleanlyOnSIGINT() async throws {
    let harness = try CLIHarness()
    defer { harness.cleanUp() }
    let (process, _, baseURL) = try startServer(harness)
    let client = FlowClient(baseURL: baseURL, timeout: .seconds(20))
    let result = try await client.run(flow: "jokeFlow", input: ["subject": "cats"])
    #expect(result.result.stringValue?.contains("cats") == true)
    let stream = client.stream(flow: "jokeFlow", input: ["subject": "owls"])
    var chunks: [JSONValue] = []
    for try await chunk in stream { chunks.append(chunk) }
    #expect(chunks.count > 2)
    #expect(try await stream.output.stringValue?.contains("owls") == true)
    let missing = try await requireFailure { _ = try await client.run(flow: "noSuchFlow", input: 1) }
    #expect(missing.status == .notFound)
    // Stop as Ctrl-C would; the traces are saved.
    kill(process.processIdentifier, SIGINT)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let list = try harness.run(["traces", "list"])
    #expect(list.stdout.contains("jokeFlow"))
    let traceId = try #require(result.traceId)
    #expect(try harness.run(["traces", "show", traceId]).status == 0)
  }

  @Test(.timeLimit(.minutes(1))) func apiKeyIsRequiredWhenGiven() async throws {
    let harness = try CLIHarness()
    defer { harness.cleanUp() }
    let (process, _, baseURL) = try startServer(harness, extra: ["--api-key", "s3cret"])
    defer {
      kill(process.processIdentifier, SIGINT)
      process.waitUntilExit()
    }
    let anonymous = FlowClient(baseURL: baseURL, timeout: .seconds(20))
    let refused = try await requireFailure { _ = try await anonymous.run(flow: "jokeFlow", input: ["subject": "x"]) }
    #expect(refused.status == .unauthenticated)
    let trusted = FlowClient(baseURL: baseURL, headers: ["Authorization": "s3cret"], timeout: .seconds(20))
    #expect(try await trusted.run(flow: "jokeFlow", input: ["subject": "x"]).result.stringValue != nil)
  }

  @Test(.timeLimit(.minutes(1))) func devModeQuitsGracefullyOnQuitquitquit() async throws {
    let harness = try CLIHarness()
    defer { harness.cleanUp() }
    // A project root of its own, so the runtime file lands in the harness directory.
    try Data("{}".utf8).write(to: harness.directory.appendingPathComponent("package.json"))
    let launched = Date()
    let out = Pipe()
    let err = Pipe()
    let process = harness.process(
      ["serve", "--port", "0", "--dev", "--db", harness.database], stdout: out, stderr: err,
      environment: ["GENKIT_REFLECTION_PORT": "0"])
    try process.run()
    defer { if process.isRunning { process.terminate() } }
    let runtime = try await RuntimeDiscovery.waitForRuntime(
      projectRoot: harness.directory.path, newerThan: launched, pid: process.processIdentifier, timeout: .seconds(30))
    let client = ReflectionClient(baseURL: runtime.reflectionServerUrl)
    let run = try await client.runAction(key: "/flow/jokeFlow", input: ["subject": "quitting"])
    try await client.quit()
    // The graceful shutdown that follows: the process exits cleanly, the runtime file is gone and
    // the run's trace was saved.
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    #expect(RuntimeDiscovery.runtimeFiles(projectRoot: harness.directory.path).isEmpty)
    let traceId = try #require(run.traceId)
    #expect(try harness.run(["traces", "show", traceId]).status == 0)
  }

  @Test(.timeLimit(.minutes(1))) func durableStreamsLetAClientComeBackForAStream() async throws {
    let harness = try CLIHarness()
    defer { harness.cleanUp() }
    let (process, _, baseURL) = try startServer(harness, extra: ["--durable-streams", "60"])
    defer {
      kill(process.processIdentifier, SIGINT)
      process.waitUntilExit()
    }
    let client = FlowClient(baseURL: baseURL, timeout: .seconds(20))
    let first = client.stream(flow: "jokeFlow", input: ["subject": "owls", "count": 2])
    var firstChunks: [JSONValue] = []
    for try await chunk in first { firstChunks.append(chunk) }
    let streamId = try #require(await first.streamId)
    let again = client.resume(flow: "jokeFlow", streamId: streamId)
    var replayed: [JSONValue] = []
    for try await chunk in again { replayed.append(chunk) }
    #expect(replayed == firstChunks)
    #expect(try await again.output == (try await first.output))
    let unknown = try await requireFailure { _ = try await client.resume(flow: "jokeFlow", streamId: "x").output }
    #expect(unknown.status == .notFound)
  }

  @Test func aNegativeDurableStreamTimeIsRefused() throws {
    let harness = try CLIHarness()
    defer { harness.cleanUp() }
    let result = try harness.run(["serve", "--port", "0", "--durable-streams=-5"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("--durable-streams must be 0 or more seconds"))
  }

  func requireFailure(_ body: () async throws -> Void) async throws -> FlowError {
    do {
      try await body()
    } catch let error as FlowError {
      return error
    }
    throw CLIFailureForTest(message: "expected a FlowError")
  }
}
