import Flows
import FlowsClient
import FlowsTestSupport
import Foundation
import Testing

/// Flowscope's reflection client attached to a real Genkit Python 0.12.0 runtime
/// (Tests/Peer/attach_app.py in dev mode), discovered from its runtime file.
@Suite(
  "Python Genkit runtime over the reflection API", .serialized,
  .enabled(
    if: AttachedPythonRuntime.isInstalled,
    Comment(rawValue: PythonPeerVenv.missingMessage)
  ))
struct ReflectionPeerTests {
  @Test("the runtime is discovered, healthy, and lists its actions")
  func discoveryAndActions() async throws {
    try await AttachedPythonRuntime.with { runtime in
      let info = runtime.info
      let pid = try #require(info.pid)
      #expect(pid > 0)
      #expect(info.id.hasPrefix("\(pid)-"))
      #expect(info.genkitVersion == "py/0.12.0")
      #expect(info.reflectionApiSpecVersion == 1)
      #expect(info.reflectionServerUrl.hasPrefix("http://127.0.0.1:"))
      #expect(info.date != nil, "timestamp \(info.timestamp)")
      #expect(await RuntimeDiscovery.liveRuntimes(projectRoot: runtime.directory).map(\.id) == [info.id])

      let client = runtime.client
      try await client.health(id: info.id)
      // Genkit Python accepts /api/notify and ignores it.
      try await client.notify(telemetryServerURL: "http://127.0.0.1:9", reflectionApiSpecVersion: 1)

      let actions = try await client.actions()
      let keys = actions.map(\.key)
      for key in [
        "/flow/streamy", "/flow/steps", "/flow/weather", "/flow/slow", "/flow/boom", "/tool.v2/get_weather",
        "/model/fake/tool-caller",
      ] {
        #expect(keys.contains(key), "\(keys)")
      }
      #expect(keys == keys.sorted())
      let streamy = try #require(actions.first { $0.key == "/flow/streamy" })
      #expect(streamy.type == "flow" && streamy.name == "streamy")
      #expect(streamy.description?.contains("five text chunks") == true, "\(String(describing: streamy.description))")
      #expect(streamy.inputSchema?["type"] == "string")
      let model = try #require(actions.first { $0.key == "/model/fake/tool-caller" })
      #expect(model.type == "model" && model.name == "fake/tool-caller")
      let tool = try #require(actions.first { $0.key == "/tool.v2/get_weather" })
      #expect(tool.type == "tool.v2")
      #expect(tool.inputSchema?["properties"]?["city"] != nil, "\(String(describing: tool.inputSchema))")
    }
  }

  @Test("streamy streams its chunks after the trace starts; steps and weather return their results")
  func runs() async throws {
    try await AttachedPythonRuntime.with { runtime in
      let client = runtime.client
      let events = RunEvents()
      let streamy = try await client.runAction(
        key: "/flow/streamy", input: "x", onTraceStarted: events.onTraceStarted, onChunk: events.onChunk)
      #expect(streamy.result == "xOnce upon a time.")
      let traceId = try #require(streamy.traceId)
      #expect(traceId.count == 32)
      #expect(streamy.spanId?.count == 16)
      #expect(
        events.all == [.traceStarted(traceId, streamy.spanId)]
          + ["xOnce", " upon", " a", " time", "."].map { RunEvents.Event.chunk(.string($0)) })

      let steps = try await client.runAction(key: "/flow/steps", input: "abc")
      #expect(steps.result == ["upper": "ABC", "reversed": "CBA"])
      #expect(steps.traceId?.count == 32)

      let weather = try await client.runAction(key: "/flow/weather", input: "What is the weather in Oslo?")
      #expect(weather.result.stringValue?.contains("Sunny, 21C in Oslo") == true, "\(weather.result)")

      let tool = try await client.runAction(key: "/tool.v2/get_weather", input: ["city": "Rome"])
      #expect(tool.result == ["output": "Sunny, 21C in Rome"])
    }
  }

  @Test("errors: a raised ValueError, an unknown key, a bad input")
  func errors() async throws {
    try await AttachedPythonRuntime.with { runtime in
      let client = runtime.client
      for streaming: Bool in [false, true] {
        let events = RunEvents()
        let boom = try await requireFlowError {
          try await client.runAction(
            key: "/flow/boom", input: "x", onTraceStarted: events.onTraceStarted,
            onChunk: streaming ? events.onChunk : nil)
        }
        #expect(boom.status == .internal)
        #expect(boom.message.contains("kaboom: x"), "\(boom.message)")
        #expect(boom.message.contains("ValueError"), "\(boom.message)")
        #expect(boom.details?["stack"] == "")
        #expect(boom.traceId != nil && boom.traceId == events.traceId)
      }
      let unknown = try await requireFlowError { try await client.runAction(key: "/flow/nope", input: 1) }
      #expect(unknown.status == .notFound)
      #expect(unknown.message == "Action not found: /flow/nope")
      let invalid = try await requireFlowError { try await client.runAction(key: "/flow/slow", input: "soon") }
      #expect(invalid.status == .invalidArgument, "\(invalid)")
      #expect(invalid.details?["reason"] == "INVALID_INPUT", "\(String(describing: invalid.details))")
      let rejected = try await requireFlowError { try await client.runAction(key: "/tool/get_weather") }
      #expect(rejected.status == .internal)
      #expect(rejected.message.contains("HTTP 500"), "\(rejected.message)")
    }
  }

  @Test("cancelAction stops a running flow: the run ends cancelled and the flow saw CancelledError")
  func cancelAction() async throws {
    try await AttachedPythonRuntime.with { runtime in
      let client = runtime.client
      let events = RunEvents()
      let run = Task {
        try await client.runAction(
          key: "/flow/slow", input: 60, onTraceStarted: events.onTraceStarted, onChunk: events.onChunk)
      }
      let traceId = try await events.waitForTrace()
      try await Task.sleep(for: .milliseconds(200))
      #expect(!FileManager.default.fileExists(atPath: runtime.cancelMarker))
      let started = ContinuousClock.now
      #expect(try await client.cancelAction(traceId: traceId))
      let error = try await requireFlowError { try await run.value }
      #expect(ContinuousClock.now - started < .seconds(10))
      #expect(error.status == .cancelled)
      #expect(error.message == "Action was cancelled")
      #expect(error.traceId == traceId)
      #expect(try await waitForFile(runtime.cancelMarker), "slow did not see its cancellation")
      #expect(try await client.cancelAction(traceId: traceId) == false)
    }
  }

  @Test("cancelling the calling task closes the request, which cancels the Python run")
  func taskCancellation() async throws {
    try await AttachedPythonRuntime.with { runtime in
      let client = runtime.client
      let events = RunEvents()
      let run = Task { try await client.runAction(key: "/flow/slow", input: 60, onTraceStarted: events.onTraceStarted) }
      _ = try await events.waitForTrace()
      try await Task.sleep(for: .milliseconds(200))
      let started = ContinuousClock.now
      run.cancel()
      let error = await thrownError { try await run.value }
      #expect(error is CancellationError, "\(String(describing: error))")
      #expect(ContinuousClock.now - started < .seconds(5))
      #expect(try await waitForFile(runtime.cancelMarker), "closing the request did not cancel the Python run")
    }
  }

  /// Polls for `path` for up to 10 s.
  private func waitForFile(_ path: String) async throws -> Bool {
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
      if FileManager.default.fileExists(atPath: path) { return true }
      try await Task.sleep(for: .milliseconds(50))
    }
    return false
  }
}
