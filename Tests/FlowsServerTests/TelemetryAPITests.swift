import Flows
import FlowsServer
import FlowsTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TraceStore

@Suite struct TelemetryAPITests {
  typealias Kit = ReflectionTestKit

  func withAPI<T: Sendable>(
    _ storage: Kit.Store, bus: EventBus? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> T
  ) async throws -> T {
    let router = Router()
    router.addTelemetryAPI(store: storage.store, bus: bus)
    return try await Kit.app(router).test(.router, body)
  }

  func ingest(_ client: any TestClientProtocol, _ trace: TraceData) async throws -> TestResponse {
    try await client.execute(uri: "/api/traces", method: .post, body: Kit.body(trace.json))
  }

  func list(_ client: any TestClientProtocol, _ query: String = "") async throws -> (ids: [String], body: JSONValue) {
    let response = try await client.execute(uri: "/api/traces" + query, method: .get)
    #expect(response.status == .ok)
    let body = try Kit.json(response.body)
    let ids = (body["traces"]?.arrayValue ?? []).compactMap { $0["traceId"]?.stringValue }
    return (ids, body)
  }

  /// Six traces t0…t5 started 1000, 1010, …: even ones `flow` named "even", odd ones a `model`
  /// named "odd"; t3 failed; t4 labelled `genkitx:env=test`; each with one child step.
  func seed(_ client: any TestClientProtocol) async throws {
    for n in 0..<6 {
      let start = 1000 + Double(n) * 10
      var attributes: JSONObject = [:]
      if n % 2 == 1 { attributes["genkit:metadata:subtype"] = "model" }
      if n == 4 { attributes["genkitx:env"] = "test" }
      let root = Kit.span(
        trace: "t\(n)", id: "r\(n)", name: n % 2 == 0 ? "even" : "odd", start: start, end: start + 5,
        attributes: attributes, status: n == 3 ? 2 : 0)
      let child = Kit.span(trace: "t\(n)", id: "c\(n)", parent: "r\(n)", name: "step", start: start + 1, end: start + 2)
      #expect(try await ingest(client, TraceData(traceId: "t\(n)", spans: [root, child])).status == .ok)
    }
  }

  @Test func healthAndIngestAnswerOK() async throws {
    let storage = try Kit.Store()
    try await withAPI(storage) { client in
      let health = try await client.execute(uri: "/api/__health", method: .get)
      #expect(health.status == .ok && String(buffer: health.body) == "OK")
      let otlp = try await client.execute(uri: "/api/otlp", method: .post, body: Kit.body(["resourceLogs": []]))
      #expect(otlp.status == .ok && String(buffer: otlp.body) == "{}")
      let response = try await ingest(
        client, TraceData(traceId: "a", spans: [Kit.span(trace: "a", id: "r", name: "f", start: 1, end: 2)]))
      #expect(response.status == .ok && String(buffer: response.body) == "OK")
    }
    #expect(try storage.store.trace(id: "a")?.spans.count == 1)
  }

  @Test func listIsNewestFirstRootOnlyAndPaged() async throws {
    let storage = try Kit.Store()
    try await withAPI(storage) { client in
      try await seed(client)
      let all = try await list(client)
      #expect(all.ids == ["t5", "t4", "t3", "t2", "t1", "t0"])
      #expect(all.body["continuationToken"] == nil)
      let item = try #require(all.body["traces"]?[0])
      #expect(item["spans"]?.objectValue?.keys == ["r5"])
      #expect(item["displayName"] == "odd")
      #expect(item["startTime"] == 1050)

      let first = try await list(client, "?limit=4")
      #expect(first.ids == ["t5", "t4", "t3", "t2"])
      let token = try #require(first.body["continuationToken"]?.stringValue)
      let second = try await list(client, "?limit=4&continuationToken=" + token)
      #expect(second.ids == ["t1", "t0"])
      #expect(second.body["continuationToken"] == nil)

      let bad = try await client.execute(uri: "/api/traces?continuationToken=nope", method: .get)
      #expect(bad.status == .badRequest)
    }
  }

  @Test func filtersLikeGenkit() async throws {
    let storage = try Kit.Store()
    try await withAPI(storage) { client in
      try await seed(client)
      func ids(_ filter: JSONValue) async throws -> [String] {
        let encoded = filter.serialized().addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return try await list(client, "?filter=" + encoded).ids
      }
      #expect(try await ids(["eq": ["type": ["flow"]]]) == ["t4", "t2", "t0"])
      #expect(try await ids(["eq": ["type": "model"]]) == ["t5", "t3", "t1"])
      #expect(try await ids(["neq": ["type": ["model"]]]) == ["t4", "t2", "t0"])
      #expect(try await ids(["eq": ["name": ["odd"]], "neq": ["status": [2]]]) == ["t5", "t1"])
      #expect(try await ids(["eq": ["status": [2]]]) == ["t3"])
      #expect(try await ids(["gt": ["start": 1020], "lt": ["start": 1050]]) == ["t4", "t3"])
      #expect(try await ids(["gte": ["start": 1020], "lte": ["end": 1035]]) == ["t3", "t2"])
      #expect(try await ids(["eq": ["genkitx:env": "test"]]) == ["t4"])
      #expect(try await ids(["neq": ["genkitx:env": ["test"]]]) == ["t5", "t3", "t2", "t1", "t0"])
      #expect(try await ids(["contains": ["name": "OD"]]) == ["t5", "t3", "t1"])
      #expect(try await ids(["eq": ["id": ["t1", "t2"]]]) == ["t2", "t1"])
      // A filter with paging.
      let page = try await list(
        client,
        "?limit=1&filter="
          + (#"{"eq":{"name":"even"}}"#.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
      #expect(page.ids == ["t4"])
      #expect(page.body["continuationToken"] != nil)

      for bad in [#"{"like":{"name":"x"}}"#, #"{"eq":{"colour":"red"}}"#, #"{"gt":{"start":"x"}}"#, "{", "[1]"] {
        let encoded = bad.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let response = try await client.execute(uri: "/api/traces?filter=" + encoded, method: .get)
        #expect(response.status == .badRequest, "\(bad)")
        #expect(try Kit.json(response.body)["code"] == 3)
      }
    }
  }

  @Test func listItemsTruncateLongStringAttributes() async throws {
    let storage = try Kit.Store()
    let long = String(repeating: "x", count: 1500)
    try await withAPI(storage) { client in
      let root = Kit.span(
        trace: "big", id: "r", name: "f", start: 1, end: 2, attributes: ["genkit:input": .string(long)])
      _ = try await ingest(client, TraceData(traceId: "big", spans: [root]))
      let item = try #require(try await list(client).body["traces"]?[0])
      let input = try #require(item["spans"]?["r"]?["attributes"]?["genkit:input"]?.stringValue)
      #expect(input == String(repeating: "x", count: 1000) + "...")
      let full = try await client.execute(uri: "/api/traces/big", method: .get)
      #expect(try Kit.json(full.body)["spans"]?["r"]?["attributes"]?["genkit:input"]?.stringValue == long)
    }
  }

  @Test func getReturnsTheFullTraceOr404() async throws {
    let storage = try Kit.Store()
    try await withAPI(storage) { client in
      try await seed(client)
      let response = try await client.execute(uri: "/api/traces/t2", method: .get)
      #expect(response.status == .ok)
      let trace = try TraceData(json: Kit.json(response.body))
      #expect(trace.spans.keys.sorted() == ["c2", "r2"])
      #expect(trace.displayName == "even")
      let unknown = try await client.execute(uri: "/api/traces/nope", method: .get)
      #expect(unknown.status == .notFound)
      #expect(try Kit.json(unknown.body)["code"] == 5)
      for bad in ["..", "%2E%2E", "a%2Fb", "a%5Cb", "a%00b"] {
        let response = try await client.execute(uri: "/api/traces/" + bad, method: .get)
        #expect(response.status == .badRequest, "\(bad)")
      }
    }
  }

  @Test func ingestMergesByIdAndIgnoresLateStarts() async throws {
    let storage = try Kit.Store()
    let bus = EventBus()
    let subscription = bus.subscribe()
    try await withAPI(storage, bus: bus) { client in
      let start = Kit.span(trace: "m", id: "r", name: "f", start: 1)
      let end = Kit.span(trace: "m", id: "r", name: "f", start: 1, end: 9)
      _ = try await ingest(client, TraceData(traceId: "m", spans: [start]))
      _ = try await ingest(client, TraceData(traceId: "m", spans: [end]))
      _ = try await ingest(client, TraceData(traceId: "m", spans: [start]))  // late start copy
      let child = Kit.span(trace: "m", id: "c", parent: "r", name: "s", start: 2, end: 3)
      _ = try await ingest(client, TraceData(traceId: "m", spans: [child]))
    }
    let trace = try #require(try storage.store.trace(id: "m"))
    #expect(trace.spans["r"]?.endTime == 9)
    #expect(trace.spans.count == 2)
    let received = subscription.drain().compactMap { event -> Double? in
      if case .spanReceived(let span) = event { return span.endTime }
      return nil
    }
    #expect(received == [0, 9, 3])  // the late start is not announced
  }

  @Test func malformedIngestIs400() async throws {
    let storage = try Kit.Store()
    try await withAPI(storage) { client in
      let bodies = [
        "{", "[]", #"{"traceId":"x"}"#, #"{"spans":{}}"#, #"{"traceId":"x","spans":[]}"#,
        #"{"traceId":"x","spans":{"s":{"spanId":1}}}"#, #"{"traceId":"../x","spans":{}}"#,
      ]
      for body in bodies {
        let response = try await client.execute(uri: "/api/traces", method: .post, body: ByteBuffer(string: body))
        #expect(response.status == .badRequest, "\(body)")
      }
    }
    #expect(try storage.store.traceCount() == 0)
  }
}
