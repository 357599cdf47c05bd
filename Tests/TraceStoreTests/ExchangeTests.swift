import Flows
import Testing
import TraceStore

@Suite struct ExchangeTests {
  func traces(_ json: JSONValue) throws -> [TraceData] {
    try (json.arrayValue ?? []).map { try TraceData(json: $0) }
  }

  @Test func exportImportRoundTripIsLossless() throws {
    let source = try TestStore()
    try source.store.upsert(makeTrace("t1", name: "a", start: 100, children: 3))
    try source.store.upsert(makeTrace("t2", name: "b", start: 200, children: 1, error: "bad"))
    try source.store.upsert([makeSpan(trace: "t3", id: "run", name: "live", start: 300)])
    try source.store.importTraces(from: try fixture("genkit-js-menuFlow.json"))
    try source.store.importTraces(from: try fixture("boom-merged.json"))
    let exported = try source.store.export(traceIds: nil)
    #expect(exported.arrayValue?.count == 5)

    let copy = try TestStore()
    #expect(try copy.store.importTraces(from: exported) == 5)
    let reexported = try copy.store.export(traceIds: nil)
    #expect(try traces(reexported) == traces(exported))
    #expect(reexported == exported)
    #expect(try copy.store.listTraces(TraceQuery(limit: 100)) == source.store.listTraces(TraceQuery(limit: 100)))

    // Through text as well, the way `flowscope export` / `import` moves it.
    let third = try TestStore()
    try third.store.importTraces(from: try JSONValue(parsing: exported.serialized(.prettyPrinted)))
    #expect(try traces(third.store.export(traceIds: nil)) == traces(exported))
  }

  @Test func exportSelectedTraces() throws {
    let t = try TestStore()
    for n in 0..<3 { try t.store.upsert(makeTrace("t\(n)", start: Double(n))) }
    let exported = try traces(t.store.export(traceIds: ["t2", "missing", "t0"]))
    #expect(exported.map(\.traceId) == ["t2", "t0"])
    #expect(exported.first?.spans.count == 2)
    #expect(try t.store.export(traceIds: []) == [])
  }

  @Test func importsSingleObjectAndTracesEnvelope() throws {
    let source = try TestStore()
    try source.store.upsert(makeTrace("t1", start: 1, children: 2))
    try source.store.upsert(makeTrace("t2", start: 2))
    let all = try #require(try source.store.export(traceIds: nil).arrayValue)

    let single = try TestStore()
    #expect(try single.store.importTraces(from: all[0]) == 1)
    #expect(try single.store.trace(id: "t2")?.spans.count == 2)
    #expect(try single.store.trace(id: "t1") == nil)

    let envelope = try TestStore()
    let body: JSONValue = ["traces": .array(all), "continuationToken": .null]
    #expect(try envelope.store.importTraces(from: body) == 2)
    #expect(try envelope.store.trace(id: "t1")?.spans.count == 3)
    #expect(try envelope.store.listTraces().traces.map(\.traceId) == ["t2", "t1"])
  }

  @Test func importMergesWithTheUpsertRule() throws {
    let t = try TestStore()
    try t.store.upsert([makeSpan(trace: "t1", id: "root", name: "flow", start: 1, end: 5)])
    let late = TraceData(traceId: "t1", spans: [makeSpan(trace: "t1", id: "root", name: "flow", start: 1)])
    #expect(try t.store.importTraces(from: late.json) == 1)
    #expect(try t.store.trace(id: "t1")?.spans["root"]?.endTime == 5)
    #expect(try t.store.summary(traceId: "t1")?.status == .ok)
  }

  @Test func importsPythonTraces() throws {
    let t = try TestStore()
    #expect(try t.store.importTraces(from: .array([fixture("steps-merged.json"), fixture("boom-merged.json")])) == 2)

    let steps = try #require(try t.store.trace(id: stepsTraceId()))
    #expect(steps.spans.count == 3)
    #expect(steps.rootSpan?.spanId == "7786ad521f2ed3d3")
    #expect(steps.displayName == "steps")
    #expect(steps.spans["11c738207e6eee73"]?.parentSpanId == "7786ad521f2ed3d3")
    let stepsSummary = try #require(try t.store.summary(traceId: steps.traceId))
    #expect(stepsSummary.status == .ok)
    #expect(stepsSummary.rootSpanId == "7786ad521f2ed3d3")
    #expect(stepsSummary.spanCount == 3)
    #expect(stepsSummary.name == "steps")

    let boom = try #require(try t.store.trace(id: "3166c2b4aa92debab8fb2de626d2421b"))
    #expect(boom.spans.count == 1)
    let root = try #require(boom.rootSpan)
    #expect(root.isError)
    #expect(root.status?.code == 2)
    let boomSummary = try #require(try t.store.summary(traceId: boom.traceId))
    #expect(boomSummary.status == .error)
    #expect(boomSummary.errorMessage == "kaboom: x")
    #expect(boomSummary.inputPreview == "\"x\"")
    #expect(try t.store.listTraces(TraceQuery(status: .error)).traces.map(\.traceId) == [boom.traceId])
  }

  func stepsTraceId() throws -> String {
    try #require(try fixture("steps-merged.json")["traceId"]?.stringValue)
  }

  @Test func importsGenkitJSTrace() throws {
    let t = try TestStore()
    let json = try fixture("genkit-js-menuFlow.json")
    let original = try TraceData(json: json)
    #expect(try t.store.importTraces(from: json) == 1)
    let stored = try #require(try t.store.trace(id: "4f6c1e0a9b2d4c7e8a1f3b5d7c9e0a12"))
    #expect(stored.spans.count == 5)
    #expect(stored == original)
    #expect(stored.rootSpan?.spanId == "a1b2c3d4e5f60001")
    #expect(stored.spans["a1b2c3d4e5f60004"]?.parentSpanId == "a1b2c3d4e5f60003")
    let summary = try #require(try t.store.summary(traceId: stored.traceId))
    #expect(summary.name == "menuFlow")
    #expect(summary.status == .ok)
    #expect(summary.spanCount == 5)
    #expect(summary.startTime == 1_782_000_000_000.125)
    #expect(summary.endTime == 1_782_000_002_310.5)
    #expect(summary.inputPreview == "{\"theme\":\"pirate\"}")
    #expect(summary.outputPreview == "{\"item\":\"Blackbeard's Chowder\",\"weather\":\"rainy\"}")
    #expect(try t.store.listTraces(TraceQuery(flowName: "menuFlow")).traces.count == 1)
  }

  @Test func rejectsWhatIsNotTraceData() throws {
    let t = try TestStore()
    let bad: [JSONValue] = [42, "text", ["traces": "nope"], [["spans": ["x": ["traceId": 5]]]]]
    for json in bad {
      #expect(throws: TraceStoreError.self) { try t.store.importTraces(from: json) }
    }
    #expect(try t.store.traceCount() == 0)
  }
}
