import Flows
import FlowsClient
import FlowsServer
import FlowsTestSupport
import Foundation
import Logging
import Testing
import TraceStore

@testable import FlowscopeCLI
@testable import FlowscopeTUI

/// A Flowscope runtime serving reflection v1 in dev mode: the remote end of `flowscope attach`
/// (any Genkit runtime looks the same on the wire).
private struct RemoteRuntime {
  let server: ReflectionServer
  let exporter: TelemetryExporter
  let task: Task<Void, Never>

  static func start(projectRoot: String? = nil) async throws -> RemoteRuntime {
    let runtime = FlowRuntime()
    _ = runtime.defineStreamingFlow("count") { (count: Int, context: FlowContext<Int>) -> Int in
      for index in 0..<count {
        try await run("tick-\(index)") { index }
        context.sendChunk(index)
      }
      return count
    }
    _ = runtime.defineFlow("hang") { (_: Int) -> Int in
      try await Task.sleep(for: .seconds(120))
      return 0
    }
    var logger = Logger(label: "test.reflection")
    logger.logLevel = .critical
    let exporter = TelemetryExporter(
      bus: runtime.bus, configuration: TelemetryExporterConfiguration(realtime: true), logger: logger)
    let server = ReflectionServer(
      runtime: runtime,
      configuration: ReflectionServerConfiguration(
        port: .ephemeral, writesRuntimeFile: projectRoot != nil, projectRoot: projectRoot),
      exporter: exporter, logger: logger)
    let task = Task { _ = try? await server.run() }
    _ = try await server.waitUntilListening()
    return RemoteRuntime(server: server, exporter: exporter, task: task)
  }

  var url: String { server.url ?? "" }

  func stop() async {
    task.cancel()
    await task.value
    await exporter.shutdown()
  }
}

private func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowscope-attach-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// Waits (polling, with a generous deadline) until `condition` holds.
private func eventually(_ what: String, _ condition: @Sendable () async -> Bool) async {
  let deadline = ContinuousClock.now + .seconds(20)
  while ContinuousClock.now < deadline {
    if await condition() { return }
    try? await Task.sleep(for: .milliseconds(20))
  }
  Issue.record("timed out waiting for \(what)")
}

/// A fresh remote runtime, a session with its own store and listener, and the target attached to
/// the runtime by URL.
private func attachToNewRuntime() async throws -> (RemoteRuntime, AttachSession, RemoteTarget) {
  let remote = try await RemoteRuntime.start()
  let directory = try temporaryDirectory()
  let session = try await AttachSession.open(
    databasePath: directory.appendingPathComponent("traces.sqlite").path, telemetryPort: 0)
  let target = try await session.connect(
    to: RuntimeInfo(id: "", pid: nil, reflectionServerUrl: remote.url), searchRoots: [])
  return (remote, session, target)
}

@Suite("Attached runtime (reflection client, telemetry listener)", .serialized)
struct RemoteTargetTests {
  @Test func listsFlowsStreamsARunAndReceivesItsSpans() async throws {
    try await withSafetyLimit {
      let (remote, session, target) = try await attachToNewRuntime()
      #expect(target.initialFlows.map(\.name) == ["count", "hang"])
      #expect(target.initialFlows.first?.key == "/flow/count")
      // notify pointed the runtime's exporter at the listener.
      #expect(remote.exporter.serverURL == session.listener.url)

      let subscription = session.bus.subscribe(name: "test")
      let chunks = Locked<[JSONValue]>([])
      let started = Locked<[String]>([])
      let result = try await target.run(
        flow: "count", input: 3,
        observer: RunObserver(traceStarted: { started.append($0) }, chunk: { value, _ in chunks.append(value) }))
      #expect(result.result == 3)
      #expect(chunks.value == [0, 1, 2])
      let traceId = try #require(result.traceId)
      #expect(started.value == [traceId])
      // The realtime exports arrive on the bus and in the store: a root and three steps, all ended.
      let received = Locked<[SpanData]>([])
      await eventually("the exported spans") {
        for event in subscription.drain() {
          if case .spanReceived(let span) = event { received.append(span) }
        }
        let ended = received.value.filter { $0.traceId == traceId && !$0.isRunning }
        return Set(ended.map(\.spanId)).count == 4
      }
      await eventually("the stored trace") { (try? session.store.trace(id: traceId))?.spans.count == 4 }
      let stored = try #require(try session.store.trace(id: traceId))
      #expect(stored.rootSpan?.displayName == "count")
      session.bus.unsubscribe(subscription)
      await session.close()
      await remote.stop()
    }
  }

  @Test func cancelReachesTheRuntimeAndUnknownFlowsAreNotFound() async throws {
    try await withSafetyLimit {
      let (remote, session, target) = try await attachToNewRuntime()
      let traceIds = Locked<[String]>([])
      let run = Task {
        try await target.run(
          flow: "hang", input: 1, observer: RunObserver(traceStarted: { traceIds.append($0) }, chunk: { _, _ in }))
      }
      await eventually("the trace id") { !traceIds.value.isEmpty }
      let cancelled = await target.cancel(traceId: traceIds.value[0])
      #expect(cancelled)
      let error = await thrownError { try await run.value }
      #expect((error as? FlowError)?.status == .cancelled)
      #expect(await target.cancel(traceId: "0123456789abcdef0123456789abcdef") == false)
      let unknown = await thrownError {
        try await target.run(flow: "nope", input: 1, observer: RunObserver(traceStarted: { _ in }, chunk: { _, _ in }))
      }
      #expect((unknown as? FlowError)?.status == .notFound)
      await session.close()
      await remote.stop()
    }
  }

  @Test func theMonitorReportsALostRuntimeAndAttachesToItsRestartedSuccessor() async throws {
    try await withSafetyLimit {
      let root = try temporaryDirectory()
      let first = try await RemoteRuntime.start(projectRoot: root.path)
      let session = try await AttachSession.open(
        databasePath: root.appendingPathComponent("traces.sqlite").path, telemetryPort: 0)
      let runtime = try #require(RuntimeDiscovery.runtimeFiles(projectRoot: root).first)
      let target = try await session.connect(to: runtime, searchRoots: [root])
      let changes = Locked<[TargetChange]>([])
      let monitor = Task { await target.monitor { changes.append($0) } }
      await first.stop()
      await eventually("a lost connection") {
        changes.value.contains { if case .status(.reconnecting) = $0 { return true } else { return false } }
      }
      let second = try await RemoteRuntime.start(projectRoot: root.path)
      await eventually("the restarted runtime") {
        changes.value.contains { change in
          if case .runtime(let attached) = change { return attached.url == second.url }
          return false
        }
      }
      #expect(changes.value.last == .flows(target.initialFlows) || changes.value.contains(.status(.connected)))
      #expect(target.current.runtime.reflectionServerUrl == second.url)
      monitor.cancel()
      await monitor.value
      await session.close()
      await second.stop()
    }
  }

  @Test func aRuntimeAtAnExplicitURLThatIsDownIsAClearError() async throws {
    let port = try LoopbackPort.pickFree()
    let error = await thrownError { try await AttachCommand.runtime(at: "127.0.0.1:\(port)") }
    let message = "\(error.map { "\($0)" } ?? "")"
    #expect(message.contains("UNAVAILABLE: no Genkit runtime answers at http://127.0.0.1:\(port)"))
  }

  @Test func flowEntriesKeepOnlyFlowsWithTheirSchemas() {
    let actions = [
      RemoteAction(key: "/flow/greet", descriptor: ["name": "greet", "inputSchema": ["type": "string"]]),
      RemoteAction(key: "/tool.v2/get_weather", descriptor: ["name": "get_weather"]),
      RemoteAction(key: "/model/fake/tool-caller", descriptor: ["name": "fake/tool-caller"]),
    ]
    let entries = RemoteTarget.flowEntries(actions)
    #expect(entries.map(\.name) == ["greet"])
    #expect(entries.first?.inputSchema == ["type": "string"])
  }
}

@Suite("The started app's output")
struct AppProcessTests {
  @Test func splitsLinesAcrossReadsWithCRLFAndInvalidUTF8() {
    var splitter = LineSplitter()
    #expect(splitter.feed(Array("one\r\ntw".utf8)) == ["one"])
    #expect(splitter.feed(Array("o\n\nthree".utf8)) == ["two", ""])
    #expect(splitter.feed([0xFF, 0x0A]) == ["three\u{FFFD}"])
    #expect(splitter.finish() == nil)
    #expect(splitter.feed(Array("tail".utf8)).isEmpty)
    #expect(splitter.finish() == "tail")
  }

  @Test func cutsAnEndlessLine() {
    var splitter = LineSplitter()
    let lines = splitter.feed([UInt8](repeating: UInt8(ascii: "x"), count: LineSplitter.maxLineBytes * 2 + 5))
    #expect(lines.count == 2)
    #expect(splitter.finish()?.count == 5)
  }

  @Test func readsStdoutAndStderrAndStopsTheWholeProcessGroup() async throws {
    try await withSafetyLimit {
      let directory = try temporaryDirectory()
      let pidFile = directory.appendingPathComponent("grandchild.pid").path
      let script = "echo out; echo err >&2; sleep 120 & echo $! > \(pidFile); wait"
      let app = try AppProcess(command: ["sh", "-c", script], environment: ProcessInfo.processInfo.environment)
      var lines: [String] = []
      var iterator = app.lines.makeAsyncIterator()
      while lines.count < 2, let batch = await iterator.next() { lines += batch }
      #expect(Set(lines) == ["out", "err"])
      await eventually("the grandchild's pid") { FileManager.default.fileExists(atPath: pidFile) }
      let text = try String(contentsOfFile: pidFile, encoding: .utf8)
      let grandchild = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
      app.stop(gracePeriod: .seconds(5))
      #expect(app.exitStatus != nil)
      await eventually("the grandchild to be gone") { RemoteTarget.processEnded(grandchild) }
      // The log ends with how the app ended.
      var rest: [String] = []
      while let batch = await iterator.next() { rest += batch }
      #expect(rest.last?.hasPrefix("[flowscope] the app exited with status") == true)
    }
  }

  @Test func anUnknownCommandIsNotFound() {
    #expect(throws: CLIFailure.self) {
      try AppProcess(command: ["no-such-command-\(UUID().uuidString)"], environment: ["PATH": "/usr/bin:/bin"])
    }
  }
}

@Suite("Where runtimes are looked for")
struct SearchRootTests {
  @Test func theProjectRootAndTheWorkingDirectoryWhereTheyDiffer() throws {
    let root = try temporaryDirectory()
    _ = FileManager.default.createFile(atPath: root.appendingPathComponent("requirements.txt").path, contents: nil)
    let nested = root.appendingPathComponent("src/app")
    try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
    #expect(
      RemoteTarget.searchRoots(workingDirectory: nested.path).map(\.lastPathComponent) == [
        root.lastPathComponent, "app",
      ])
    #expect(RemoteTarget.searchRoots(workingDirectory: root.path).count == 1)
  }
}
