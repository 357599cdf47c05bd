import Flows
import FlowsClient
import FlowsTestSupport
import Testing

/// `FlowClient.run`: the request it sends and the results it returns.
@Suite("FlowClient.run")
struct RunTests {
  @Test func successReturnsTheResultAndTraceId() async throws {
    try await withStub(.json(PeerCaptures.greetResult, headers: ["X-Genkit-Trace-Id": "trace-123"])) { server in
      let result = try await makeClient(server).run(flow: "greet", input: ["name": "Ada", "times": 2])
      #expect(result.result == ["greeting": "Hello, Ada! Hello, Ada!", "length": 23])
      #expect(result.traceId == "trace-123")
      let request = try #require(server.requests.first)
      #expect(request.method == "POST")
      #expect(request.uri == "/greet")
      #expect(request.json == ["data": ["name": "Ada", "times": 2]])
      #expect(request.header("content-type") == "application/json")
      #expect(request.header("accept") == "application/json")
    }
  }

  @Test func withoutTraceHeaderTheTraceIdIsNil() async throws {
    try await withStub(.json(#"{"result":"x"}"#)) { server in
      let result = try await makeClient(server).run(flow: "trivial", input: "x")
      #expect(result == FlowRunResult(result: "x", traceId: nil))
    }
  }

  @Test func nullInputIsSentAsNull() async throws {
    try await withStub(.json(#"{"result":null}"#)) { server in
      let result = try await makeClient(server).run(flow: "trivial", input: .null)
      #expect(result.result == .null)
      #expect(server.requests.first?.json == ["data": .null])
    }
  }

  @Test func goTrailingNewlineAndMissingResult() async throws {
    try await withStub({ _, index in .json(index == 0 ? "{\"result\":[1,2]}\n" : "{}") }) { server async throws in
      let client = makeClient(server)
      #expect(try await client.run(flow: "a", input: 1).result == [1, 2])
      // A JS flow returning `undefined` answers `{}`.
      #expect(try await client.run(flow: "a", input: 1).result == .null)
    }
  }

  @Test func clientAndCallHeadersAreSentAndTheCallsWin() async throws {
    try await withStub(.json(#"{"result":1}"#)) { server in
      let client = makeClient(server, headers: ["Authorization": "Bearer client", "X-Client": "c"])
      _ = try await client.run(flow: "f", input: 1, headers: ["authorization": "Bearer call", "X-Call": "d"])
      let request = try #require(server.requests.first)
      #expect(request.header("authorization") == "Bearer call")
      #expect(request.header("x-client") == "c")
      #expect(request.header("x-call") == "d")
      #expect(request.headers.filter { $0.0.lowercased() == "authorization" }.count == 1)
    }
  }

  @Test func flowURLs() {
    let client = FlowClient(baseURL: "http://h:1/api/", timeout: .seconds(1))
    #expect(client.url(for: "greet") == "http://h:1/api/greet")
    #expect(client.url(for: "/menu/suggest") == "http://h:1/api/menu/suggest")
    #expect(client.url(for: "a b?c#d%é") == "http://h:1/api/a%20b%3Fc%23d%25%C3%A9")
  }

  @Test func baseURLWithAPathPrefix() async throws {
    try await withStub(.json(#"{"result":1}"#)) { server in
      let client = FlowClient(baseURL: server.baseURL + "/flows/", timeout: .seconds(30))
      _ = try await client.run(flow: "greet", input: 1)
      #expect(server.requests.first?.uri == "/flows/greet")
    }
  }

  @Test func manySequentialAndConcurrentCalls() async throws {
    try await withStub({ request, _ in .json(#"{"result":\#(request.json["data"]?.serialized() ?? "null")}"#) }) {
      server in
      let client = makeClient(server)
      for index in 0..<5 {
        #expect(try await client.run(flow: "echo", input: .integer(Int64(index))).result == .integer(Int64(index)))
      }
      try await withThrowingTaskGroup(of: Void.self) { group in
        for index in 0..<20 {
          group.addTask { () async throws in
            let value = JSONValue.integer(Int64(index))
            #expect(try await client.run(flow: "echo", input: value).result == value)
          }
        }
        try await group.waitForAll()
      }
    }
  }
}
