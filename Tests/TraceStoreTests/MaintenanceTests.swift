import Flows
import Testing
import TraceStore

@Suite struct MaintenanceTests {
  func seeded(_ count: Int) throws -> TestStore {
    let t = try TestStore()
    for n in 0..<count {
      try t.store.write(
        spans: makeTrace("t\(n)", start: Double(n) * 100, children: 2),
        chunks: [StoredChunk(traceId: "t\(n)", spanId: "t\(n)-root", index: 0, time: Double(n), json: "\(n)")])
    }
    return t
  }

  @Test func retainKeepsTheNewest() throws {
    let t = try seeded(10)
    #expect(try t.store.retain(newest: 3) == 7)
    #expect(try t.store.traceCount() == 3)
    #expect(try t.store.listTraces().traces.map(\.traceId) == ["t9", "t8", "t7"])
    #expect(try t.store.spanCount() == 9)
    for n in 0..<7 {
      #expect(try t.store.trace(id: "t\(n)") == nil)
      #expect(try t.store.chunks(traceId: "t\(n)").isEmpty)
    }
    #expect(try t.store.trace(id: "t7")?.spans.count == 3)
    #expect(try t.store.chunks(traceId: "t9").map(\.json) == ["9"])
  }

  @Test func retainMoreThanStoredDeletesNothing() throws {
    let t = try seeded(4)
    #expect(try t.store.retain(newest: 4) == 0)
    #expect(try t.store.retain(newest: 100) == 0)
    #expect(try t.store.traceCount() == 4)
    #expect(try t.store.spanCount() == 12)
  }

  @Test func retainZeroDeletesEverything() throws {
    let t = try seeded(5)
    #expect(try t.store.retain(newest: 0) == 5)
    #expect(try t.store.traceCount() == 0)
    #expect(try t.store.spanCount() == 0)
    #expect(try t.store.chunks(traceId: "t4").isEmpty)
  }

  @Test func retainRemovesOrphanChunks() throws {
    let t = try seeded(2)
    try t.store.appendChunks([StoredChunk(traceId: "nowhere", spanId: "s", index: 0, time: 1, json: "1")])
    #expect(try t.store.retain(newest: 10) == 0)
    #expect(try t.store.chunks(traceId: "nowhere").isEmpty)
    #expect(try t.store.chunks(traceId: "t1").count == 1)
  }

  @Test func deleteRemovesTracesSpansAndChunks() throws {
    let t = try seeded(5)
    #expect(try t.store.delete(traceIds: ["t1", "t3", "t3", "missing"]) == 2)
    #expect(try t.store.traceCount() == 3)
    #expect(try t.store.listTraces().traces.map(\.traceId) == ["t4", "t2", "t0"])
    #expect(try t.store.trace(id: "t1") == nil)
    #expect(try t.store.chunks(traceId: "t3").isEmpty)
    #expect(try t.store.spanCount() == 9)
    #expect(try t.store.delete(traceIds: []) == 0)
  }
}
