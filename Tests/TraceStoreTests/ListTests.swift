import Flows
import Testing
import TraceStore

@Suite struct ListTests {
  /// Ten traces t0...t9 started at 1000, 1010, ...; even ones named "even", every third failed.
  func seeded() throws -> TestStore {
    let t = try TestStore()
    for n in 0..<10 {
      try t.store.upsert(
        makeTrace(
          "t\(n)", name: n % 2 == 0 ? "even" : "odd", start: 1000 + Double(n) * 10,
          error: n % 3 == 0 ? "failed \(n)" : nil))
    }
    return t
  }

  @Test func newestFirst() throws {
    let t = try seeded()
    let page = try t.store.listTraces(TraceQuery(limit: 100))
    #expect(page.traces.map(\.traceId) == (0..<10).reversed().map { "t\($0)" })
    #expect(page.continuationToken == nil)
    #expect(try t.store.traceCount() == 10)
  }

  @Test func equalStartTimesAreOrderedByTraceId() throws {
    let t = try TestStore()
    for id in ["b", "a", "c"] { try t.store.upsert(makeTrace(id, start: 5)) }
    #expect(try t.store.listTraces().traces.map(\.traceId) == ["c", "b", "a"])
    let first = try t.store.listTraces(TraceQuery(limit: 2))
    let second = try t.store.listTraces(TraceQuery(limit: 2, continuationToken: first.continuationToken))
    #expect(first.traces.map(\.traceId) + second.traces.map(\.traceId) == ["c", "b", "a"])
  }

  @Test func limitAndDefaultLimit() throws {
    let t = try TestStore()
    for n in 0..<25 { try t.store.upsert(makeTrace("t\(n)", start: Double(n))) }
    #expect(try t.store.listTraces().traces.count == 20)
    let three = try t.store.listTraces(TraceQuery(limit: 3))
    #expect(three.traces.map(\.traceId) == ["t24", "t23", "t22"])
    #expect(three.continuationToken != nil)
    #expect(try t.store.listTraces(TraceQuery(limit: 0)).traces.count == 1)
  }

  @Test func pagesCoverEveryTraceOnce() throws {
    let t = try seeded()
    var seen: [String] = []
    var token: String?
    var pages = 0
    repeat {
      let page = try t.store.listTraces(TraceQuery(limit: 3, continuationToken: token))
      seen += page.traces.map(\.traceId)
      token = page.continuationToken
      pages += 1
    } while token != nil && pages < 20
    #expect(pages == 4)
    #expect(seen == (0..<10).reversed().map { "t\($0)" })
  }

  @Test func exactlyFullLastPageHasNoToken() throws {
    let t = try TestStore()
    for n in 0..<4 { try t.store.upsert(makeTrace("t\(n)", start: Double(n))) }
    let first = try t.store.listTraces(TraceQuery(limit: 2))
    let second = try t.store.listTraces(TraceQuery(limit: 2, continuationToken: first.continuationToken))
    #expect(second.traces.map(\.traceId) == ["t1", "t0"])
    #expect(second.continuationToken == nil)
  }

  @Test func pagingIsStableWhenTracesAreInsertedBetweenPages() throws {
    let t = try seeded()
    let first = try t.store.listTraces(TraceQuery(limit: 4))
    #expect(first.traces.map(\.traceId) == ["t9", "t8", "t7", "t6"])
    // Newer traces arrive, and an old one in the middle of the remaining range.
    try t.store.upsert(makeTrace("new1", start: 5000))
    try t.store.upsert(makeTrace("new2", start: 6000))
    try t.store.upsert(makeTrace("t4b", start: 1045))
    let second = try t.store.listTraces(TraceQuery(limit: 4, continuationToken: first.continuationToken))
    #expect(second.traces.map(\.traceId) == ["t5", "t4b", "t4", "t3"])
    let third = try t.store.listTraces(TraceQuery(limit: 4, continuationToken: second.continuationToken))
    #expect(third.traces.map(\.traceId) == ["t2", "t1", "t0"])
    #expect(third.continuationToken == nil)
  }

  @Test func filterByFlowName() throws {
    let t = try seeded()
    let even = try t.store.listTraces(TraceQuery(flowName: "even", limit: 100))
    #expect(even.traces.map(\.traceId) == ["t8", "t6", "t4", "t2", "t0"])
    #expect(even.traces.allSatisfy { $0.name == "even" })
    #expect(try t.store.listTraces(TraceQuery(flowName: "ev")).traces.isEmpty)

    // Paging within a filter.
    let first = try t.store.listTraces(TraceQuery(flowName: "odd", limit: 2))
    let rest = try t.store.listTraces(
      TraceQuery(flowName: "odd", limit: 10, continuationToken: first.continuationToken))
    #expect(first.traces.map(\.traceId) + rest.traces.map(\.traceId) == ["t9", "t7", "t5", "t3", "t1"])
  }

  @Test func filterByStatus() throws {
    let t = try seeded()
    try t.store.upsert([makeSpan(trace: "live", id: "r", name: "even", start: 2000)])
    let errors = try t.store.listTraces(TraceQuery(status: .error, limit: 100))
    #expect(errors.traces.map(\.traceId) == ["t9", "t6", "t3", "t0"])
    #expect(errors.traces.map(\.errorMessage) == ["failed 9", "failed 6", "failed 3", "failed 0"])
    let ok = try t.store.listTraces(TraceQuery(status: .ok, limit: 100))
    #expect(ok.traces.map(\.traceId) == ["t8", "t7", "t5", "t4", "t2", "t1"])
    #expect(ok.traces.allSatisfy { $0.errorMessage == nil })
    let running = try t.store.listTraces(TraceQuery(status: .running, limit: 100))
    #expect(running.traces.map(\.traceId) == ["live"])
    #expect(running.traces.first?.durationMilliseconds == nil)
    let both = try t.store.listTraces(TraceQuery(flowName: "even", status: .error, limit: 100))
    #expect(both.traces.map(\.traceId) == ["t6", "t0"])
  }

  @Test func summaryFieldsInList() throws {
    let t = try TestStore()
    try t.store.upsert(makeTrace("t1", name: "menuFlow", start: 100, children: 2))
    let summary = try #require(try t.store.listTraces().traces.first)
    #expect(summary.name == "menuFlow")
    #expect(summary.rootSpanId == "t1-root")
    #expect(summary.spanCount == 3)
    #expect(summary.startTime == 100)
    #expect(summary.endTime == 110)
    #expect(summary.durationMilliseconds == 10)
  }

  @Test func invalidTokenThrows() throws {
    let t = try seeded()
    for token in ["", "garbage", "v1.!!!", "v1.", "v2.YWJj"] {
      #expect(throws: TraceStoreError.invalidContinuationToken(token)) {
        try t.store.listTraces(TraceQuery(continuationToken: token))
      }
    }
  }
}
