import Flows
import Testing
import TraceStore

@Suite struct TelemetryQueryTests {
  func filter(_ json: JSONValue) throws -> TelemetryTraceFilter { try TelemetryTraceFilter(json: json) }

  @Test func parsesEveryOperator() throws {
    let parsed = try TelemetryTraceFilter(
      parsing: #"{"eq":{"type":["flow"],"status":[2]},"neq":{"genkitx:ignore-trace":["true"]},"gt":{"start":5},"#
        + #""gte":{"end":1},"lt":{"start":9},"lte":{"end":10},"contains":{"name":"menu"}}"#)
    #expect(parsed.conditions.count == 8)
    #expect(parsed.conditions.first == TelemetryTraceFilter.Condition(.eq, "type", ["flow"]))
    #expect(try filter([:]).conditions.isEmpty)
  }

  @Test func rejectsUnknownOperatorsFieldsAndTypes() {
    let bad: [JSONValue] = [
      [1], ["like": ["name": "x"]], ["eq": ["colour": "red"]], ["eq": "flow"], ["gt": ["start": "5"]],
      ["gt": ["start": [1, 2]]], ["eq": ["name": ["a": 1]]], ["eq": ["genkitx:": "x"]],
    ]
    for json in bad {
      #expect(throws: TelemetryFilterError.self, "\(json.serialized())") { try TelemetryTraceFilter(json: json) }
    }
    #expect(throws: TelemetryFilterError.self) { try TelemetryTraceFilter(parsing: "{") }
  }

  @Test func matchesLikeGenkitsIndex() throws {
    let fields: [String: JSONValue] = [
      "id": "t1", "type": "flow", "name": "menuFlow", "start": 100, "end": 200, "status": 2, "genkitx:env": "true",
    ]
    #expect(try filter(["eq": ["type": ["flow", "model"]]]).matches(fields))
    #expect(try !filter(["eq": ["type": "model"]]).matches(fields))
    #expect(try filter(["eq": ["status": 2]]).matches(fields))
    #expect(try filter(["eq": ["status": "2"]]).matches(fields))  // lenient: a number equals its text
    #expect(try filter(["eq": ["genkitx:env": true]]).matches(fields))  // and a boolean its spelling
    #expect(try !filter(["neq": ["genkitx:env": ["true"]]]).matches(fields))
    #expect(try filter(["neq": ["genkitx:other": "x"]]).matches(fields))  // absent passes neq
    #expect(try !filter(["eq": ["genkitx:other": "x"]]).matches(fields))
    #expect(
      try filter(["gt": ["start": 99], "lt": ["start": 101], "gte": ["end": 200], "lte": ["end": 200]]).matches(fields))
    #expect(try !filter(["gt": ["start": 100]]).matches(fields))
    #expect(try !filter(["gt": ["name": 1]]).matches(fields))  // not a number
    #expect(try filter(["contains": ["name": "MENU"]]).matches(fields))
    #expect(try filter(["contains": ["name": ["nope", "flow"]]]).matches(fields))
    #expect(try !filter(["contains": ["start": "1"]]).matches(fields))  // not a string
  }

  @Test func indexFieldsComeFromTheRootSpan() {
    let running = SpanData(
      spanId: "r", traceId: "t", startTime: 5, endTime: 0,
      attributes: ["genkit:type": "action", "genkitx:n": 3, "genkit:metadata:agent:sessionId": "s1"],
      displayName: "f")
    let fields = TelemetryTraceFilter.indexFields(traceId: "t", root: running)
    #expect(fields["type"] == "action")
    #expect(fields["end"] == nil)
    #expect(fields["status"] == 0)
    #expect(fields["genkitx:n"] == "3")
    #expect(fields["sessionId"] == "s1")
    var unnamed = running
    unnamed.displayName = ""
    unnamed.attributes = [:]
    let bare = TelemetryTraceFilter.indexFields(traceId: "t", root: unnamed)
    #expect(bare["type"] == "UNKNOWN")
    #expect(bare["name"] == nil && bare["status"] == nil)
  }

  @Test func listsRootOnlyNewestFirstWithFiltersAndPaging() throws {
    let t = try TestStore()
    for n in 0..<8 {
      try t.store.upsert(
        makeTrace(
          "t\(n)", name: n % 2 == 0 ? "even" : "odd", start: 1000 + Double(n) * 10, children: 2,
          error: n == 5 ? "failed" : nil))
    }
    // A trace whose root has not arrived is not listed (Genkit indexes root saves only).
    try t.store.upsert([makeSpan(trace: "orphan", id: "c", parent: "missing", start: 5000, end: 5001)])

    let all = try t.store.listTelemetryTraces(limit: 100)
    #expect(all.traces.map(\.traceId) == (0..<8).reversed().map { "t\($0)" })
    #expect(all.traces.allSatisfy { $0.spans.count == 1 && $0.spans.values.first?.parentSpanId == nil })
    #expect(all.traces.first?.displayName == "odd")
    #expect(all.continuationToken == nil)

    let odd = try TelemetryTraceFilter(json: ["eq": ["name": "odd"], "neq": ["status": [2]]])
    var seen: [String] = []
    var token: String?
    repeat {
      let page = try t.store.listTelemetryTraces(filter: odd, limit: 2, continuationToken: token)
      seen += page.traces.map(\.traceId)
      token = page.continuationToken
    } while token != nil
    #expect(seen == ["t7", "t3", "t1"])

    let window = try TelemetryTraceFilter(json: ["gte": ["start": 1020], "lt": ["start": 1050]])
    #expect(try t.store.listTelemetryTraces(filter: window).traces.map(\.traceId) == ["t4", "t3", "t2"])
    #expect(throws: TraceStoreError.self) { try t.store.listTelemetryTraces(continuationToken: "bogus") }
  }

  @Test func listJSONHasGenkitsShape() throws {
    let t = try TestStore()
    try t.store.upsert(makeTrace("a", start: 1))
    let json = try t.store.listTelemetryTraces().json
    #expect(json["traces"]?[0]?["traceId"] == "a")
    #expect(json["continuationToken"] == nil)
  }

  @Test func truncatesLongStringAttributesOnCharacterBoundaries() {
    let emoji = String(repeating: "😀", count: 600)  // 1200 UTF-16 units
    let span = SpanData(
      spanId: "s", traceId: "t", startTime: 1, endTime: 2,
      attributes: [
        "long": .string(String(repeating: "a", count: 1001)), "short": "ok", "emoji": .string(emoji), "n": 5,
      ],
      displayName: "s")
    let cut = TraceStore.truncatedForList(span)
    #expect(cut.attributes["long"] == .string(String(repeating: "a", count: 1000) + "..."))
    #expect(cut.attributes["short"] == "ok")
    #expect(cut.attributes["emoji"] == .string(String(repeating: "😀", count: 500) + "..."))
    #expect(cut.attributes["n"] == 5)
    #expect(TraceStore.truncatedForList(span, limit: 2000) == span)
  }
}
