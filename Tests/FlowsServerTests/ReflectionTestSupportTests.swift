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
import NIOHTTP1
import Testing
import TraceStore

// Helpers for the reflection and telemetry tests (no tests here). Everything is namespaced in
// `ReflectionTestKit` so it cannot clash with other suites' helpers in this target.

enum ReflectionTestKit {
  struct Order: Codable, Sendable {
    var item: String
    var quantity: Int
  }

  struct Boom: Error, CustomStringConvertible {
    var description: String { "kaboom" }
  }

  /// A runtime with `echo` (String→String), `order` (typed, schema-checked), `countdown`
  /// (streams n…1), `drip` (streams n chunks, fires `entered`, waits for `release`), `steps` (two
  /// `run` steps), `boom` (plain error), `missing` (NOT_FOUND), `sleepy` (fires `entered`, then
  /// sleeps until cancelled) and `held` (fires `entered`, waits for `release`).
  static func runtime(release: Signal = Signal(), entered: Signal = Signal()) -> FlowRuntime {
    let runtime = FlowRuntime()
    runtime.defineFlow("echo", description: "Echoes its input.") { (text: String) in text }
    runtime.defineFlow("order") { (order: Order) in "\(order.quantity) x \(order.item)" }
    runtime.defineStreamingFlow("countdown") { (n: Int, context: FlowContext<Int>) in
      for tick in stride(from: n, through: 1, by: -1) { context.sendChunk(tick) }
      return "liftoff"
    }
    runtime.defineStreamingFlow("drip") { (n: Int, context: FlowContext<String>) in
      for index in 0..<n { context.sendChunk("chunk \(index)") }
      entered.fire()
      await release.wait()
      return "done"
    }
    runtime.defineFlow("steps") { (text: String) in
      let upper = try await run("uppercase") { text.uppercased() }
      let reversed = try await run("reverse") { String(upper.reversed()) }
      return ["upper": upper, "reversed": reversed]
    }
    runtime.defineFlow("boom") { (_: String) -> String in throw Boom() }
    runtime.defineFlow("missing") { (text: String) -> String in throw FlowError(.notFound, "no such thing: \(text)") }
    runtime.defineFlow("sleepy") { (_: String) -> String in
      entered.fire()
      try await Task.sleep(for: .seconds(60))
      return "woke up"
    }
    runtime.defineFlow("held") { (text: String) -> String in
      entered.fire()
      await release.wait()
      return text
    }
    return runtime
  }

  static let logger: Logger = {
    var logger = Logger(label: "reflection-tests")
    logger.logLevel = .critical
    return logger
  }()

  /// An app serving `router` on an ephemeral loopback port.
  static func app(_ router: Router<BasicRequestContext>) -> some ApplicationProtocol {
    Application(
      router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
      logger: logger)
  }

  /// Runs `body` against a live server for `router`, with the server's base URL.
  static func withLive<T: Sendable>(
    _ router: Router<BasicRequestContext>, _ body: @escaping @Sendable (String) async throws -> T
  ) async throws -> T {
    try await app(router).test(.live) { client in
      let port = try #require(client.port)
      return try await body("http://127.0.0.1:\(port)")
    }
  }

  /// A JSON request body.
  static func body(_ json: JSONValue) -> ByteBuffer { ByteBuffer(bytes: json.serializedBytes()) }

  /// A response body parsed as JSON.
  static func json(_ buffer: ByteBuffer) throws -> JSONValue { try JSONValue(parsing: buffer.readableBytesView) }

  /// `POST url` with a JSON body; returns the response with its body not yet read.
  static func send(_ url: String, _ json: JSONValue? = nil, method: HTTPMethod = .POST, text: String? = nil)
    async throws -> HTTPClientResponse
  {
    var request = HTTPClientRequest(url: url)
    request.method = method
    if let json {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(body(json))
    } else if let text {
      request.headers.add(name: "Content-Type", value: "application/json")
      request.body = .bytes(ByteBuffer(string: text))
    }
    return try await HTTPClient.shared.execute(request, timeout: .seconds(30))
  }

  /// `GET url`; returns status and whole body.
  static func get(_ url: String) async throws -> (status: Int, body: String) {
    let response = try await send(url, method: .GET)
    let bytes = try await response.body.collect(upTo: 1 << 24)
    return (Int(response.status.code), String(buffer: bytes))
  }

  /// A fresh trace store in a temporary directory, removed with the returned value.
  final class Store: Sendable {
    let directory: String
    let store: TraceStore

    init() throws {
      directory =
        FileManager.default.temporaryDirectory
        .appendingPathComponent("reflection-tests-\(UUID().uuidString)", isDirectory: true).path
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      store = try TraceStore(path: directory + "/traces.sqlite")
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
  }

  /// A temporary directory removed with the returned value.
  final class Directory: Sendable {
    let path: String

    init() throws {
      path =
        FileManager.default.temporaryDirectory
        .appendingPathComponent("reflection-dir-\(UUID().uuidString)", isDirectory: true).path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
  }

  /// Polls `condition` every 10 ms for up to `seconds`.
  static func eventually(seconds: Double = 10, _ condition: @Sendable () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if try await condition() { return true }
      try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
  }

  /// A span for ingest tests; `end` 0 means running.
  static func span(
    trace: String, id: String, parent: String? = nil, name: String, start: Double, end: Double = 0,
    attributes: JSONObject = [:], status: Int = 0
  ) -> SpanData {
    var all: JSONObject = ["genkit:name": .string(name), "genkit:type": parent == nil ? "action" : "flowStep"]
    if parent == nil { all["genkit:metadata:subtype"] = "flow" }
    if end > 0 { all["genkit:state"] = status == 2 ? "error" : "success" }
    for (key, value) in attributes.entries { all[key] = value }
    return SpanData(
      spanId: id, traceId: trace, parentSpanId: parent, startTime: start, endTime: end, attributes: all,
      displayName: name, status: SpanData.SpanStatus(code: status, message: status == 2 ? "failed" : nil))
  }
}
