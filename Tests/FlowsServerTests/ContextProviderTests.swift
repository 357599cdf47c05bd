import Flows
import FlowsServer
import FlowsTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Context providers: auth refusals, the context reaching the flow and its span, per-flow options.
@Suite struct ContextProviderTests {
  let runtime = makeTestRuntime()

  @Test func apiKeyProviderRefusesAndAccepts() async throws {
    let configuration = FlowServerConfiguration(contextProvider: APIKeyContextProvider(key: "s3cret"))
    let responses = try await withRouter(runtime, configuration) { client in
      [
        try await client.post("/whoami", "{}"),
        try await client.post("/whoami", "{}", headers: [.authorization: "wrong"]),
        try await client.post("/whoami", "{}", headers: [.authorization: "s3cret"]),
        try await client.post("/whoami", "{}", headers: [.authorization: "Bearer s3cret"]),
      ]
    }
    #expect(responses.map(\.status.code) == [401, 403, 200, 200])
    #expect(responses[0].text == #"{"status":"UNAUTHENTICATED","message":"Unauthenticated"}"#)
    #expect(responses[1].text == #"{"status":"PERMISSION_DENIED","message":"Permission Denied"}"#)
    #expect(responses[2].text == #"{"result":{"auth":{"apiKey":"s3cret"},"tenant":null}}"#)
    #expect(responses[3].text == responses[2].text)
  }

  @Test func apiKeyPredicate() async throws {
    let provider = APIKeyContextProvider(isAllowed: { $0.hasPrefix("team-") })
    let (allowed, denied) = try await withRouter(runtime, FlowServerConfiguration(contextProvider: provider)) {
      client in
      (
        try await client.post("/echo", #"{"data":"x"}"#, headers: [.authorization: "team-a"]),
        try await client.post("/echo", #"{"data":"x"}"#, headers: [.authorization: "other"])
      )
    }
    #expect(allowed.status == .ok)
    #expect(denied.status == .forbidden)
  }

  @Test func refusalWhileStreamingIsAnHTTPStatus() async throws {
    let configuration = FlowServerConfiguration(contextProvider: APIKeyContextProvider(key: "k"))
    let response = try await withRouter(runtime, configuration) {
      try await $0.post("/countdown", #"{"data":1}"#, headers: [.accept: "text/event-stream"])
    }
    #expect(response.status == .unauthorized)
    #expect(response.headers[.contentType] == "application/json")
  }

  @Test func providerSeesRequestAndContextReachesFlowAndSpan() async throws {
    let seen = Locked<FlowRequestData?>(nil)
    let provider = ClosureContextProvider { request in
      seen.mutate { $0 = request }
      var context = ActionContext(auth: ["uid": "u1"], values: ["tenant": "acme"])
      context.set("token", "t-123", secret: true)
      return context
    }
    let events = runtime.bus.subscribe()
    let response = try await withRouter(runtime, FlowServerConfiguration(contextProvider: provider)) {
      try await $0.post(
        "/whoami", #"{"data":"hi"}"#, headers: [.contentType: "application/json", .init("X-Tenant")!: "acme"])
    }
    #expect(response.text == #"{"result":{"auth":{"uid":"u1"},"tenant":"acme"}}"#)
    let request = try #require(seen.value)
    #expect(request.method == "POST")
    #expect(request.path == "/whoami")
    #expect(request.headers["x-tenant"] == "acme")
    #expect(request.header("X-TENANT") == "acme")
    #expect(request.input == "hi")
    let root = try #require(endedSpans(events.drain()).first { $0.parentSpanId == nil })
    #expect(
      root.attributes["genkit:metadata:context"]
        == .string(#"{"auth":"<redacted>","tenant":"acme","token":"<redacted>"}"#))
  }

  @Test func providerErrorsMapToTheirStatus() async throws {
    struct Broken: Error {}
    let provider = ClosureContextProvider { _ in throw Broken() }
    let response = try await withRouter(runtime, FlowServerConfiguration(contextProvider: provider)) {
      try await $0.post("/echo", #"{"data":"x"}"#)
    }
    #expect(response.status == .internalServerError)
    #expect(response.text == #"{"status":"INTERNAL","message":"Broken()"}"#)
  }

  @Test func malformedBodyIsRefusedBeforeTheProvider() async throws {
    let calls = Locked(0)
    let provider = ClosureContextProvider { _ in
      calls.increment()
      return ActionContext()
    }
    let response = try await withRouter(runtime, FlowServerConfiguration(contextProvider: provider)) {
      try await $0.post("/echo", "{")
    }
    #expect(response.status == .badRequest)
    #expect(calls.value == 0)
  }

  @Test func perFlowOptionsSetPathAndProvider() async throws {
    let tenant = ClosureContextProvider { _ in ActionContext(values: ["tenant": "per-flow"]) }
    let configuration = FlowServerConfiguration(
      pathPrefix: "/api", contextProvider: APIKeyContextProvider(key: "k"),
      flowOptions: ["whoami": FlowRouteOptions(path: "me/now", contextProvider: tenant)])
    let responses = try await withRouter(runtime, configuration) { client in
      [
        try await client.post("/api/me/now", "{}"),
        try await client.post("/api/whoami", "{}"),
        try await client.post("/api/echo", #"{"data":"x"}"#),
        try await client.post("/api/echo", #"{"data":"x"}"#, headers: [.authorization: "k"]),
        try await client.post("/echo", #"{"data":"x"}"#, headers: [.authorization: "k"]),
        try await client.execute(uri: "/api/me/now", method: .get),
      ]
    }
    #expect(responses.map(\.status.code) == [200, 404, 401, 200, 404, 405])
    #expect(responses[0].text == #"{"result":{"auth":null,"tenant":"per-flow"}}"#)
  }
}
