import Flows
import Testing
import TraceStore

@Suite struct UpsertTests {
  @Test func endedCopyReplacesStartCopy() throws {
    let t = try TestStore()
    try t.store.upsert([makeSpan(trace: "t1", id: "root", name: "flow", start: 100)])
    #expect(try t.store.summary(traceId: "t1")?.status == .running)
    #expect(try t.store.trace(id: "t1")?.spans["root"]?.endTime == 0)

    try t.store.upsert([makeSpan(trace: "t1", id: "root", name: "flow", start: 100, end: 150)])
    let trace = try #require(try t.store.trace(id: "t1"))
    #expect(trace.spans["root"]?.endTime == 150)
    #expect(trace.spans["root"]?.attributes["genkit:state"] == "success")
    let summary = try #require(try t.store.summary(traceId: "t1"))
    #expect(summary.status == .ok)
    #expect(summary.endTime == 150)
    #expect(summary.durationMilliseconds == 50)
  }

  @Test func lateStartCopyNeverOverwritesEndedSpan() throws {
    let t = try TestStore()
    let ended = makeSpan(trace: "t1", id: "root", name: "flow", start: 100, end: 150)
    try t.store.upsert([ended])
    try t.store.upsert([makeSpan(trace: "t1", id: "root", name: "flow", start: 100)])
    #expect(try t.store.trace(id: "t1")?.spans["root"] == ended)
    #expect(try t.store.summary(traceId: "t1")?.status == .ok)

    // Within one call too: the start copy after the end copy is ignored.
    try t.store.upsert([
      makeSpan(trace: "t2", id: "a", start: 1, end: 2), makeSpan(trace: "t2", id: "a", start: 1),
    ])
    #expect(try t.store.trace(id: "t2")?.spans["a"]?.endTime == 2)
    #expect(try t.store.summary(traceId: "t2")?.status == .ok)
  }

  @Test func endedCopyReplacesEndedCopy() throws {
    let t = try TestStore()
    try t.store.upsert([makeSpan(trace: "t1", id: "root", start: 100, end: 150)])
    try t.store.upsert([makeSpan(trace: "t1", id: "root", start: 100, end: 170, error: "late failure")])
    let summary = try #require(try t.store.summary(traceId: "t1"))
    #expect(summary.endTime == 170)
    #expect(summary.status == .error)
    #expect(summary.errorMessage == "late failure")
  }

  @Test func traceWithoutRootIsListedAsRunning() throws {
    let t = try TestStore()
    var child = makeSpan(trace: "t1", id: "child", parent: "root", name: "step", start: 105, end: 110)
    child.attributes["genkit:path"] = "/{menuFlow,t:flow}/{step,t:flowStep}"
    try t.store.upsert([child])
    let early = try #require(try t.store.summary(traceId: "t1"))
    #expect(early.status == .running)
    #expect(early.rootSpanId == nil)
    #expect(early.name == "menuFlow")
    #expect(early.startTime == 105)
    #expect(early.spanCount == 1)
    #expect(try t.store.listTraces(TraceQuery(status: .running)).traces.map(\.traceId) == ["t1"])

    try t.store.upsert([makeSpan(trace: "t1", id: "root", name: "menuFlow", start: 100, end: 120)])
    let done = try #require(try t.store.summary(traceId: "t1"))
    #expect(done.status == .ok)
    #expect(done.rootSpanId == "root")
    #expect(done.startTime == 100)
    #expect(done.endTime == 120)
    #expect(done.spanCount == 2)
  }

  @Test func rootlessTraceTakesItsEarliestSpan() throws {
    let t = try TestStore()
    try t.store.upsert([makeSpan(trace: "t1", id: "b", parent: "root", name: "late", start: 200)])
    try t.store.upsert([makeSpan(trace: "t1", id: "a", parent: "root", name: "early", start: 150)])
    let summary = try #require(try t.store.summary(traceId: "t1"))
    #expect(summary.startTime == 150)
    #expect(summary.name == "early")
    #expect(summary.spanCount == 2)
  }

  @Test func rootDetectionUsesIsRootForRemoteParents() throws {
    let t = try TestStore()
    // A flow called from another process: it has a (remote) parent but is the root of its trace.
    try t.store.upsert([
      makeSpan(
        trace: "t1", id: "local-root", parent: "remote-caller", name: "served", start: 10, end: 20, isRoot: true),
      makeSpan(trace: "t1", id: "step", parent: "local-root", name: "step", start: 11, end: 12),
    ])
    let summary = try #require(try t.store.summary(traceId: "t1"))
    #expect(summary.rootSpanId == "local-root")
    #expect(summary.name == "served")
    #expect(summary.status == .ok)
  }

  @Test func errorRootMakesAnErrorTrace() throws {
    let t = try TestStore()
    try t.store.upsert(makeTrace("t1", name: "boom", start: 1, children: 2, error: "kaboom"))
    let summary = try #require(try t.store.summary(traceId: "t1"))
    #expect(summary.status == .error)
    #expect(summary.errorMessage == "kaboom")
    #expect(summary.spanCount == 3)
  }

  @Test func summaryKeepsPreviewsAndLabels() throws {
    let t = try TestStore()
    let longOutput = String(repeating: "x", count: 1000)
    let root = makeSpan(
      trace: "t1", id: "root", name: "flow", start: 1, end: 2,
      attributes: [
        "genkit:input": "{\"theme\":\"pirate\"}", "genkit:output": .string("\"\(longOutput)\""),
        "genkitx:session": "s-42", "genkitx:attempt": 3, "other": "ignored",
      ])
    try t.store.upsert([root])
    let summary = try #require(try t.store.summary(traceId: "t1"))
    #expect(summary.inputPreview == "{\"theme\":\"pirate\"}")
    let output = try #require(summary.outputPreview)
    #expect(output.count < 300)
    #expect(output.hasPrefix("\"xxxx"))
    #expect(output.hasSuffix("…"))
    #expect(summary.labels == ["genkitx:session": "s-42", "genkitx:attempt": "3"])
  }

  @Test func spansAreStoredLosslessly() throws {
    let t = try TestStore()
    var span = makeSpan(
      trace: "t1", id: "root", name: "flow", start: 1_782_000_000_000.125, end: 1_782_000_002_310.5,
      attributes: ["nested": ["a": [1, 2.5, "three", .null, true]], "genkit:input": "\"é ✓ \\n\""])
    span.links = [["context": "x"]]
    span.timeEvents = [
      SpanData.TimeEvent(time: 1_782_000_002_310.25, description: "exception", attributes: ["exception.message": "m"])
    ]
    span.truncated = false
    span.sameProcessAsParentSpan = nil
    try t.store.upsert([span])
    #expect(try t.store.trace(id: "t1")?.spans["root"] == span)
  }

  @Test func unknownTraceIsNil() throws {
    let t = try TestStore()
    try t.store.upsert(makeTrace("known", start: 1))
    #expect(try t.store.trace(id: "unknown") == nil)
    #expect(try t.store.summary(traceId: "unknown") == nil)
    #expect(try t.store.chunks(traceId: "unknown").isEmpty)
  }

  @Test func traceDataTakesSummaryFieldsFromRoot() throws {
    let t = try TestStore()
    try t.store.upsert(makeTrace("t1", name: "menuFlow", start: 500, children: 3))
    let trace = try #require(try t.store.trace(id: "t1"))
    #expect(trace.spans.count == 4)
    #expect(trace.displayName == "menuFlow")
    #expect(trace.startTime == 500)
    #expect(trace.endTime == 510)
    #expect(trace.rootSpan?.spanId == "t1-root")
    #expect(trace.spans["t1-c2"]?.parentSpanId == "t1-root")
  }

  @Test func sameSpanIdInTwoTracesAreTwoSpans() throws {
    let t = try TestStore()
    try t.store.upsert([
      makeSpan(trace: "t1", id: "s", start: 1, end: 2), makeSpan(trace: "t2", id: "s", start: 3, end: 4),
    ])
    #expect(try t.store.traceCount() == 2)
    #expect(try t.store.spanCount() == 2)
    #expect(try t.store.trace(id: "t2")?.spans["s"]?.startTime == 3)
  }

  @Test func chunksComeBackInIndexOrder() throws {
    let t = try TestStore()
    try t.store.upsert(makeTrace("t1", start: 1))
    let chunks = (0..<5).map {
      StoredChunk(traceId: "t1", spanId: "t1-root", index: $0, time: 10 + Double($0), json: "{\"n\":\($0)}")
    }
    try t.store.appendChunks([chunks[3], chunks[0], chunks[4]])
    try t.store.appendChunks([chunks[2], chunks[1]])
    try t.store.appendChunks([chunks[1]])  // idempotent
    try t.store.appendChunks([StoredChunk(traceId: "t2", spanId: "x", index: 0, time: 1, json: "0")])
    let stored = try t.store.chunks(traceId: "t1")
    #expect(stored == chunks)
    #expect(stored[2].value == ["n": 2])
  }

  @Test func writeStoresSpansAndChunksTogether() throws {
    let t = try TestStore()
    try t.store.write(
      spans: makeTrace("t1", start: 1, children: 2),
      chunks: [StoredChunk(traceId: "t1", spanId: "t1-root", index: 0, time: 2, json: "\"hi\"")])
    #expect(try t.store.summary(traceId: "t1")?.spanCount == 3)
    #expect(try t.store.chunks(traceId: "t1").map(\.json) == ["\"hi\""])
  }

  @Test func invalidSpanFailsTheWholeTransaction() throws {
    let t = try TestStore()
    let bad = makeSpan(trace: "t2", id: "bad", start: .nan, end: 2)
    #expect(throws: TraceStoreError.self) { try t.store.upsert(makeTrace("t1", start: 1) + [bad]) }
    #expect(try t.store.traceCount() == 0)
    #expect(try t.store.spanCount() == 0)
  }
}
