import Flows
import FlowsServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TraceStore

/// Log records: OTLP/JSON logs in (`POST /api/otlp/v1/logs`, `/api/otlp`), Genkit's log API out
/// (`GET /api/logs`, `/api/traces/:id/logs`, `/api/traces/:id/spans/:spanId/logs`).
@Suite struct TelemetryLogsTests {
  typealias Kit = ReflectionTestKit

  static let trace = "5b8efff798038103d269b633813fc60c"
  static let span = "eee19b7ec3c1b174"

  /// An OTLP/JSON log record.
  static func record(
    body: JSONValue = ["stringValue": "hello"], time: JSONValue? = nil, observed: JSONValue? = nil,
    trace: String? = nil, span: String? = nil, severity: JSONValue? = nil, text: String? = nil,
    attributes: [(String, JSONValue)] = []
  ) -> JSONValue {
    var object: JSONObject = ["body": body]
    if let time { object["timeUnixNano"] = time }
    if let observed { object["observedTimeUnixNano"] = observed }
    if let trace { object["traceId"] = .string(trace) }
    if let span { object["spanId"] = .string(span) }
    if let severity { object["severityNumber"] = severity }
    if let text { object["severityText"] = .string(text) }
    if !attributes.isEmpty { object["attributes"] = .array(attributes.map { ["key": .string($0.0), "value": $0.1] }) }
    return .object(object)
  }

  static func request(_ records: [JSONValue], scope: JSONValue = ["name": "genkit-logger", "version": "2.1"])
    -> JSONValue
  {
    [
      "resourceLogs": [
        ["resource": ["attributes": []], "scopeLogs": [["scope": scope, "logRecords": .array(records)]]]
      ]
    ]
  }

  func withAPI<T: Sendable>(
    _ storage: Kit.Store, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> T
  ) async throws -> T {
    let router = Router()
    router.addTelemetryAPI(store: storage.store)
    return try await Kit.app(router).test(.router, body)
  }

  @Test func anOTLPLogRecordBecomesAGenkitLogRecord() throws {
    let records = try OTLPJSONLogConverter.logs(
      from: Self.request([
        Self.record(
          body: ["kvlistValue": ["values": [["key": "user", "value": ["stringValue": "ada"]]]]],
          time: "1782000000123456789", trace: Self.trace, span: Self.span, severity: 9, text: "INFO",
          attributes: [("count", ["intValue": "5"]), ("ok", ["boolValue": true])])
      ]))
    #expect(
      records == [
        [
          "traceId": .string(Self.trace), "spanId": .string(Self.span), "timestamp": 1_782_000_000_123.456_789,
          "severityNumber": 9, "severityText": "INFO", "body": ["user": "ada"], "attributes": ["count": 5, "ok": true],
          "instrumentationLibrary": ["name": "genkit-logger", "version": "2.1"],
        ]
      ])
  }

  @Test func idsTimesAndSeveritiesInEveryEncodingExporterUse() throws {
    let received = Date(timeIntervalSince1970: 1_800_000_000)
    let records = try OTLPJSONLogConverter.logs(
      from: Self.request([
        // base64 ids (the generic protobuf JSON mapping), the observed time when there is no time,
        // the severity by enum name
        Self.record(
          time: "0", observed: 1_782_000_000_000_000_000, trace: "W47/95gDgQPSabYzgT/GDA==", span: "7uGbfsPBsXQ=",
          severity: "SEVERITY_NUMBER_WARN3"),
        // all-zero ids are no ids; no time at all: the time it was received
        Self.record(trace: String(repeating: "0", count: 32), span: "0000000000000000", severity: "17"),
      ]), receivedAt: received)
    #expect(records[0]["traceId"] == .string(Self.trace))
    #expect(records[0]["spanId"] == .string(Self.span))
    #expect(records[0]["timestamp"] == 1_782_000_000_000)
    #expect(records[0]["severityNumber"] == 15)
    #expect(records[1]["traceId"] == nil && records[1]["spanId"] == nil)
    #expect(records[1]["timestamp"] == 1_800_000_000_000)
    #expect(records[1]["severityNumber"] == 17)
  }

  @Test func aBodyThatIsNotALogsRequestIsRefusedWithThePath() async throws {
    let storage = try Kit.Store()
    try await withAPI(storage) { client in
      let cases: [(String, String)] = [
        ("[]", "expected an OTLP ExportLogsServiceRequest object, got array"),
        (#"{"resourceLogs": {}}"#, "resourceLogs must be an array, got object"),
        (
          #"{"resourceLogs": [{"scopeLogs": [{"logRecords": [1]}]}]}"#,
          "resourceLogs[0].scopeLogs[0].logRecords[0] must be an object, got integer"
        ),
        ("{", "line 1, column"),
      ]
      for (body, message) in cases {
        let response = try await client.execute(uri: "/api/otlp/v1/logs", method: .post, body: ByteBuffer(string: body))
        #expect(response.status == .badRequest, "\(body)")
        #expect(String(buffer: response.body).contains(message), "\(body): \(String(buffer: response.body))")
      }
    }
    #expect(try storage.store.logCount() == 0)
  }

  @Test func logsAreListedNewestFirstPerTraceAndPerSpanAndPaged() async throws {
    let storage = try Kit.Store()
    let other = "0af7651916cd43dd8448eb211c80319c"
    try await withAPI(storage) { client in
      var records: [JSONValue] = []
      for n in 1...5 {
        records.append(
          Self.record(
            body: ["stringValue": .string("log \(n)")], time: .string("17820000000\(n)0000000"), trace: Self.trace,
            span: n % 2 == 0 ? Self.span : "b7ad6b7169203331"))
      }
      records.append(Self.record(body: ["stringValue": "elsewhere"], time: "1782000000990000000", trace: other))
      let posted = try await client.execute(
        uri: "/api/otlp/v1/logs", method: .post, body: Kit.body(Self.request(records)))
      #expect(posted.status == .ok)
      #expect(try Kit.json(posted.body) == ["partialSuccess": [:]])

      func bodies(_ uri: String) async throws -> (bodies: [String], token: String?) {
        let response = try await client.execute(uri: uri, method: .get)
        #expect(response.status == .ok, "\(uri)")
        let json = try Kit.json(response.body)
        let logs = json["logs"]?.arrayValue ?? []
        #expect(logs.allSatisfy { $0["logId"]?.stringValue?.count == 36 })
        return (logs.compactMap { $0["body"]?.stringValue }, json["continuationToken"]?.stringValue)
      }
      #expect(try await bodies("/api/logs").bodies == ["elsewhere", "log 5", "log 4", "log 3", "log 2", "log 1"])
      #expect(
        try await bodies("/api/traces/\(Self.trace)/logs").bodies == ["log 5", "log 4", "log 3", "log 2", "log 1"])
      #expect(try await bodies("/api/traces/\(Self.trace)/spans/\(Self.span)/logs").bodies == ["log 4", "log 2"])
      #expect(try await bodies("/api/traces/\(other)/spans/\(Self.span)/logs").bodies == [])
      let first = try await bodies("/api/traces/\(Self.trace)/logs?limit=2")
      #expect(first == (["log 5", "log 4"], "2"))
      let second = try await bodies("/api/traces/\(Self.trace)/logs?limit=2&continuationToken=2")
      #expect(second == (["log 3", "log 2"], "4"))
      let last = try await bodies("/api/traces/\(Self.trace)/logs?limit=2&continuationToken=4")
      #expect(last == (["log 1"], nil))
    }
  }

  @Test func storedRecordsAreAnnouncedOnTheBusForALiveDebugger() async throws {
    let storage = try Kit.Store()
    let bus = EventBus()
    let subscription = bus.subscribe(events: .withoutChunks)
    let router = Router()
    router.addTelemetryAPI(store: storage.store, bus: bus)
    try await Kit.app(router).test(.router) { client in
      let body = Self.request([
        Self.record(body: ["stringValue": "live"], time: "1782000000000000000", trace: Self.trace)
      ])
      let response = try await client.execute(uri: "/api/otlp/v1/logs", method: .post, body: Kit.body(body))
      #expect(response.status == .ok)
    }
    let announced = subscription.drain().compactMap { event -> JSONObject? in
      if case .logReceived(let record) = event { return record }
      return nil
    }
    #expect(announced.count == 1)
    #expect(announced.first?["body"] == "live")
    #expect(announced.first?["logId"] == (try storage.store.logs().logs.first?["logId"]))
    #expect(announced.first.map { TraceEvent.logReceived($0).traceId } == Self.trace)
  }

  @Test func badListQueriesAre400() async throws {
    let storage = try Kit.Store()
    try await withAPI(storage) { client in
      let cases = [
        ("/api/logs?limit=ten", "invalid limit 'ten'"), ("/api/logs?limit=-1", "invalid limit '-1'"),
        ("/api/logs?continuationToken=abc", "invalid continuationToken 'abc'"),
        ("/api/traces/%2E%2E/logs", #"invalid trace id "..""#),
        ("/api/traces/abc/spans/%2E%2E/logs", #"invalid span id "..""#),
      ]
      for (uri, message) in cases {
        let response = try await client.execute(uri: uri, method: .get)
        #expect(response.status == .badRequest, "\(uri)")
        let body = try Kit.json(response.body)
        #expect(body["code"] == 3, "\(uri)")
        #expect(body["message"]?.stringValue == message, "\(uri)")
      }
    }
  }

  @Test func aRecordSentAgainWithItsLogIdReplacesTheStoredOne() throws {
    let storage = try Kit.Store()
    let first = try storage.store.saveLogs([["timestamp": 1, "body": "draft"]])
    let logId = try #require(first.first?["logId"]?.stringValue)
    #expect(first.first?.keys.first == "logId")
    try storage.store.saveLogs([["logId": .string(logId), "timestamp": 2, "body": "final"]])
    #expect(try storage.store.logCount() == 1)
    #expect(try storage.store.logs().logs.first?["body"] == "final")
  }

  @Test func deletingOrPruningATraceDeletesItsLogs() throws {
    let storage = try Kit.Store()
    let store = storage.store
    for (n, id) in ["a", "b", "c"].enumerated() {
      try store.upsert([
        SpanData(
          spanId: "r", traceId: id, startTime: Double(n + 1), endTime: Double(n + 2), attributes: [:], displayName: id)
      ])
      try store.saveLogs([["traceId": .string(id), "timestamp": .number(Double(n)), "body": .string(id)]])
    }
    try store.saveLogs([["timestamp": 9, "body": "no trace"]])
    try store.delete(traceIds: ["b"])
    #expect(try store.logs().logs.compactMap { $0["body"]?.stringValue } == ["no trace", "c", "a"])
    try store.retain(newest: 1)
    #expect(try store.logs().logs.compactMap { $0["body"]?.stringValue } == ["no trace", "c"])
  }
}
