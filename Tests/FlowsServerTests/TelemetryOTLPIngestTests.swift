import AsyncHTTPClient
import Flows
import FlowsServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TraceStore

/// OTLP/JSON trace ingest: the converter (`OTLPJSONTraceConverter`) and `POST /api/otlp[/v1/traces]`.
@Suite struct TelemetryOTLPIngestTests {
  typealias Kit = ReflectionTestKit

  static let trace1 = "5b8efff798038103d269b633813fc60c"
  static let trace2 = "0af7651916cd43dd8448eb211c80319c"
  static let root = "eee19b7ec3c1b174"
  static let child = "b7ad6b7169203331"

  /// An OTLP/JSON span.
  static func span(
    trace: String = trace1, id: String, parent: String? = nil, name: String, start: JSONValue = "1700000000000000000",
    end: JSONValue? = "1700000000500000000", attributes: [(String, JSONValue)] = [], status: JSONValue? = nil,
    events: [JSONValue] = [], kind: JSONValue = 1
  ) -> JSONValue {
    var object: JSONObject = ["traceId": .string(trace), "spanId": .string(id), "name": .string(name), "kind": kind]
    if let parent { object["parentSpanId"] = .string(parent) }
    object["startTimeUnixNano"] = start
    if let end { object["endTimeUnixNano"] = end }
    object["attributes"] = .array(attributes.map { ["key": .string($0.0), "value": $0.1] })
    if let status { object["status"] = status }
    if !events.isEmpty { object["events"] = .array(events) }
    return .object(object)
  }

  /// An `ExportTraceServiceRequest` with one resource per `(serviceName, spans)`.
  static func request(_ resources: [(service: String, spans: [JSONValue])], scope: JSONValue? = nil) -> JSONValue {
    [
      "resourceSpans": .array(
        resources.map { resource in
          [
            "resource": ["attributes": [["key": "service.name", "value": ["stringValue": .string(resource.service)]]]],
            "scopeSpans": [
              ["scope": scope ?? ["name": "test-scope", "version": "1.2.3"], "spans": .array(resource.spans)]
            ],
          ]
        })
    ]
  }

  static func convert(_ body: JSONValue) throws -> OTLPJSONTraces { try OTLPJSONTraceConverter.traces(from: body) }

  // MARK: - Converter

  @Test func attributeValuesAreFlattenedToJSON() throws {
    let span = Self.span(
      id: Self.root, name: "work",
      attributes: [
        ("text", ["stringValue": "hello"]), ("count", ["intValue": "42"]), ("countAsNumber", ["intValue": 7]),
        ("big", ["intValue": "9007199254740993"]), ("ratio", ["doubleValue": 0.25]), ("nan", ["doubleValue": "NaN"]),
        ("flag", ["boolValue": true]),
        ("list", ["arrayValue": ["values": [["stringValue": "a"], ["intValue": "2"], ["boolValue": false]]]]),
        (
          "map",
          [
            "kvlistValue": [
              "values": [["key": "k", "value": ["stringValue": "v"]], ["key": "n", "value": ["doubleValue": 1.5]]]
            ]
          ]
        ),
        ("bytes", ["bytesValue": "AQID"]), ("empty", [:]), ("snake", ["string_value": "old style"]),
        ("genkit:input", ["stringValue": #"{"a":1}"#]),
      ])
    let traces = try Self.convert(Self.request([("svc", [span])]))
    let converted = try #require(traces.traces.first?.spans[Self.root])
    let attributes = converted.attributes
    #expect(attributes["text"] == "hello")
    #expect(attributes["count"] == .integer(42))
    #expect(attributes["countAsNumber"] == .integer(7))
    #expect(attributes["big"] == .integer(9_007_199_254_740_993), "int64 strings are exact")
    #expect(attributes["ratio"] == .number(0.25))
    #expect(attributes["nan"] == "NaN")
    #expect(attributes["flag"] == true)
    #expect(attributes["list"] == ["a", 2, false])
    #expect(attributes["map"] == ["k": "v", "n": 1.5])
    #expect(attributes["bytes"] == "AQID")
    #expect(attributes["empty"] == .null)
    #expect(attributes["snake"] == "old style")
    #expect(converted.input == ["a": 1], "genkit:input stays a JSON string, as Genkit stores it")
    #expect(attributes["service.name"] == "svc")
  }

  @Test func timesAreNanosecondStringsOrNumbersAsFractionalMilliseconds() throws {
    let spans = [
      Self.span(id: Self.root, name: "strings", start: "1700000000123456789", end: "1700000001123456789"),
      Self.span(id: Self.child, parent: Self.root, name: "numbers", start: 1_700_000_000_200_000_000, end: nil),
    ]
    let trace = try #require(try Self.convert(Self.request([("svc", spans)])).traces.first)
    let root = try #require(trace.spans[Self.root])
    #expect(abs(root.startTime - 1_700_000_000_123.456789) < 0.000_5)
    #expect(abs(root.endTime - 1_700_000_001_123.456789) < 0.000_5)
    #expect(root.durationMilliseconds.map { abs($0 - 1000) < 0.000_5 } == true)
    let child = try #require(trace.spans[Self.child])
    #expect(child.startTime == 1_700_000_000_200)
    #expect(child.endTime == 0 && child.isRunning, "no end time: still running")
    #expect(child.attributes["genkit:state"] == nil)
    #expect(trace.displayName == "strings" && trace.startTime == root.startTime && trace.endTime == root.endTime)
  }

  @Test func idsAreHexOrBase64AndZeroParentsMeanRoot() throws {
    let traceBase64 = Data(hexBytes: Self.trace2).base64EncodedString()
    let spanBase64 = Data(hexBytes: Self.child).base64EncodedString()
    let spans = [
      Self.span(trace: Self.trace1.uppercased(), id: Self.root.uppercased(), parent: "", name: "upper"),
      Self.span(trace: traceBase64, id: spanBase64, parent: "0000000000000000", name: "base64"),
    ]
    let traces = try Self.convert(Self.request([("svc", spans)])).traces
    #expect(traces.map(\.traceId) == [Self.trace1, Self.trace2])
    #expect(traces[0].spans[Self.root]?.parentSpanId == nil)
    #expect(traces[1].spans[Self.child]?.parentSpanId == nil)
    #expect(traces[1].spans[Self.child]?.traceId == Self.trace2)
  }

  @Test func aMissingParentIsKeptAndTheSpanStillDisplays() throws {
    let orphan = Self.span(id: Self.child, parent: "1111111111111111", name: "GET /menu", kind: 2)
    let trace = try #require(try Self.convert(Self.request([("web", [orphan])])).traces.first)
    let span = try #require(trace.spans[Self.child])
    #expect(span.parentSpanId == "1111111111111111", "the parent may arrive in a later request")
    #expect(trace.rootSpan?.spanId == Self.child, "meanwhile it is the root of what is stored")
    #expect(span.displayName == "GET /menu")
    #expect(span.spanKind == "SERVER")
    #expect(span.attributes["genkit:state"] == "success")
    #expect(span.kindLabel == "span", "no genkit:* attributes: shown as a plain span")
    #expect(span.instrumentationLibrary == SpanData.InstrumentationLibrary(name: "test-scope", version: "1.2.3"))
  }

  @Test func statusMapsToGenkitState() throws {
    let spans = [
      Self.span(id: "0000000000000001", name: "unset"),
      Self.span(id: "0000000000000002", name: "ok", status: ["code": 1]),
      Self.span(id: "0000000000000003", name: "error", status: ["code": 2, "message": "it broke"]),
      Self.span(id: "0000000000000004", name: "named", status: ["code": "STATUS_CODE_ERROR"]),
      Self.span(
        id: "0000000000000005", name: "genkit", attributes: [("genkit:state", ["stringValue": "success"])],
        status: ["code": 2]),
      Self.span(id: "0000000000000006", name: "running", end: nil, status: ["code": 2]),
    ]
    let trace = try #require(try Self.convert(Self.request([("svc", spans)])).traces.first)
    func span(_ n: Int) throws -> SpanData { try #require(trace.spans[String(format: "%016x", n)]) }
    #expect(try span(1).attributes["genkit:state"] == "success")
    #expect(try span(1).status == SpanData.SpanStatus(code: 0))
    #expect(try span(2).attributes["genkit:state"] == "success")
    #expect(try span(3).attributes["genkit:state"] == "error")
    #expect(try span(3).status == SpanData.SpanStatus(code: 2, message: "it broke"))
    #expect(try span(3).errorMessage == "it broke")
    #expect(try span(4).attributes["genkit:state"] == "error")
    #expect(try span(5).attributes["genkit:state"] == "success", "an existing genkit:state wins")
    #expect(try span(6).attributes["genkit:state"] == nil)
  }

  @Test func eventsBecomeTimeEvents() throws {
    let exception: JSONValue = [
      "timeUnixNano": "1700000000400000000", "name": "exception",
      "attributes": [
        ["key": "exception.type", "value": ["stringValue": "ValueError"]],
        ["key": "exception.message", "value": ["stringValue": "bad input"]],
        ["key": "exception.stacktrace", "value": ["stringValue": "Traceback…"]],
      ],
    ]
    let note: JSONValue = ["timeUnixNano": "1700000000100000000", "name": "cache miss"]
    let span = Self.span(id: Self.root, name: "failing", status: ["code": 2], events: [note, exception])
    let converted = try #require(try Self.convert(Self.request([("svc", [span])])).traces.first?.spans[Self.root])
    let events = try #require(converted.timeEvents)
    #expect(events.map(\.description) == ["cache miss", "exception"])
    #expect(events[1].time == 1_700_000_000_400)
    #expect(events[1].attributes["exception.type"] == "ValueError")
    #expect(converted.errorMessage == "bad input", "no status message: the exception's")
  }

  @Test func severalResourcesAndTracesInOneRequest() throws {
    let body = Self.request([
      (
        "frontend",
        [
          Self.span(trace: Self.trace1, id: Self.root, name: "a-root"),
          Self.span(trace: Self.trace2, id: "1000000000000001", name: "b-root"),
        ]
      ),
      ("backend", [Self.span(trace: Self.trace1, id: Self.child, parent: Self.root, name: "a-child")]),
    ])
    let converted = try Self.convert(body)
    #expect(converted.traces.map(\.traceId) == [Self.trace1, Self.trace2], "in order of first appearance")
    #expect(converted.spanCount == 3 && converted.rejectedSpans == 0)
    let first = converted.traces[0]
    #expect(first.spans.count == 2)
    #expect(first.spans[Self.child]?.parentSpanId == Self.root)
    #expect(first.spans[Self.root]?.attributes["service.name"] == "frontend")
    #expect(first.spans[Self.child]?.attributes["service.name"] == "backend")
    #expect(first.displayName == "a-root")
  }

  @Test func unusableSpansAreRejectedOthersKept() throws {
    var noTrace = Self.span(id: Self.root, name: "x").objectValue ?? [:]
    noTrace["traceId"] = nil
    let spans: [JSONValue] = [
      .object(noTrace),
      Self.span(id: "xyz", name: "bad id"),
      Self.span(id: Self.child, parent: "nothex!!", name: "bad parent"),
      Self.span(id: "2000000000000002", name: "no start", start: .null),
      Self.span(id: "3000000000000003", name: "good"),
    ]
    let converted = try Self.convert(Self.request([("svc", spans)]))
    #expect(converted.rejectedSpans == 4)
    #expect(converted.spanCount == 1)
    #expect(converted.rejectionMessages.count == 4)
    #expect(
      converted.rejectionMessages[0].contains("resourceSpans[0].scopeSpans[0].spans[0]: missing or invalid traceId"))
    #expect(converted.rejectionMessages[3].contains("startTimeUnixNano"))
  }

  @Test func structuralProblemsThrow() {
    let bodies: [JSONValue] = [
      [], "text", ["resourceSpans": "nope"], ["resourceSpans": [1]],
      ["resourceSpans": [["scopeSpans": [["spans": [3]]]]]],
      ["resourceSpans": [["scopeSpans": ["spans": []]]]],
    ]
    for body in bodies {
      #expect(throws: OTLPJSONTraceConverter.Invalid.self, "\(body.serialized())") { try Self.convert(body) }
    }
    #expect((try? Self.convert([:]))?.traces.isEmpty == true, "an empty request is fine")
  }

  @Test func linksFlagsAndScopeFieldsAreKept() throws {
    var object = Self.span(id: Self.child, parent: Self.root, name: "remote child").objectValue ?? [:]
    object["flags"] = 0x301
    object["links"] = [["traceId": .string(Self.trace2), "spanId": "1000000000000001", "traceState": "a=b"]]
    let legacy: JSONValue = [
      "resourceSpans": [
        [
          "instrumentationLibrarySpans": [
            [
              "instrumentationLibrary": ["name": "legacy-lib"], "schemaUrl": "https://schema",
              "spans": [.object(object)],
            ]
          ]
        ]
      ]
    ]
    let span = try #require(try Self.convert(legacy).traces.first?.spans[Self.child])
    #expect(span.sameProcessAsParentSpan == false)
    #expect(
      span.links == [
        [
          "context": ["traceId": .string(Self.trace2), "spanId": "1000000000000001", "traceState": "a=b"],
          "attributes": [:],
        ]
      ])
    #expect(
      span.instrumentationLibrary == SpanData.InstrumentationLibrary(name: "legacy-lib", schemaUrl: "https://schema"))
    #expect(span.attributes["service.name"] == nil)
  }

  // MARK: - HTTP

  func withAPI<T: Sendable>(
    _ storage: Kit.Store, bus: EventBus? = nil, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> T
  ) async throws -> T {
    let router = Router()
    router.addTelemetryAPI(store: storage.store, bus: bus)
    return try await Kit.app(router).test(.router, body)
  }

  @Test func postedTracesAreStoredAndAnnounced() async throws {
    let storage = try Kit.Store()
    let bus = EventBus()
    let subscription = bus.subscribe()
    let body = Self.request([
      (
        "svc",
        [
          Self.span(id: Self.root, name: "root"),
          Self.span(id: Self.child, parent: Self.root, name: "child", start: "1700000000100000000"),
        ]
      )
    ])
    try await withAPI(storage, bus: bus) { client in
      let response = try await client.execute(
        uri: "/api/otlp/v1/traces", method: .post, headers: [.contentType: "application/json"], body: Kit.body(body))
      #expect(response.status == .ok)
      #expect(response.headers[.contentType] == "application/json")
      #expect(try Kit.json(response.body) == ["partialSuccess": [:]])
    }
    let trace = try #require(try storage.store.trace(id: Self.trace1))
    #expect(trace.spans.count == 2)
    #expect(trace.spans[Self.child]?.parentSpanId == Self.root)
    let received = subscription.drain().compactMap { event -> String? in
      if case .spanReceived(let span) = event { return span.displayName }
      return nil
    }
    #expect(received == ["root", "child"])
  }

  @Test func genkitCatchAllStoresTracesAndLogsAndIgnoresMetrics() async throws {
    let storage = try Kit.Store()
    try await withAPI(storage) { client in
      let logs: JSONValue = ["resourceLogs": [["scopeLogs": [["logRecords": [["body": ["stringValue": "hi"]]]]]]]]
      let response = try await client.execute(uri: "/api/otlp", method: .post, body: Kit.body(logs))
      #expect(response.status == .ok && String(buffer: response.body) == "{}")
      for body in [ByteBuffer(string: "{"), Kit.body(["resourceMetrics": []])] {
        let metrics = try await client.execute(uri: "/api/otlp/v1/metrics", method: .post, body: body)
        #expect(metrics.status == .ok && String(buffer: metrics.body) == "{}")
      }
      let other = try await client.execute(uri: "/api/otlp", method: .post, body: Kit.body(["resourceMetrics": []]))
      #expect(other.status == .ok && String(buffer: other.body) == "{}")
      var both = Self.request([("svc", [Self.span(id: Self.root, name: "via catch-all")])]).objectValue ?? [:]
      both["resourceLogs"] = logs["resourceLogs"]
      let traces = try await client.execute(uri: "/api/otlp", method: .post, body: Kit.body(.object(both)))
      #expect(traces.status == .ok)
      #expect(try Kit.json(traces.body) == ["partialSuccess": [:]])
    }
    #expect(try storage.store.trace(id: Self.trace1)?.displayName == "via catch-all")
    let stored = try storage.store.logs()
    #expect(stored.logs.count == 2)
    #expect(stored.logs.allSatisfy { $0["body"] == "hi" })
  }

  @Test func malformedBodiesAre400WithLineAndColumn() async throws {
    let storage = try Kit.Store()
    try await withAPI(storage) { client in
      let response = try await client.execute(
        uri: "/api/otlp/v1/traces", method: .post, body: ByteBuffer(string: "{\n  \"resourceSpans\": [,]\n}"))
      #expect(response.status == .badRequest)
      let error = try Kit.json(response.body)
      #expect(error["code"] == 3)
      let message = try #require(error["message"]?.stringValue)
      #expect(message.contains("line 2, column"), "\(message)")
      for body in ["", "[]", #"{"resourceSpans": {}}"#] {
        let bad = try await client.execute(uri: "/api/otlp/v1/traces", method: .post, body: ByteBuffer(string: body))
        #expect(bad.status == .badRequest, "\(body)")
      }
      let catchAll = try await client.execute(uri: "/api/otlp", method: .post, body: ByteBuffer(string: "{"))
      #expect(catchAll.status == .badRequest)
    }
    #expect(try storage.store.traceCount() == 0)
  }

  @Test func protobufAndCompressedBodiesAre415() async throws {
    let storage = try Kit.Store()
    try await withAPI(storage) { client in
      for type in ["application/x-protobuf", "application/protobuf; charset=binary"] {
        let response = try await client.execute(
          uri: "/api/otlp/v1/traces", method: .post, headers: [.contentType: type],
          body: ByteBuffer(bytes: [0x0A, 0x02, 0x08, 0x01]))
        #expect(response.status == .unsupportedMediaType, "\(type)")
        let message = try #require(try Kit.json(response.body)["message"]?.stringValue)
        #expect(message.contains("OTEL_EXPORTER_OTLP_PROTOCOL=http/json"), "\(message)")
      }
      let gzip = try await client.execute(
        uri: "/api/otlp/v1/traces", method: .post,
        headers: [.contentType: "application/json", .contentEncoding: "gzip"], body: ByteBuffer(bytes: [0x1F, 0x8B]))
      #expect(gzip.status == .unsupportedMediaType)
      #expect(try Kit.json(gzip.body)["message"]?.stringValue?.contains("OTEL_EXPORTER_OTLP_COMPRESSION=none") == true)
    }
  }

  @Test func partialSuccessReportsRejectedSpans() async throws {
    let storage = try Kit.Store()
    let body = Self.request([("svc", [Self.span(id: "nope", name: "bad"), Self.span(id: Self.root, name: "good")])])
    try await withAPI(storage) { client in
      let response = try await client.execute(uri: "/api/otlp/v1/traces", method: .post, body: Kit.body(body))
      #expect(response.status == .ok)
      let answer = try Kit.json(response.body)
      #expect(answer["partialSuccess"]?["rejectedSpans"] == "1")
      #expect(answer["partialSuccess"]?["errorMessage"]?.stringValue?.contains("invalid spanId") == true)
    }
    #expect(try storage.store.trace(id: Self.trace1)?.spans.count == 1)
  }

  @Test func ingestOverRealHTTPMergesWithLaterRequests() async throws {
    let storage = try Kit.Store()
    let router = Router()
    router.addTelemetryAPI(store: storage.store)
    let genkitRoot: [(String, JSONValue)] = [
      ("genkit:type", ["stringValue": "action"]), ("genkit:metadata:subtype", ["stringValue": "flow"]),
      ("genkit:name", ["stringValue": "menuFlow"]), ("genkit:isRoot", ["boolValue": true]),
      ("genkit:path", ["stringValue": "/{menuFlow,t:flow}"]), ("genkit:state", ["stringValue": "success"]),
    ]
    try await Kit.withLive(router) { base in
      // The child arrives first (exporters batch by end time), then the root in a second request.
      let child = Self.request([("py-app", [Self.span(id: Self.child, parent: Self.root, name: "lookup")])])
      let root = Self.request([("py-app", [Self.span(id: Self.root, name: "menuFlow", attributes: genkitRoot)])])
      for body in [child, root] {
        let response = try await Kit.send(base + "/api/otlp/v1/traces", body)
        #expect(response.status == .ok)
        #expect(try Kit.json(try await response.body.collect(upTo: 1 << 20)) == ["partialSuccess": [:]])
      }
    }
    let trace = try #require(try storage.store.trace(id: Self.trace1))
    #expect(trace.spans.count == 2)
    #expect(trace.rootSpan?.spanId == Self.root)
    #expect(trace.displayName == "menuFlow")
    #expect(trace.spans[Self.child]?.parentSpanId == Self.root)
    #expect(trace.spans[Self.root]?.kindLabel == "flow")
    #expect(trace.spans[Self.root]?.attributes["genkit:isRoot"] == true)
    #expect(trace.spans[Self.root]?.attributes["service.name"] == "py-app")
  }
}

extension Data {
  /// Bytes from a hex string (test helper; the input is known to be valid).
  init(hexBytes hex: String) {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
      let next = hex.index(index, offsetBy: 2)
      bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
      index = next
    }
    self.init(bytes)
  }
}
