import AsyncHTTPClient
import Flows
import FlowsServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Testing

/// Runs `body` against the server's router in process (HummingbirdTesting `.router`: no sockets).
func withRouter<T: Sendable>(
  _ runtime: FlowRuntime, _ configuration: FlowServerConfiguration = FlowServerConfiguration(),
  _ body: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
  let server = FlowServer(registry: runtime.registry, configuration: configuration)
  let application = Application(router: server.makeRouter())
  return try await application.test(.router) { client in try await body(client) }
}

extension TestClientProtocol {
  /// `POST path` with a JSON body (or none).
  func post(_ path: String, _ body: String?, headers: HTTPFields = [.contentType: "application/json"]) async throws
    -> TestResponse
  {
    try await execute(uri: path, method: .post, headers: headers, body: body.map { ByteBuffer(string: $0) })
  }
}

extension TestResponse {
  var text: String { String(buffer: body) }
  var traceId: String? { headers[HTTPField.Name("X-Genkit-Trace-Id")!] }
  var spanId: String? { headers[HTTPField.Name("X-Genkit-Span-Id")!] }
}

/// True for `count` lowercase hex characters.
func isHex(_ text: String?, count: Int) -> Bool {
  guard let text else { return false }
  return text.count == count && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
}

/// A real server on an ephemeral loopback port, in a service group that shuts down gracefully
/// when `body` returns.
func withLiveServer<T: Sendable>(
  _ runtime: FlowRuntime, _ configuration: FlowServerConfiguration = FlowServerConfiguration(),
  routes: [FlowServer.RouteInstaller] = [], services: [any Service] = [],
  _ body: @Sendable (_ baseURL: String, _ server: FlowServer) async throws -> T
) async throws -> T {
  var configuration = configuration
  configuration.port = 0
  let server = FlowServer(registry: runtime.registry, configuration: configuration, routes: routes, services: services)
  let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [server], logger: quietLogger))
  return try await withThrowingTaskGroup(of: Void.self) { tasks in
    tasks.addTask { try await group.run() }
    do {
      let port = try await server.waitUntilRunning()
      let result = try await body("http://127.0.0.1:\(port)", server)
      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
      return result
    } catch {
      await group.triggerGracefulShutdown()
      throw error
    }
  }
}

let quietLogger: Logger = {
  var logger = Logger(label: "flows-server-tests")
  logger.logLevel = .critical
  return logger
}()

/// A client with a connection pool large enough for the concurrency tests.
func withHTTPClient<T: Sendable>(connections: Int = 8, _ body: (HTTPClient) async throws -> T) async throws -> T {
  let client = HTTPClient(
    eventLoopGroupProvider: .singleton,
    configuration: HTTPClient.Configuration(
      connectionPool: HTTPClient.Configuration.ConnectionPool(
        idleTimeout: .seconds(5), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)))
  do {
    let result = try await body(client)
    try await client.shutdown()
    return result
  } catch {
    try? await client.shutdown()
    throw error
  }
}

/// `POST url` with `body`; returns status, headers and the whole body.
func post(
  _ client: HTTPClient, _ url: String, _ body: String,
  headers: [(String, String)] = [("Content-Type", "application/json")]
) async throws -> (status: Int, headers: [String: String], body: String) {
  var request = HTTPClientRequest(url: url)
  request.method = .POST
  for (name, value) in headers { request.headers.add(name: name, value: value) }
  request.body = .bytes(ByteBuffer(string: body))
  let response = try await client.execute(request, timeout: .seconds(10))
  var fields: [String: String] = [:]
  for (name, value) in response.headers { fields[name.lowercased()] = value }
  let bytes = try await response.body.collect(upTo: 1 << 24)
  return (Int(response.status.code), fields, String(buffer: bytes))
}

/// Fails the test if `body` takes longer than `seconds`.
func withTimeout<T: Sendable>(
  seconds: Double, sourceLocation: SourceLocation = #_sourceLocation, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
  try await withThrowingTaskGroup(of: T?.self) { group in
    group.addTask { try await body() }
    group.addTask {
      try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
      return nil
    }
    let first = try await group.next() ?? nil
    group.cancelAll()
    return try #require(first, "timed out after \(seconds) s", sourceLocation: sourceLocation)
  }
}

/// The error a run named `name` ended with, from the first such run to finish on `events` (nil when
/// it succeeded); fails the test after 10 s.
func runEnding(named name: String, on events: EventSubscription) async throws -> SpanError? {
  try await withTimeout(seconds: 10) { () -> SpanError? in
    while let batch = await events.nextBatch() {
      for case .runFinished(let summary) in batch where summary.name == name { return summary.error }
    }
    return nil
  }
}
