import AsyncHTTPClient
import Flows
import FlowsServer
import FlowsTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Testing
import TraceStore

/// The server over real sockets: lifecycle, extra routes and services, CORS, limits, concurrency.
@Suite struct FlowServerTests {
  @Test func servesOnAnEphemeralPortWithTraceHeaders() async throws {
    try await withLiveServer(makeTestRuntime()) { baseURL, server in
      #expect((server.port ?? 0) > 0)
      try await withHTTPClient { client in
        let response = try await post(client, baseURL + "/greet", #"{"data":{"name":"Ada","times":2}}"#)
        #expect(response.status == 200)
        #expect(response.body == #"{"result":{"greeting":"Hello, Ada! Hello, Ada!","length":23}}"#)
        #expect(response.headers["content-type"] == "application/json")
        #expect(isHex(response.headers["x-genkit-trace-id"], count: 32))
        #expect(isHex(response.headers["x-genkit-span-id"], count: 16))
        let refused = try await post(client, baseURL + "/greet", "{\"data\": {\"name\": ")
        #expect(refused.status == 400)
      }
    }
  }

  @Test func bodyLimitOverTheWire() async throws {
    let configuration = FlowServerConfiguration(bodyLimit: 1024)
    try await withLiveServer(makeTestRuntime(), configuration) { baseURL, _ in
      try await withHTTPClient { client in
        let big = #"{"data":"\#(String(repeating: "x", count: 4096))"}"#
        let declared = try await post(client, baseURL + "/echo", big)
        #expect(declared.status == 413)
        #expect(
          declared.body == #"{"status":"RESOURCE_EXHAUSTED","message":"Request body exceeds the limit of 1024 bytes"}"#)

        var chunked = HTTPClientRequest(url: baseURL + "/echo")
        chunked.method = .POST
        let parts = Array(big.utf8).chunks(of: 256).map { ByteBuffer(bytes: $0) }
        let stream = AsyncStream<ByteBuffer> { continuation in
          for part in parts { continuation.yield(part) }
          continuation.finish()
        }
        chunked.body = .stream(stream, length: .unknown)
        let response = try await client.execute(chunked, timeout: .seconds(10))
        #expect(response.status.code == 413)
        _ = try await response.body.collect(upTo: 1 << 20)
      }
    }
  }

  @Test func prefixExtraRoutesAndServices() async throws {
    let started = Signal()
    let configuration = FlowServerConfiguration(pathPrefix: "/api/")
    let routes: [FlowServer.RouteInstaller] = [
      { router in router.get("/health") { _, _ in "OK" } }
    ]
    try await withLiveServer(
      makeTestRuntime(), configuration, routes: routes, services: [SignalService(started: started)]
    ) { baseURL, _ in
      try await withTimeout(seconds: 5) { await started.wait() }
      try await withHTTPClient { client in
        #expect(try await post(client, baseURL + "/api/echo", #"{"data":"x"}"#).body == #"{"result":"x"}"#)
        #expect(try await post(client, baseURL + "/echo", #"{"data":"x"}"#).status == 404)
        let health = try await client.execute(HTTPClientRequest(url: baseURL + "/health"), timeout: .seconds(5))
        #expect(health.status.code == 200)
        #expect(String(buffer: try await health.body.collect(upTo: 100)) == "OK")
      }
    }
  }

  @Test func corsIsOffByDefaultAndFollowsTheAllowedOrigins() async throws {
    let allowed = "http://localhost:5173"
    let origin = HTTPField.Name("Origin")!
    let preflightHeaders: HTTPFields = [origin: allowed, .accessControlRequestMethod: "POST"]
    let off = try await withRouter(makeTestRuntime()) {
      try await $0.post("/echo", #"{"data":"x"}"#, headers: [.contentType: "application/json", origin: allowed])
    }
    #expect(off.headers[.accessControlAllowOrigin] == nil)

    let configuration = FlowServerConfiguration(cors: FlowCORSOptions(allowedOrigins: [allowed]))
    let (preflight, call, stranger) = try await withRouter(makeTestRuntime(), configuration) { client in
      (
        try await client.execute(uri: "/echo", method: .options, headers: preflightHeaders),
        try await client.post("/echo", #"{"data":"x"}"#, headers: [.contentType: "application/json", origin: allowed]),
        try await client.post(
          "/echo", #"{"data":"x"}"#, headers: [.contentType: "application/json", origin: "https://evil.example"])
      )
    }
    #expect(preflight.status == .noContent)
    #expect(preflight.headers[.accessControlAllowOrigin] == allowed)
    #expect(preflight.headers[.accessControlAllowMethods] == "POST, OPTIONS")
    #expect(call.status == .ok)
    #expect(call.headers[.accessControlAllowOrigin] == allowed)
    #expect(call.headers[.accessControlExposeHeaders] == "X-Genkit-Trace-Id, X-Genkit-Span-Id, x-genkit-stream-id")
    // A browser may send the durable stream id back.
    #expect(preflight.headers[.accessControlAllowHeaders]?.contains("x-genkit-stream-id") == true)
    #expect(stranger.headers[.accessControlAllowOrigin] == nil)

    let any = FlowServerConfiguration(cors: FlowCORSOptions(allowedOrigins: ["*"]))
    let wildcard = try await withRouter(makeTestRuntime(), any) {
      try await $0.post("/echo", #"{"data":"x"}"#, headers: [.contentType: "application/json", origin: "https://a.b"])
    }
    #expect(wildcard.headers[.accessControlAllowOrigin] == "*")
  }

  @Test func gracefulShutdownLetsInFlightCallsFinish() async throws {
    let gate = Signal()
    let server = FlowServer(
      registry: makeTestRuntime(gate: gate).registry, configuration: FlowServerConfiguration(port: 0))
    let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [server], logger: quietLogger))
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      let port = try await server.waitUntilRunning()
      try await withHTTPClient { client in
        let firstChunk = Signal()
        let call = Task {
          var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/gated?stream=true")
          request.method = .POST
          request.body = .bytes(ByteBuffer(string: "{}"))
          let response = try await client.execute(request, timeout: .seconds(10))
          var text = ""
          for try await part in response.body {
            text += String(buffer: part)
            if text.contains("first") { firstChunk.fire() }
          }
          return text
        }
        try await withTimeout(seconds: 10) { await firstChunk.wait() }
        await group.triggerGracefulShutdown()
        gate.fire()
        let text = try await withTimeout(seconds: 10) { try await call.value }
        #expect(text.hasSuffix("data: {\"result\":\"done\"}\n\n"))
      }
      try await tasks.waitForAll()
    }
    await #expect(throws: FlowError.self) { try await server.waitUntilRunning() }
  }

  @Test func bindFailureIsReported() async throws {
    try await withLiveServer(makeTestRuntime()) { _, first in
      let taken = try #require(first.port)
      let second = FlowServer(
        registry: FlowRuntime().registry, configuration: FlowServerConfiguration(port: taken), logger: quietLogger)
      await #expect(throws: (any Error).self) { try await second.run() }
      await #expect(throws: FlowError.self) { try await second.waitUntilRunning() }
    }
  }

  @Test func twoHundredConcurrentStreamsAllCompleteAndAreStored() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flows-server-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let runtime = makeTestRuntime()
    let store = try TraceStore(path: directory.appendingPathComponent("traces.sqlite").path)
    let writer = TraceStoreWriter(store: store, bus: runtime.bus)
    let clients = 200
    let expected =
      "data: {\"message\":{\"tick\":3}}\n\ndata: {\"message\":{\"tick\":2}}\n\n"
      + "data: {\"message\":{\"tick\":1}}\n\ndata: {\"result\":\"liftoff\"}\n\n"
    let traceIds = try await withLiveServer(runtime) { baseURL, _ in
      try await withHTTPClient(connections: clients) { client in
        try await withThrowingTaskGroup(of: String?.self) { group in
          for _ in 0..<clients {
            group.addTask {
              let response = try await post(
                client, baseURL + "/countdown", #"{"data":3}"#,
                headers: [("Content-Type", "application/json"), ("Accept", "text/event-stream")])
              return response.status == 200 && response.body == expected ? response.headers["x-genkit-trace-id"] : nil
            }
          }
          var ids: [String] = []
          for try await id in group { if let id { ids.append(id) } }
          return ids
        }
      }
    }
    #expect(traceIds.count == clients)
    #expect(Set(traceIds).count == clients)
    await writer.flush()
    #expect(try store.traceCount() == clients)
    await writer.stop()
  }
}

/// A service that signals when it starts and ends at graceful shutdown.
struct SignalService: Service {
  let started: Signal
  func run() async throws {
    started.fire()
    try? await gracefulShutdown()
  }
}

extension Array {
  /// Consecutive slices of at most `size` elements.
  func chunks(of size: Int) -> [ArraySlice<Element>] {
    stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
  }
}
