import Flows
import FlowsClient
import FlowsTestSupport
import Testing

/// Runs `body` against a stub started with `script`, stopping the stub afterwards.
func withStub<T>(
  _ script: @escaping @Sendable (StubRequest, Int) -> StubResponse, _ body: (FlowStubServer) async throws -> T
) async throws -> T {
  let server = try await FlowStubServer.start(script)
  do {
    let result = try await body(server)
    await server.stop()
    return result
  } catch {
    await server.stop()
    throw error
  }
}

/// Runs `body` against a stub answering every request with `response`.
func withStub<T>(_ response: StubResponse, _ body: (FlowStubServer) async throws -> T) async throws -> T {
  try await withStub({ _, _ in response }, body)
}

/// A client for the stub.
func makeClient(
  _ server: FlowStubServer, timeout: Duration = .seconds(30), headers: [String: String] = [:]
) -> FlowClient {
  FlowClient(baseURL: server.baseURL, headers: headers, timeout: timeout)
}

/// Every chunk of `stream`, then its output.
func collect(_ stream: FlowClientStream) async throws -> (chunks: [JSONValue], output: JSONValue) {
  var chunks: [JSONValue] = []
  for try await chunk in stream { chunks.append(chunk) }
  return (chunks, try await stream.output)
}

/// `data: <payload>\n\n`.
func dataFrame(_ payload: String, lineEnding: String = "\n") -> String {
  "data: \(payload)\(lineEnding)\(lineEnding)"
}
