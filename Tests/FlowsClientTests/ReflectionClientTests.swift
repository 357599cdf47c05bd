import Flows
import FlowsClient
import FlowsServer
import FlowsTestSupport
import Testing

/// `ReflectionClient` against Flowscope's own reflection server, over real loopback connections.
@Suite("Reflection client against ReflectionServer")
struct ReflectionClientTests {
  typealias Fixtures = ReflectionFixtures

  @Test func healthAnswersAndChecksTheRuntimeId() async throws {
    try await Fixtures.withServer(Fixtures.runtime()) { server, base in
      let client = ReflectionClient(baseURL: base + "/")
      #expect(client.baseURL == base)
      try await client.health()
      try await client.health(id: server.state.runtimeId)
      let error = try await requireFlowError { try await client.health(id: "someone-else") }
      #expect(error.status == .unavailable)
      #expect(error.message.contains("is not runtime someone-else"), "\(error.message)")
      #expect(error.message.contains("Invalid runtime ID"), "\(error.message)")
    }
  }

  @Test func aDownPortIsAClearConnectionError() async throws {
    let url = "http://127.0.0.1:\(try Fixtures.closedPort())"
    let client = ReflectionClient(baseURL: url, timeout: .seconds(5))
    let error = try await requireFlowError { try await client.health() }
    #expect(error.status == .unavailable)
    #expect(error.message.contains("cannot reach the reflection server at \(url)"), "\(error.message)")
    #expect(error.message.contains("connection refused"), "\(error.message)")
    let run = try await requireFlowError { try await client.runAction(key: "/flow/echo", input: "x") }
    #expect(run.status == .unavailable)
    #expect(run.message.contains("connection refused"), "\(run.message)")
  }

  @Test func actionsAreListedSortedWithTheirSchemas() async throws {
    try await Fixtures.withServer(Fixtures.runtime()) { _, base in
      let actions = try await ReflectionClient(baseURL: base).actions()
      let keys = actions.map(\.key)
      #expect(keys == keys.sorted())
      for key in ["/flow/echo", "/flow/order", "/flow/countdown", "/flow/boom", "/flow/sleepy"] {
        #expect(keys.contains(key), "\(keys)")
      }
      let echo = try #require(actions.first { $0.key == "/flow/echo" })
      #expect(echo.type == "flow")
      #expect(echo.name == "echo")
      #expect(echo.description == "Echoes its input.")
      #expect(echo.inputSchema?["type"] == "string")
      #expect(echo.outputSchema?["type"] == "string")
      let order = try #require(actions.first { $0.key == "/flow/order" })
      #expect(order.inputSchema?["properties"]?["quantity"] != nil, "\(String(describing: order.inputSchema))")
    }
  }

  @Test func aRunReturnsItsResultAndTrace() async throws {
    try await Fixtures.withServer(Fixtures.runtime()) { _, base in
      let events = RunEvents()
      let run = try await ReflectionClient(baseURL: base).runAction(
        key: "/flow/echo", input: "hello", onTraceStarted: events.onTraceStarted)
      #expect(run.result == "hello")
      #expect(isHex(run.traceId, count: 32), "\(String(describing: run.traceId))")
      #expect(isHex(run.spanId, count: 16), "\(String(describing: run.spanId))")
      #expect(events.all == [.traceStarted(try #require(run.traceId), run.spanId)])
    }
  }

  @Test func aStreamReportsTheTraceThenTheChunksInOrder() async throws {
    try await Fixtures.withServer(Fixtures.runtime()) { _, base in
      let events = RunEvents()
      let run = try await ReflectionClient(baseURL: base).runAction(
        key: "/flow/countdown", input: 5, onTraceStarted: events.onTraceStarted, onChunk: events.onChunk)
      #expect(run.result == "liftoff")
      let traceId = try #require(run.traceId)
      #expect(
        events.all == [.traceStarted(traceId, run.spanId)]
          + [5, 4, 3, 2, 1].map { RunEvents.Event.chunk(.integer($0)) })
    }
  }

  @Test func contextAndTelemetryLabelsAreSent() async throws {
    try await Fixtures.withServer(Fixtures.runtime()) { _, base in
      let run = try await ReflectionClient(baseURL: base).runAction(
        key: "/flow/whoami", input: .null, context: ["auth": ["uid": "u1"], "tenant": "acme"],
        telemetryLabels: ["my:label": "v"])
      #expect(run.result == ["auth": ["uid": "u1"], "tenant": "acme"])
    }
  }

  @Test func aFlowErrorKeepsItsStatusMessageStackAndTrace() async throws {
    try await Fixtures.withServer(Fixtures.runtime()) { _, base in
      let client = ReflectionClient(baseURL: base)
      for streaming in [false, true] {
        let events = RunEvents()
        let boom = try await requireFlowError {
          try await client.runAction(
            key: "/flow/boom", input: "x", onTraceStarted: events.onTraceStarted,
            onChunk: streaming ? events.onChunk : nil)
        }
        #expect(boom.status == .internal)
        #expect(boom.message == "kaboom")
        #expect(boom.details?["stack"]?.stringValue?.isEmpty == false, "\(String(describing: boom.details))")
        #expect(boom.traceId != nil && boom.traceId == events.traceId)

        let missing = try await requireFlowError {
          try await client.runAction(key: "/flow/missing", input: "x", onChunk: streaming ? events.onChunk : nil)
        }
        #expect(missing.status == .notFound)
        #expect(missing.message == "no such thing: x")
      }
    }
  }

  @Test func anUnknownKeyOrABadInputIsReported() async throws {
    try await Fixtures.withServer(Fixtures.runtime()) { _, base in
      let client = ReflectionClient(baseURL: base)
      let unknown = try await requireFlowError { try await client.runAction(key: "/flow/nope", input: 1) }
      #expect(unknown.status == .notFound)
      #expect(unknown.message.contains("/flow/nope"), "\(unknown.message)")
      let invalid = try await requireFlowError {
        try await client.runAction(key: "/flow/order", input: ["item": "tea"], onChunk: { _ in })
      }
      #expect(invalid.status == .invalidArgument, "\(invalid)")
    }
  }

  @Test func cancellingALiveRunEndsItCancelled() async throws {
    let entered = Signal()
    try await Fixtures.withServer(Fixtures.runtime(entered: entered)) { server, base in
      let client = ReflectionClient(baseURL: base)
      let events = RunEvents()
      let run = Task {
        try await client.runAction(
          key: "/flow/sleepy", input: "z", onTraceStarted: events.onTraceStarted, onChunk: events.onChunk)
      }
      await events.traceStarted.wait()
      await entered.wait()
      let traceId = try #require(events.traceId)
      #expect(server.state.activeRuns.traceIds == [traceId])
      #expect(try await client.cancelAction(traceId: traceId))
      let error = try await withSafetyLimit(.seconds(10)) { try await requireFlowError { try await run.value } }
      #expect(error.status == .cancelled)
      #expect(error.traceId == traceId)
      #expect(events.chunks == ["zzz"])
      #expect(try await client.cancelAction(traceId: traceId) == false)
      #expect(try await client.cancelAction(traceId: "0123") == false)
    }
  }

  @Test func notifyPassesTheTelemetryServer() async throws {
    try await Fixtures.withServer(Fixtures.runtime()) { server, base in
      try await ReflectionClient(baseURL: base).notify(telemetryServerURL: "http://127.0.0.1:4033")
      #expect(server.state.telemetryServerURL == "http://127.0.0.1:4033")
    }
  }

  @Test func cancellingTheCallingTaskClosesTheRequestPromptly() async throws {
    let entered = Signal()
    try await Fixtures.withServer(Fixtures.runtime(entered: entered)) { server, base in
      let events = RunEvents()
      let run = Task {
        try await ReflectionClient(baseURL: base).runAction(
          key: "/flow/sleepy", input: "z", onTraceStarted: events.onTraceStarted, onChunk: events.onChunk)
      }
      await entered.wait()
      await events.traceStarted.wait()
      let started = ContinuousClock.now
      run.cancel()
      let error = await thrownError { try await run.value }
      #expect(error is CancellationError, "\(String(describing: error))")
      #expect(ContinuousClock.now - started < .seconds(5))
      // Closing the request leaves the run going on this runtime: stop it here.
      let traceId = try #require(events.traceId)
      #expect(server.state.activeRuns.cancel(traceId: traceId))
    }
  }
}
