import Flows
import FlowsClient
import FlowsTestSupport
import Testing

/// Error answers become `FlowError`s with the right status, for `run` and for `stream`.
@Suite("Error responses")
struct ErrorResponseTests {
  /// The error `run` throws for `response`, and checks that `stream` throws the same.
  func failure(_ response: StubResponse, sourceLocation: SourceLocation = #_sourceLocation) async throws -> FlowError {
    try await withStub(response) { server in
      let client = makeClient(server)
      let error = try await requireFlowError { try await client.run(flow: "flow", input: "x") }
      let streamError = try await requireFlowError { try await collect(client.stream(flow: "flow", input: "x")) }
      #expect(streamError.status == error.status, sourceLocation: sourceLocation)
      #expect(streamError.message == error.message, sourceLocation: sourceLocation)
      #expect(streamError.details == error.details, sourceLocation: sourceLocation)
      #expect(streamError.traceId == error.traceId, sourceLocation: sourceLocation)
      return error
    }
  }

  @Test func genkitErrorBodyKeepsStatusMessageAndDetails() async throws {
    let error = try await failure(
      .json(
        status: 404, #"{"status":"NOT_FOUND","message":"no such flow","details":{"name":"flow"}}"#,
        headers: ["x-genkit-trace-id": "t-1"]))
    #expect(error.status == .notFound)
    #expect(error.message == "no such flow")
    #expect(error.details == ["name": "flow"])
    #expect(error.traceId == "t-1")
  }

  @Test func statusesFromJSONBodies() async throws {
    let cases: [(Int, String, StatusCode)] = [
      (401, #"{"status":"UNAUTHENTICATED","message":"Unauthenticated"}"#, .unauthenticated),
      (403, #"{"status":"PERMISSION_DENIED","message":"no"}"#, .permissionDenied),
      (429, #"{"status":"RESOURCE_EXHAUSTED","message":"slow down"}"#, .resourceExhausted),
      // JS spells this one with a space.
      (400, #"{"message":"Error: request.body is undefined","status":"INVALID ARGUMENT"}"#, .invalidArgument),
      // The Python peer answers 400 with an INTERNAL body: the body's status wins.
      (400, #"{"details":{"stack":null},"message":"None","status":"INTERNAL"}"#, .internal),
      // The reflection shape with a canonical code, and older Go's HTTP code in `code`.
      (500, #"{"code":5,"message":"gone"}"#, .notFound),
      (500, #"{"code":409,"message":"conflict"}"#, .aborted),
      // Wrapped in "error".
      (500, #"{"error":{"status":"UNIMPLEMENTED","message":"later"}}"#, .unimplemented),
    ]
    for (status, body, expected) in cases {
      let error = try await failure(.json(status: status, body))
      #expect(error.status == expected, "\(body)")
    }
  }

  @Test func capturedPythonInternalError() async throws {
    let error = try await failure(.json(status: 500, PeerCaptures.boomError))
    #expect(error.status == .internal)
    #expect(error.message == "kaboom: x")
    #expect(error.details == ["stack": ""])
  }

  @Test func plainText500KeepsTheServersText() async throws {
    let error = try await failure(.text(status: 500, PeerCaptures.plainInternalServerError))
    #expect(error.status == .internal)
    #expect(error.message.contains("HTTP 500"))
    #expect(error.message.contains("Internal Server Error"))
    #expect(error.message.contains("/flow"))
    #expect(error.details?["httpStatus"] == 500)
  }

  @Test func goPlainTextErrorsMapFromTheHTTPStatus() async throws {
    let cases: [(Int, StatusCode)] = [
      (400, .invalidArgument), (401, .unauthenticated), (403, .permissionDenied), (404, .notFound),
      (409, .aborted), (429, .resourceExhausted), (499, .cancelled), (501, .unimplemented), (502, .unavailable),
      (503, .unavailable), (504, .deadlineExceeded), (418, .failedPrecondition), (500, .internal),
    ]
    for (status, expected) in cases {
      let error = try await failure(.text(status: status, "flow said no\n"))
      #expect(error.status == expected, "HTTP \(status)")
      #expect(error.message.hasSuffix("flow said no"), "HTTP \(status): \(error.message)")
    }
  }

  @Test func htmlErrorPage() async throws {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    let error = try await failure(.text(status: 502, html, contentType: "text/html"))
    #expect(error.status == .unavailable)
    #expect(error.message.contains("502 Bad Gateway"))
  }

  @Test func emptyErrorBody() async throws {
    let error = try await failure(.text(status: 503, ""))
    #expect(error.status == .unavailable)
    #expect(error.message.contains("(empty body)"))
  }

  @Test func fastAPIDetailBodies() async throws {
    let notFound = try await failure(.json(status: 404, PeerCaptures.unknownFlow))
    #expect(notFound.status == .notFound)
    #expect(notFound.message.hasSuffix(": Not Found"))
    let notAllowed = try await failure(.json(status: 405, PeerCaptures.methodNotAllowed))
    #expect(notAllowed.status == .unimplemented)
    #expect(notAllowed.message.contains("Method Not Allowed"))
  }

  @Test func errorInA200Body() async throws {
    let error = try await failure(.json(#"{"error":{"status":"FAILED_PRECONDITION","message":"not ready"}}"#))
    #expect(error.status == .failedPrecondition)
    #expect(error.message == "not ready")
  }

  @Test func errorWithoutStatusIsInternal() async throws {
    let error = try await failure(.json(#"{"error":"something broke"}"#))
    #expect(error.status == .internal)
    #expect(error.message == "something broke")
  }

  @Test func malformed200Body() async throws {
    for body in ["not json", "[1,2]", #"{"result":"#] {
      let error = try await failure(.json(body))
      #expect(error.status == .internal)
      #expect(error.message.contains("malformed response"), "\(error.message)")
    }
  }
}
