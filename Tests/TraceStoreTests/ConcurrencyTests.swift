import Flows
import Testing
import TraceStore

@Suite struct ConcurrencyTests {
  @Test func manyTasksWriteIntoOneStore() async throws {
    let t = try TestStore()
    let store = t.store
    try await withThrowingTaskGroup(of: Void.self) { group in
      for task in 0..<16 {
        group.addTask {
          for n in 0..<25 {
            let id = "task\(task)-\(n)"
            try store.upsert([makeSpan(trace: id, id: "root", name: "flow", start: Double(n))])
            try store.upsert(
              makeTrace(id, start: Double(n), children: 3).map { span in
                var span = span
                if span.parentSpanId == nil { span.spanId = "root" } else { span.parentSpanId = "root" }
                return span
              })
            _ = try store.listTraces(TraceQuery(limit: 5))
          }
        }
      }
      try await group.waitForAll()
    }
    #expect(try store.traceCount() == 400)
    #expect(try store.spanCount() == 1600)
    let page = try store.listTraces(TraceQuery(status: .ok, limit: 1000))
    #expect(page.traces.count == 400)
    #expect(page.traces.allSatisfy { $0.spanCount == 4 && $0.rootSpanId == "root" })
  }

  @Test func twoStoresOnOneFile() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("shared.sqlite")
    let first = try TraceStore(path: path)
    let second = try TraceStore(path: path)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for (name, store) in [("a", first), ("b", second)] {
        for task in 0..<4 {
          group.addTask {
            for n in 0..<50 {
              try store.upsert(makeTrace("\(name)\(task)-\(n)", start: Double(n), children: 2))
              try store.appendChunks([
                StoredChunk(traceId: "\(name)\(task)-\(n)", spanId: "root", index: 0, time: 1, json: "\(n)")
              ])
            }
          }
        }
      }
      try await group.waitForAll()
    }
    for store in [first, second] {
      #expect(try store.traceCount() == 400)
      #expect(try store.spanCount() == 1200)
    }
    for name in ["a", "b"] {
      for task in 0..<4 {
        for n in stride(from: 0, to: 50, by: 7) {
          #expect(try first.trace(id: "\(name)\(task)-\(n)")?.spans.count == 3)
          #expect(try second.chunks(traceId: "\(name)\(task)-\(n)").map(\.json) == ["\(n)"])
        }
      }
    }
  }

  @Test func storesOpeningANewFileAtOnce() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("new/traces.sqlite")
    let stores = try await withThrowingTaskGroup(of: TraceStore.self) { group in
      for _ in 0..<6 { group.addTask { try TraceStore(path: path) } }
      var stores: [TraceStore] = []
      for try await store in group { stores.append(store) }
      return stores
    }
    for (n, store) in stores.enumerated() { try store.upsert(makeTrace("t\(n)", start: Double(n))) }
    #expect(try stores[0].traceCount() == 6)
  }
}
