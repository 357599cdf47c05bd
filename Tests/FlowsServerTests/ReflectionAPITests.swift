import Flows
import FlowsServer
import FlowsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@Suite struct ReflectionAPITests {
  typealias Kit = ReflectionTestKit

  /// Runs `body` with an in-memory client for a router holding the reflection API.
  func withAPI<T: Sendable>(
    runtime: FlowRuntime = Kit.runtime(), state: ReflectionState = ReflectionState(runtimeId: "1234-3100"),
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> T
  ) async throws -> T {
    let router = Router()
    router.addReflectionAPI(runtime: runtime, state: state)
    return try await Kit.app(router).test(.router, body)
  }

  func run(_ client: any TestClientProtocol, _ json: JSONValue, query: String = "") async throws -> TestResponse {
    try await client.execute(uri: "/api/runAction" + query, method: .post, body: Kit.body(json))
  }

  @Test func healthChecksTheRuntimeId() async throws {
    try await withAPI { client in
      let plain = try await client.execute(uri: "/api/__health", method: .get)
      #expect(plain.status == .ok)
      #expect(String(buffer: plain.body) == "OK")
      #expect(plain.headers[HTTPField.Name("x-genkit-version")!] == "swift/" + ReflectionVersion.runtime)
      let ours = try await client.execute(uri: "/api/__health?id=1234-3100", method: .get)
      #expect(ours.status == .ok)
      let other = try await client.execute(uri: "/api/__health?id=999-1", method: .get)
      #expect(other.status == .serviceUnavailable)
      #expect(String(buffer: other.body) == "Invalid runtime ID")
      #expect(other.headers[HTTPField.Name("x-genkit-version")!] != nil)
    }
  }

  @Test func quitquitquitAnswersThenQuitsOnGetAndPost() async throws {
    let quits = Mutex(0)
    let state = ReflectionState(runtimeId: "1234-3100", quit: { quits.withLock { $0 += 1 } })
    try await withAPI(state: state) { client in
      let get = try await client.execute(uri: "/api/__quitquitquit", method: .get)
      #expect(get.status == .ok)
      #expect(String(buffer: get.body) == "OK")
      #expect(get.headers[HTTPField.Name("x-genkit-version")!] == "swift/" + ReflectionVersion.runtime)
      #expect(quits.withLock { $0 } == 1)
      // Genkit Python also accepts POST.
      let post = try await client.execute(uri: "/api/__quitquitquit", method: .post)
      #expect(post.status == .ok)
      #expect(quits.withLock { $0 } == 2)
      let put = try await client.execute(uri: "/api/__quitquitquit", method: .put)
      #expect(put.status != .ok)
      #expect(quits.withLock { $0 } == 2)
    }
  }

  @Test func listsActionsWithSchemas() async throws {
    try await withAPI { client in
      let response = try await client.execute(uri: "/api/actions", method: .get)
      #expect(response.status == .ok)
      #expect(response.headers[.contentType] == "application/json")
      let actions = try Kit.json(response.body)
      let echo = try #require(actions["/flow/echo"])
      #expect(echo["key"] == "/flow/echo")
      #expect(echo["name"] == "echo")
      #expect(echo["description"] == "Echoes its input.")
      #expect(echo["inputSchema"]?["type"] == "string")
      #expect(echo["inputSchema"]?["$schema"] == "http://json-schema.org/draft-07/schema#")
      #expect(echo["metadata"]?.objectValue != nil)
      let order = try #require(actions["/flow/order"])
      #expect(order["inputSchema"]?["properties"]?["quantity"]?["type"] == "integer")
      #expect(actions["/flow/countdown"] != nil)
    }
  }

  @Test func runsAnActionWithTraceHeaders() async throws {
    try await withAPI { client in
      let response = try await run(client, ["key": "/flow/echo", "input": "hi"])
      #expect(response.status == .ok)
      #expect(response.headers[.contentType] == "application/json")
      let traceId = try #require(response.headers[HTTPField.Name("X-Genkit-Trace-Id")!])
      let spanId = try #require(response.headers[HTTPField.Name("X-Genkit-Span-Id")!])
      #expect(traceId.count == 32 && spanId.count == 16)
      #expect(response.headers[HTTPField.Name("X-Genkit-Version")!] == ReflectionVersion.genkitVersion)
      let body = try Kit.json(response.body)
      #expect(body == ["result": "hi", "telemetry": ["traceId": .string(traceId)]])
    }
  }

  @Test func errorsAreHTTP200WithCanonicalCodes() async throws {
    try await withAPI { client in
      let boom = try await run(client, ["key": "/flow/boom", "input": "x"])
      #expect(boom.status == .ok)
      let traceId = try #require(boom.headers[HTTPField.Name("X-Genkit-Trace-Id")!])
      let error = try #require(try Kit.json(boom.body)["error"])
      #expect(error["code"] == 13)
      #expect(error["message"] == "kaboom")
      #expect(error["details"]?["traceId"] == .string(traceId))
      #expect(error["details"]?["stack"]?.stringValue?.isEmpty == false)

      let missing = try Kit.json(try await run(client, ["key": "/flow/missing", "input": "x"]).body)
      #expect(missing["error"]?["code"] == 5)
      #expect(missing["error"]?["message"] == "no such thing: x")
    }
  }

  @Test func invalidInputIsCode3WithoutTraceHeaders() async throws {
    try await withAPI { client in
      let response = try await run(client, ["key": "/flow/order", "input": ["item": 5]])
      #expect(response.status == .ok)
      #expect(response.headers[HTTPField.Name("X-Genkit-Trace-Id")!] == nil)
      let error = try #require(try Kit.json(response.body)["error"])
      #expect(error["code"] == 3)
      #expect(error["details"]?["violations"]?.arrayValue?.isEmpty == false)
      #expect(error["details"]?["traceId"] == nil)
    }
  }

  @Test func contextAndTelemetryLabelsReachTheRootSpan() async throws {
    let runtime = Kit.runtime()
    let subscription = runtime.bus.subscribe()
    try await withAPI(runtime: runtime) { client in
      let body: JSONValue = [
        "key": "/flow/echo", "input": "hi", "context": ["auth": ["uid": "u1"], "tenant": "t1"],
        "telemetryLabels": ["genkitx:source": "test"],
      ]
      let response = try await run(client, body)
      #expect(response.status == .ok)
    }
    let root = try #require(endedSpans(subscription.drain()).first { $0.parentSpanId == nil })
    #expect(root.attributes["genkitx:source"] == "test")
    let context = try JSONValue(parsing: try #require(root.attributes["genkit:metadata:context"]?.stringValue))
    #expect(context == ["auth": "<redacted>", "tenant": "t1"])
  }

  @Test func unknownKeyIs404AndBadBodiesAre400() async throws {
    try await withAPI { client in
      let unknown = try await run(client, ["key": "/flow/nope", "input": 1])
      #expect(unknown.status == .notFound)
      #expect(unknown.headers[.contentType] == "application/json")
      #expect(try Kit.json(unknown.body)["error"]?["code"] == 5)
      #expect(unknown.headers[HTTPField.Name("x-genkit-version")!] != nil)

      let malformed = try await client.execute(
        uri: "/api/runAction", method: .post, body: ByteBuffer(string: "{\"key\":"))
      #expect(malformed.status == .badRequest)
      #expect(try Kit.json(malformed.body)["error"]?["code"] == 3)
      let noKey = try await run(client, ["input": 1])
      #expect(noKey.status == .badRequest)
      let notObject = try await run(client, [1, 2])
      #expect(notObject.status == .badRequest)
      let badContext = try await run(client, ["key": "/flow/echo", "input": "x", "context": 3])
      #expect(badContext.status == .badRequest)
    }
  }

  @Test func streamingBodyIsNDJSONWithoutTrailingNewline() async throws {
    try await withAPI { client in
      let response = try await run(client, ["key": "/flow/countdown", "input": 3], query: "?stream=true")
      #expect(response.status == .ok)
      #expect(response.headers[.contentType] == "text/plain; charset=utf-8")
      let text = String(buffer: response.body)
      #expect(!text.hasSuffix("\n"))
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      #expect(lines.count == 4)
      #expect(lines.prefix(3) == ["3", "2", "1"])
      let final = try JSONValue(parsing: lines[3])
      #expect(final["result"] == "liftoff")
      #expect(final["telemetry"]?["traceId"]?.stringValue?.count == 32)
    }
  }

  @Test func streamingErrorIsTheLastLine() async throws {
    try await withAPI { client in
      let response = try await run(client, ["key": "/flow/boom", "input": "x"], query: "?stream=true")
      let text = String(buffer: response.body)
      #expect(!text.contains("\n"))
      #expect(try JSONValue(parsing: text)["error"]?["code"] == 13)
    }
  }

  @Test func cancelActionAnswers() async throws {
    try await withAPI { client in
      let unknown = try await client.execute(
        uri: "/api/cancelAction", method: .post, body: Kit.body(["traceId": "0123"]))
      #expect(unknown.status == .notFound)
      #expect(try Kit.json(unknown.body) == ["message": "Action not found or already completed"])
      let missing = try await client.execute(uri: "/api/cancelAction", method: .post, body: Kit.body([:]))
      #expect(missing.status == .badRequest)
      #expect(try Kit.json(missing.body) == ["error": "traceId is required"])
      let malformed = try await client.execute(uri: "/api/cancelAction", method: .post, body: ByteBuffer(string: "{"))
      #expect(malformed.status == .badRequest)
    }
  }

  @Test func notifyAdoptsTheTelemetryURLUnlessPinned() async throws {
    let bus = EventBus()
    let free = TelemetryExporter(bus: bus, configuration: TelemetryExporterConfiguration())
    let pinned = TelemetryExporter(
      bus: bus,
      configuration: .fromEnvironment(["GENKIT_TELEMETRY_SERVER": "http://127.0.0.1:4033"]))
    for (exporter, expected) in [(free, "http://127.0.0.1:4999"), (pinned, "http://127.0.0.1:4033")] {
      let state = ReflectionState(exporter: exporter)
      try await withAPI(state: state) { client in
        let response = try await client.execute(
          uri: "/api/notify", method: .post,
          body: Kit.body(["telemetryServerUrl": "http://127.0.0.1:4999", "reflectionApiSpecVersion": 1]))
        #expect(response.status == .ok)
        #expect(String(buffer: response.body) == "OK")
      }
      #expect(exporter.serverURL == expected)
      #expect(state.telemetryServerURL == expected)
      await exporter.shutdown()
    }
  }

  @Test func envsAndValues() async throws {
    let state = ReflectionState(values: { type in type == "defaultModel" ? ["defaultModel": "demo/assistant"] : [:] })
    try await withAPI(state: state) { client in
      let envs = try await client.execute(uri: "/api/envs", method: .get)
      #expect(try Kit.json(envs.body) == ["dev"])
      let model = try await client.execute(uri: "/api/values?type=defaultModel", method: .get)
      #expect(try Kit.json(model.body) == ["defaultModel": "demo/assistant"])
      let middleware = try await client.execute(uri: "/api/values?type=middleware", method: .get)
      #expect(try Kit.json(middleware.body) == [:])
      let missing = try await client.execute(uri: "/api/values", method: .get)
      #expect(missing.status == .badRequest)
      #expect(try Kit.json(missing.body) == ["error": "Query parameter \"type\" is required."])
      let unsupported = try await client.execute(uri: "/api/values?type=prompts", method: .get)
      #expect(unsupported.status == .badRequest)
    }
  }

  @Test func runtimeIdDefaultsToPidAndPort() {
    let state = ReflectionState(environment: [:])
    let pid = ProcessInfo.processInfo.processIdentifier
    #expect(state.runtimeId == "\(pid)")
    state.setPort(3105)
    #expect(state.runtimeId == "\(pid)-3105")
    #expect(ReflectionState(environment: ["GENKIT_RUNTIME_ID": "mine"]).runtimeId == "mine")
  }
}
