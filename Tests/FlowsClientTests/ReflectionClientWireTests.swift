import Flows
import FlowsClient
import FlowsTestSupport
import Testing

/// `ReflectionClient` against scripted answers: the Python runtime's captured wire behaviour and the
/// ways a runtime can misbehave.
@Suite("Reflection client wire behaviour")
struct ReflectionClientWireTests {
  /// Python's streamed countdown (reflection/04): lowercase trace headers, non-compact JSON, final
  /// object without a newline.
  static let pythonHeaders = ["x-genkit-trace-id": "fd5423d102aa79d851c80bf9f338331d", "x-genkit-span-id": "2da4"]

  func client(_ server: FlowStubServer, runTimeout: Duration = .seconds(30)) -> ReflectionClient {
    ReflectionClient(baseURL: server.baseURL, timeout: .seconds(10), runTimeout: runTimeout)
  }

  @Test func theRequestCarriesKeyInputContextAndLabels() async throws {
    let answer = StubResponse.json(#"{"result": 1, "telemetry": {"traceId": "t1"}}"#)
    try await withStub(answer) { server in
      let run = try await client(server).runAction(
        key: "/flow/x", input: ["a": 1], context: ["auth": ["uid": "u"]], telemetryLabels: ["k": "v"],
        onChunk: { _ in })
      #expect(run == ReflectionRunResult(result: 1, traceId: "t1"))
      let request = try #require(server.requests.first)
      #expect(request.method == "POST")
      #expect(request.uri == "/api/runAction?stream=true")
      #expect(request.header("content-type") == "application/json")
      #expect(
        request.json == [
          "key": "/flow/x", "input": ["a": 1], "context": ["auth": ["uid": "u"]], "telemetryLabels": ["k": "v"],
        ])
    }
  }

  @Test func pythonStreamWithSplitLinesAndCRLF() async throws {
    let steps: [StreamStep] = [
      .send(#"{"tick": 3}"# + "\r\n" + #"{"ti"#), .pause(.milliseconds(20)), .send(#"ck": 2}"# + "\r"),
      .send("\n\r\n" + #"{"tick": 1}"# + "\n"),
      .send(#"{"result": "liftoff", "telemetry": {"traceId": "fd5423d102aa79d851c80bf9f338331d", "#),
      .send(#""spanId": "2da49523ffa3f35e"}}"#),
    ]
    let answer = StubResponse.stream(steps, contentType: "text/plain; charset=utf-8", headers: Self.pythonHeaders)
    try await withStub(answer) { server in
      let events = RunEvents()
      let run = try await client(server).runAction(
        key: "/flow/countdown", input: 3, onTraceStarted: events.onTraceStarted, onChunk: events.onChunk)
      #expect(run.result == "liftoff")
      #expect(run.traceId == "fd5423d102aa79d851c80bf9f338331d")
      #expect(run.spanId == "2da49523ffa3f35e")
      #expect(
        events.all == [
          .traceStarted("fd5423d102aa79d851c80bf9f338331d", "2da4"), .chunk(["tick": 3]), .chunk(["tick": 2]),
          .chunk(["tick": 1]),
        ])
    }
  }

  @Test func theTraceIsReportedBeforeTheFirstChunkArrives() async throws {
    let release = Signal()
    let answer = StubResponse.stream(
      [.wait(release), .send("\"late\"\n{\"result\":\"done\",\"telemetry\":{}}")], contentType: "text/plain",
      headers: ["X-GENKIT-TRACE-ID": "abc"])
    try await withStub(answer) { server in
      let events = RunEvents()
      let client = client(server)
      let run = Task {
        try await client.runAction(
          key: "/flow/x", onTraceStarted: events.onTraceStarted, onChunk: events.onChunk)
      }
      await events.traceStarted.wait()
      #expect(events.all == [.traceStarted("abc", nil)])
      release.fire()
      let result = try await run.value
      #expect(result == ReflectionRunResult(result: "done", traceId: "abc"))
      #expect(events.chunks == ["late"])
    }
  }

  @Test func aPythonErrorObjectBecomesAFlowError() async throws {
    let body =
      #"{"error": {"details": {"stack": "", "traceId": "3166c2b4aa92debab8fb2de626d2421b"}, "message": "Error while running action boom: ValueError('kaboom: x')", "code": 13}}"#
    for streaming in [false, true] {
      let headers = ["x-genkit-trace-id": "3166"]
      let answer: StubResponse
      if streaming {
        answer = .stream([.send(body)], contentType: "text/plain; charset=utf-8", headers: headers)
      } else {
        answer = .json(status: 200, body, headers: headers)
      }
      let events = RunEvents()
      let onChunk = streaming ? events.onChunk : nil
      try await withStub(answer) { server in
        let error = try await requireFlowError {
          try await client(server).runAction(key: "/flow/boom", input: "x", onChunk: onChunk)
        }
        #expect(error.status == .internal)
        #expect(error.message == "Error while running action boom: ValueError('kaboom: x')")
        #expect(error.details?["stack"] == "")
        #expect(error.traceId == "3166c2b4aa92debab8fb2de626d2421b")
      }
    }
  }

  @Test func statusNamesAndCodesAreMapped() async throws {
    let cases: [(String, StatusCode)] = [
      (#"{"error":{"code":5,"message":"m","details":{"traceId":null}}}"#, .notFound),
      (#"{"error":{"code":1,"message":"Action was cancelled"}}"#, .cancelled),
      (#"{"error":{"code":3.0,"message":"m"}}"#, .invalidArgument),
      (#"{"error":{"code":"NOT_FOUND","message":"m"}}"#, .notFound),
      (#"{"error":{"code":"7","message":"m"}}"#, .permissionDenied),
      (#"{"error":{"status":"RESOURCE_EXHAUSTED","message":"m"}}"#, .resourceExhausted),
      (#"{"error":{"code":404,"message":"m"}}"#, .notFound),
      (#"{"error":{"message":"m"}}"#, .internal),
      (#"{"error":"plain text"}"#, .internal),
    ]
    for (body, status) in cases {
      try await withStub(.json(body, headers: ["X-Genkit-Trace-Id": "tid"])) { server in
        let error = try await requireFlowError { try await client(server).runAction(key: "/flow/x") }
        #expect(error.status == status, "\(body)")
        #expect(error.traceId == "tid", "\(body)")
      }
    }
  }

  @Test func pythonUnknownKeyIsNotFound() async throws {
    try await withStub(.json(status: 404, #"{"error":"Action not found: /flow/nope"}"#)) { server in
      let error = try await requireFlowError { try await client(server).runAction(key: "/flow/nope", input: 1) }
      #expect(error.status == .notFound)
      #expect(error.message == "Action not found: /flow/nope")
    }
  }

  @Test func jsPlainTextNotFoundIsNotFound() async throws {
    try await withStub(.text(status: 404, "action /flow/nope not found")) { server in
      let error = try await requireFlowError { try await client(server).runAction(key: "/flow/nope") }
      #expect(error.status == .notFound)
      #expect(error.message.contains("action /flow/nope not found"), "\(error.message)")
    }
  }

  @Test func aNonJSONInternalServerErrorIsInternalWithItsSanitizedText() async throws {
    try await withStub(.text(status: 500, "Internal Server Error")) { server in
      let error = try await requireFlowError { try await client(server).runAction(key: "/tool/get_weather") }
      #expect(error.status == .internal)
      #expect(error.message == "HTTP 500 from \(server.baseURL)/api/runAction: Internal Server Error")
    }
    let hostile = "<html>\u{1B}[31mred\u{1B}[0m\r\n\u{07}" + String(repeating: "x", count: 5_000) + "</html>"
    try await withStub(.text(status: 500, hostile, contentType: "text/html")) { server in
      let error = try await requireFlowError { try await client(server).runAction(key: "/flow/x") }
      #expect(error.status == .internal)
      #expect(!error.message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(error.message)")
      #expect(error.message.count < 500, "\(error.message.count)")
      #expect(error.message.hasSuffix("…"))
    }
  }

  @Test func aMalformedLineIsNamed() async throws {
    let answer = StubResponse.stream(
      [.send("\"fine\"\n{oops\n{\"result\":1}")], contentType: "text/plain", headers: ["X-Genkit-Trace-Id": "t"])
    try await withStub(answer) { server in
      let events = RunEvents()
      let error = try await requireFlowError {
        try await client(server).runAction(key: "/flow/x", onChunk: events.onChunk)
      }
      #expect(error.status == .internal)
      #expect(error.message.contains("malformed line 2"), "\(error.message)")
      #expect(error.message.contains("{oops"), "\(error.message)")
      #expect(events.chunks == ["fine"])
    }
  }

  @Test func aFinalLineThatIsNotAnObjectIsMalformed() async throws {
    try await withStub(.stream([.send("\"a\"\n\"b\"")], contentType: "text/plain")) { server in
      let error = try await requireFlowError { try await client(server).runAction(key: "/flow/x", onChunk: { _ in }) }
      #expect(error.status == .internal)
      #expect(error.message.contains("malformed line 2"), "\(error.message)")
    }
  }

  @Test func aConnectionResetMidStreamIsAClearConnectionError() async throws {
    let answer = StubResponse.stream(
      [.send("\"one\"\n")], end: .disconnect, contentType: "text/plain", headers: ["X-Genkit-Trace-Id": "t"])
    try await withStub(answer) { server in
      let events = RunEvents()
      let error = try await requireFlowError {
        try await client(server).runAction(key: "/flow/x", onChunk: events.onChunk)
      }
      #expect(error.status == .unavailable)
      #expect(
        error.message.hasPrefix("the connection to the Genkit runtime at \(server.baseURL)/api/runAction?stream=true"),
        "\(error.message)")
      #expect(error.message.contains("was lost after 1 chunk"), "\(error.message)")
      #expect(error.traceId == "t")
      #expect(events.chunks == ["one"])
    }
  }

  @Test func aRunEndedWithoutAResultIsCancelled() async throws {
    // Genkit Python ends a cancelled run's body with nothing more (reflection `cancelAction`).
    let answer = StubResponse.stream(
      [.send("\"one\"\n")], contentType: "text/plain", headers: ["X-Genkit-Trace-Id": "t"])
    try await withStub(answer) { server in
      let error = try await requireFlowError { try await client(server).runAction(key: "/flow/x", onChunk: { _ in }) }
      #expect(error.status == .cancelled)
      #expect(error.message.contains("without a result"), "\(error.message)")
      #expect(error.traceId == "t")
    }
    try await withStub(.json("", headers: ["X-Genkit-Trace-Id": "t"])) { server in
      let error = try await requireFlowError { try await client(server).runAction(key: "/flow/x") }
      #expect(error.status == .cancelled)
    }
  }

  @Test func aRunThisClientCancelledSaysSo() async throws {
    let release = Signal()
    try await withStub({ request, _ in
      if request.uri.hasPrefix("/api/cancelAction") { return .json(#"{"message":"Cancelled"}"#) }
      return .stream([.wait(release)], contentType: "text/plain", headers: ["X-Genkit-Trace-Id": "t42"])
    }) { server in
      let client = client(server)
      let events = RunEvents()
      let run = Task { try await client.runAction(key: "/flow/slow", onTraceStarted: events.onTraceStarted) }
      await events.traceStarted.wait()
      #expect(try await client.cancelAction(traceId: "t42"))
      release.fire()
      let error = try await requireFlowError { try await run.value }
      #expect(error.status == .cancelled)
      #expect(error.message == "Action was cancelled")
    }
  }

  @Test func cancelActionAnswers() async throws {
    try await withStub(.json(status: 404, #"{"message":"Not found"}"#)) { server in
      let cancelled = try await client(server).cancelAction(traceId: "0123")
      #expect(cancelled == false)
      #expect(server.requests.first?.json == ["traceId": "0123"])
    }
    try await withStub(.json(status: 400, #"{"error":"traceId required"}"#)) { server in
      let error = try await requireFlowError { try await client(server).cancelAction(traceId: "") }
      #expect(error.status == .invalidArgument)
      #expect(error.message == "traceId required")
    }
  }

  @Test func notifyAcceptsPythonsEmptyObject() async throws {
    try await withStub(.json("{}")) { server in
      try await client(server).notify(telemetryServerURL: "http://127.0.0.1:4033", reflectionApiSpecVersion: 1)
      #expect(
        server.requests.first?.json == ["reflectionApiSpecVersion": 1, "telemetryServerUrl": "http://127.0.0.1:4033"])
    }
  }

  @Test func healthAcceptsPythonsJSONAnswerAndPassesTheId() async throws {
    try await withStub(.json(#"{"status":"OK"}"#)) { server in
      try await client(server).health(id: "9055-49783 x")
      #expect(server.requests.first?.uri == "/api/__health?id=9055-49783%20x")
    }
  }

  @Test func actionsCopeWithABigBodyAndMissingFields() async throws {
    var entries: [String] = [
      #""/flow/full": {"key": "/flow/full", "name": "full", "description": "", "metadata": {"inputSchema": {"type": "string"}}}"#,
      #""/model/fake/tool-caller": {"name": "fake/tool-caller", "metadata": {"model": {"supports": {"tools": true}}}}"#,
      #""/tool.v2/get_weather": {"key": "/tool.v2/get_weather", "inputSchema": null, "outputSchema": null, "metadata": null, "description": null}"#,
      #""/util/generate": 7"#,
    ]
    let filler = String(repeating: "y", count: 1_000)
    for index in 0..<100 {
      entries.append(
        #""/flow/f\#(index)": {"key": "/flow/f\#(index)", "name": "f\#(index)", "description": "\#(filler)", "inputSchema": {"type": "object"}}"#
      )
    }
    let body = "{" + entries.joined(separator: ", ") + "}"
    #expect(body.utf8.count > 95_000)
    try await withStub(.json(body, headers: ["x-genkit-version": "0.12.0"])) { server in
      let actions = try await client(server).actions()
      #expect(actions.count == 104)
      #expect(actions.map(\.key) == actions.map(\.key).sorted())
      let full = try #require(actions.first { $0.key == "/flow/full" })
      #expect(full.description == nil)
      #expect(full.inputSchema == ["type": "string"])
      let model = try #require(actions.first { $0.key == "/model/fake/tool-caller" })
      #expect(model.type == "model")
      #expect(model.name == "fake/tool-caller")
      #expect(model.metadata["model"]?["supports"]?["tools"] == true)
      let tool = try #require(actions.first { $0.key == "/tool.v2/get_weather" })
      #expect(tool.type == "tool.v2")
      #expect(tool.name == "get_weather")
      #expect(tool.inputSchema == nil && tool.outputSchema == nil && tool.metadata.isEmpty)
      let util = try #require(actions.first { $0.key == "/util/generate" })
      #expect(util.type == "util" && util.name == "generate")
    }
  }

  @Test func actionsThatAreNotAnObjectAreMalformed() async throws {
    try await withStub(.json("[1, 2]")) { server in
      let error = try await requireFlowError { try await client(server).actions() }
      #expect(error.status == .internal)
      #expect(error.message.contains("expected an object of actions"), "\(error.message)")
    }
  }

  @Test func aSlowRunExceedsItsTimeout() async throws {
    try await withStub(.hang) { server in
      let error = try await requireFlowError {
        try await client(server, runTimeout: .milliseconds(300)).runAction(key: "/flow/x")
      }
      #expect(error.status == .deadlineExceeded)
      #expect(error.message.contains("/flow/x"), "\(error.message)")
    }
  }

  @Test func cancellingTheTaskClosesTheConnection() async throws {
    let answer = StubResponse.stream(
      [.send("\"first\"\n")], end: .hold, contentType: "text/plain", headers: ["X-Genkit-Trace-Id": "t"])
    try await withStub(answer) { server in
      let events = RunEvents()
      let firstChunk = Signal()
      let client = client(server)
      let run = Task {
        try await client.runAction(
          key: "/flow/x",
          onChunk: { chunk in
            events.onChunk(chunk)
            firstChunk.fire()
          })
      }
      await firstChunk.wait()
      run.cancel()
      let error = try await withSafetyLimit(.seconds(10)) { await thrownError { try await run.value } }
      #expect(error is CancellationError, "\(String(describing: error))")
      try await withSafetyLimit(.seconds(10)) { await server.waitForClosedConnection() }
      #expect(server.closedConnections == 1)
    }
  }

  @Test func keysSplitIntoTypeAndName() {
    #expect(RemoteAction.split(key: "/flow/x") == ("flow", "x"))
    #expect(RemoteAction.split(key: "/tool.v2/y") == ("tool.v2", "y"))
    #expect(RemoteAction.split(key: "/model/a/b") == ("model", "a/b"))
    #expect(RemoteAction.split(key: "flow/x") == ("flow", "x"))
    #expect(RemoteAction.split(key: "/util") == ("util", ""))
    #expect(RemoteAction(key: "/util", descriptor: ["name": "generate"]).name == "generate")
  }
}
