import Flows
import FlowsServer
import FlowsTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The callable protocol's success and error cases, in process (`.router`).
@Suite struct FlowEndpointTests {
  let runtime = makeTestRuntime()

  @Test func successAnswersResultWithTraceHeaders() async throws {
    let events = runtime.bus.subscribe()
    let response = try await withRouter(runtime) { try await $0.post("/greet", #"{"data":{"name":"Ada","times":2}}"#) }
    #expect(response.status == .ok)
    #expect(response.text == #"{"result":{"greeting":"Hello, Ada! Hello, Ada!","length":23}}"#)
    #expect(response.headers[.contentType] == "application/json")
    #expect(isHex(response.traceId, count: 32))
    #expect(isHex(response.spanId, count: 16))
    let root = try #require(endedSpans(events.drain()).first { $0.parentSpanId == nil })
    #expect(root.traceId == response.traceId)
    #expect(root.spanId == response.spanId)
  }

  @Test func inputKeyIsAnAliasOfData() async throws {
    let response = try await withRouter(runtime) { try await $0.post("/echo", #"{"input":"via input key"}"#) }
    #expect(response.status == .ok)
    #expect(response.text == #"{"result":"via input key"}"#)
  }

  @Test func emptyObjectIsNullInput() async throws {
    let (accepted, refused) = try await withRouter(runtime) { client in
      (try await client.post("/maybe", "{}"), try await client.post("/greet", "{}"))
    }
    #expect(accepted.status == .ok)
    #expect(accepted.text == #"{"result":"nothing"}"#)
    #expect(refused.status == .badRequest)
    #expect(refused.text.hasPrefix(#"{"status":"INVALID_ARGUMENT","message":"$: expected object, got null""#))
    #expect(refused.traceId == nil)
  }

  @Test func nullDataForRequiredInputIsInvalidArgument() async throws {
    let response = try await withRouter(runtime) { try await $0.post("/echo", #"{"data":null}"#) }
    #expect(response.status == .badRequest)
    #expect(response.text.hasPrefix(#"{"status":"INVALID_ARGUMENT","message":"$: expected string, got null""#))
  }

  @Test func schemaViolationNamesTheField() async throws {
    let response = try await withRouter(runtime) { try await $0.post("/greet", #"{"data":{"name":5}}"#) }
    #expect(response.status == .badRequest)
    let body = try JSONValue(parsing: response.text)
    #expect(body["status"] == "INVALID_ARGUMENT")
    #expect(body["message"] == "$.name: expected string, got number")
    #expect(body["details"]?["violations"]?[0]?["path"] == "$.name")
  }

  @Test func malformedJSONIs400WithLineAndColumn() async throws {
    let response = try await withRouter(runtime) { try await $0.post("/greet", "{\"data\":\n {\"name\": ") }
    #expect(response.status == .badRequest)
    #expect(response.headers[.contentType] == "application/json")
    let body = try JSONValue(parsing: response.text)
    #expect(body["status"] == "INVALID_ARGUMENT")
    #expect(body["message"]?.stringValue?.hasPrefix("Request body is not valid JSON: invalid JSON at line 2,") == true)
    #expect(body["details"]?["line"] == 2)
    #expect(body["details"]?["column"] != nil)
  }

  @Test func emptyBodyIs400() async throws {
    let (none, blank) = try await withRouter(runtime) { client in
      (try await client.post("/echo", nil), try await client.post("/echo", "  \n"))
    }
    let expected =
      #"{"status":"INVALID_ARGUMENT","message":"Request body is empty; send a JSON object {\"data\": <input>}"}"#
    #expect(none.status == .badRequest)
    #expect(none.text == expected)
    #expect(blank.status == .badRequest)
    #expect(blank.text == expected)
  }

  @Test(arguments: ["[1,2]", #"{"name":"Ada"}"#, #"{"message":"hi"}"#, "\"text\"", "42"])
  func bodyMustBeWrappedInData(body: String) async throws {
    let response = try await withRouter(runtime) { try await $0.post("/echo", body) }
    #expect(response.status == .badRequest)
    #expect(
      response.text
        == #"{"status":"INVALID_ARGUMENT","message":"Action request must be wrapped in {\"data\": ...} object"}"#)
  }

  @Test(arguments: [
    "application/json", "application/json; charset=utf-8", "application/vnd.api+json", "text/plain",
    "application/x-www-form-urlencoded",
  ])
  func lenientContentTypesAreAccepted(contentType: String) async throws {
    let response = try await withRouter(runtime) {
      try await $0.post("/echo", #"{"data":"x"}"#, headers: [.contentType: contentType])
    }
    #expect(response.status == .ok)
    #expect(response.text == #"{"result":"x"}"#)
  }

  @Test func missingContentTypeIsAccepted() async throws {
    let response = try await withRouter(runtime) { try await $0.post("/echo", #"{"data":"x"}"#, headers: [:]) }
    #expect(response.status == .ok)
  }

  @Test func otherContentTypesAre415() async throws {
    let response = try await withRouter(runtime) {
      try await $0.post("/echo", "<data>x</data>", headers: [.contentType: "application/xml"])
    }
    #expect(response.status.code == 415)
    #expect(
      response.text
        == #"{"status":"INVALID_ARGUMENT","message":"Unsupported Content-Type 'application/xml'; send the request body as application/json"}"#
    )
  }

  @Test func bodyOverTheLimitIs413() async throws {
    let configuration = FlowServerConfiguration(bodyLimit: 64)
    let (small, large) = try await withRouter(runtime, configuration) { client in
      (
        try await client.post("/echo", #"{"data":"short"}"#),
        try await client.post("/echo", #"{"data":"\#(String(repeating: "x", count: 100))"}"#)
      )
    }
    #expect(small.status == .ok)
    #expect(large.status.code == 413)
    #expect(large.text == #"{"status":"RESOURCE_EXHAUSTED","message":"Request body exceeds the limit of 64 bytes"}"#)
  }

  @Test func unknownFlowIs404JSON() async throws {
    let response = try await withRouter(runtime) { try await $0.post("/nope", #"{"data":1}"#) }
    #expect(response.status == .notFound)
    #expect(response.headers[.contentType] == "application/json")
    #expect(response.text == #"{"status":"NOT_FOUND","message":"Flow 'nope' not found"}"#)
  }

  @Test func otherMethodsAre405WithAllow() async throws {
    let (get, delete, unknown) = try await withRouter(runtime) { client in
      (
        try await client.execute(uri: "/greet", method: .get),
        try await client.execute(uri: "/greet", method: .delete),
        try await client.execute(uri: "/nope", method: .get)
      )
    }
    #expect(get.status.code == 405)
    #expect(get.headers[.allow] == "POST")
    #expect(
      get.text
        == #"{"status":"INVALID_ARGUMENT","message":"Method GET is not allowed on /greet; flows are called with POST"}"#
    )
    #expect(delete.status.code == 405)
    #expect(unknown.status == .notFound)
  }

  @Test func flowErrorsKeepTheirStatus() async throws {
    let responses = try await withRouter(runtime) { client in
      [
        try await client.post("/boom", #"{"data":"x"}"#), try await client.post("/missing", #"{"data":"x"}"#),
        try await client.post("/busy", #"{"data":"x"}"#), try await client.post("/giveUp", #"{"data":"x"}"#),
      ]
    }
    #expect(responses.map(\.status.code) == [500, 404, 503, 499])
    #expect(responses[0].text == #"{"status":"INTERNAL","message":"kaboom: x"}"#)
    #expect(responses[1].text == #"{"status":"NOT_FOUND","message":"no such record"}"#)
    #expect(responses[2].text == #"{"status":"UNAVAILABLE","message":"try again later"}"#)
    #expect(responses[3].text == #"{"status":"CANCELLED","message":"Action was cancelled"}"#)
    #expect(responses.allSatisfy { isHex($0.traceId, count: 32) && isHex($0.spanId, count: 16) })
  }
}
