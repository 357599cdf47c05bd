import Flows
import FlowsAI
import FlowsOpenAI
import FlowsTestSupport
import Testing

/// HTTP errors, transport failures and timeouts mapped to `FlowError`.
@Suite("Error mapping")
struct ErrorMappingTests {
  func failure(_ response: StubResponse, streaming: Bool = false, timeout: Duration = .seconds(30)) async throws
    -> FlowError
  {
    try await withStub(response) { server in
      try await requireFlowError {
        try await makeModel(server, timeout: timeout).generate(
          GenerateRequest(messages: [.user("hi")]), onChunk: ignoringChunks(streaming))
      }
    }
  }

  @Test(arguments: [
    (400, StatusCode.invalidArgument), (401, .unauthenticated), (403, .permissionDenied), (404, .notFound),
    (408, .deadlineExceeded), (429, .resourceExhausted), (500, .internal), (502, .unavailable),
    (503, .unavailable), (504, .deadlineExceeded),
  ])
  func statusCodes(http: Int, expected: StatusCode) async throws {
    let body = #"{"error":{"message":"server says \#(http)","type":"some_error","code":"some_code"}}"#
    for streaming in [false, true] {
      let error = try await failure(.json(status: http, body), streaming: streaming)
      #expect(error.status == expected)
      #expect(error.message.contains("server says \(http)"))
      #expect(error.message.contains("HTTP \(http)"))
      #expect(error.details?["httpStatus"] == .integer(Int64(http)))
      #expect(error.details?["code"] == "some_code")
    }
  }

  @Test func integerErrorCode() async throws {
    // llama-server: `code` is an integer.
    let error = try await failure(
      .json(status: 404, #"{"error":{"message":"File Not Found","type":"not_found_error","code":404}}"#))
    #expect(error.status == .notFound)
    #expect(error.message.contains("File Not Found"))
    #expect(error.details?["code"] == 404)
    #expect(error.details?["type"] == "not_found_error")
  }

  @Test func modelInventedAToolIsInternal() async throws {
    let body =
      #"{"error":{"code":500,"message":"The model produced output that does not match the expected peg-native format","type":"server_error"}}"#
    let error = try await failure(.json(status: 500, body))
    #expect(error.status == .internal)
    #expect(error.message.contains("does not match the expected peg-native format"))
  }

  @Test func fastAPIDetailString() async throws {
    let error = try await failure(.json(status: 404, #"{"detail":"Not Found"}"#))
    #expect(error.status == .notFound)
    #expect(error.message.hasSuffix("Not Found"))
  }

  @Test func fastAPIValidationDetailList() async throws {
    let body =
      #"{"detail":[{"loc":["body","messages",0,"role"],"msg":"Input should be 'system', 'user' or 'assistant'","type":"literal_error"}]}"#
    let error = try await failure(.json(status: 422, body))
    #expect(error.status == .invalidArgument)
    #expect(error.message.contains("Input should be 'system', 'user' or 'assistant'"))
  }

  @Test func plainTextBody() async throws {
    // llama-cpp-python answers a malformed request with 500 text/plain.
    let error = try await failure(.text(status: 500, "Internal Server Error"))
    #expect(error.status == .internal)
    #expect(error.message.hasSuffix("Internal Server Error"))
  }

  @Test func longPlainTextBodyIsCut() async throws {
    let error = try await failure(.text(status: 503, String(repeating: "overloaded ", count: 100)))
    #expect(error.status == .unavailable)
    #expect(error.message.count < 300)
    #expect(error.message.hasSuffix("…"))
  }

  @Test func emptyErrorBody() async throws {
    let error = try await failure(.text(status: 401, ""))
    #expect(error.status == .unauthenticated)
    #expect(error.message == "model server returned HTTP 401")
  }

  @Test func errorStringShape() async throws {
    let error = try await failure(.json(status: 429, #"{"error":"rate limited, retry in 2s"}"#))
    #expect(error.status == .resourceExhausted)
    #expect(error.message.contains("rate limited, retry in 2s"))
  }

  @Test func retryAfterIsKept() async throws {
    let error = try await failure(
      .jsonWithHeaders(
        status: 429, #"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#,
        headers: ["Retry-After": "7"]))
    #expect(error.status == .resourceExhausted)
    #expect(error.details?["retryAfter"] == "7")
    #expect(error.message.contains("Rate limit reached"))
  }

  @Test func connectionRefusedIsUnavailable() async throws {
    // Take a port from a stub and stop it: nobody listens there any more.
    let server = try await StubServer.start(.json(completion("never")))
    let baseURL = server.baseURL
    await server.stop()
    let runtime = FlowRuntime()
    let model = runtime.defineOpenAICompatibleModel(
      configuration: OpenAICompatibleConfiguration(baseURL: baseURL, model: "m", timeout: .seconds(60)))
    for streaming in [false, true] {
      let error = try await requireFlowError {
        try await model.generate(GenerateRequest(messages: [.user("hi")]), onChunk: ignoringChunks(streaming))
      }
      #expect(error.status == .unavailable)
      #expect(error.message.contains("cannot reach the model server at \(baseURL)"))
      #expect(error.message.contains("connection refused"))
    }
  }

  @Test func slowServerTimesOut() async throws {
    try await withStub(.hang) { server in
      for streaming in [false, true] {
        let error = try await requireFlowError {
          try await makeModel(server, timeout: .milliseconds(300)).generate(
            GenerateRequest(messages: [.user("hi")]), onChunk: ignoringChunks(streaming))
        }
        #expect(error.status == .deadlineExceeded)
        #expect(error.message.contains(server.baseURL))
      }
      // The abandoned requests' connections are closed by the client.
      try await withSafetyLimit {
        await server.waitForClosedConnection()
        await server.waitForClosedConnection()
      }
      #expect(server.requests.count == 2)
    }
  }

  @Test func streamThatStallsAfterSomeChunksTimesOut() async throws {
    let chunks = Locked<[String]>([])
    let error = try await withStub(.sseThenHold(sseFrames([textChunk("slow")], done: false))) { server in
      try await requireFlowError {
        try await makeModel(server, timeout: .seconds(2)).generate(GenerateRequest(messages: [.user("hi")])) {
          chunks.append($0.text)
        }
      }
    }
    #expect(error.status == .deadlineExceeded)
    #expect(chunks.value == ["slow"])
  }

  @Test func invalidBaseURL() async throws {
    let runtime = FlowRuntime()
    let model = runtime.defineOpenAICompatibleModel(
      configuration: OpenAICompatibleConfiguration(baseURL: "not a url", model: "m"))
    let error = try await requireFlowError { try await model.generate(GenerateRequest(messages: [.user("hi")])) }
    #expect(error.status == .invalidArgument)
  }
}
