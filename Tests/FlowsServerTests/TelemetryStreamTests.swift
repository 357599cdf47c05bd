import AsyncHTTPClient
import Flows
import FlowsServer
import FlowsTestSupport
import Hummingbird
import NIOCore
import Testing
import TraceStore

/// `GET /api/traces/:id/stream` over a real connection.
@Suite struct TelemetryStreamTests {
  typealias Kit = ReflectionTestKit

  /// Reads SSE frames (`data: …` payloads as JSON, `: …` comments as strings) from a body.
  struct FrameReader {
    var iterator: HTTPClientResponse.Body.AsyncIterator
    var pending = ""

    init(_ response: HTTPClientResponse) { iterator = response.body.makeAsyncIterator() }

    /// The next frame's text (without the trailing blank line), or nil at the end of the body.
    mutating func next() async throws -> String? {
      while true {
        if let range = pending.range(of: "\n\n") {
          let frame = String(pending[..<range.lowerBound])
          pending.removeSubrange(..<range.upperBound)
          return frame
        }
        guard let buffer = try await iterator.next() else { return nil }
        pending += String(buffer: buffer)
      }
    }

    /// The next `data:` frame as JSON, skipping comments.
    mutating func nextData() async throws -> JSONValue? {
      while let frame = try await next() {
        if frame.hasPrefix("data: ") { return try JSONValue(parsing: String(frame.dropFirst(6))) }
      }
      return nil
    }
  }

  func post(_ base: String, _ trace: TraceData) async throws {
    let response = try await Kit.send(base + "/api/traces", trace.json)
    #expect(response.status.code == 200)
    _ = try await response.body.collect(upTo: 1 << 16)
  }

  @Test func streamsALocalRunUntilItsRootEnds() async throws {
    let storage = try Kit.Store()
    let release = Signal()
    let entered = Signal()
    let runtime = Kit.runtime(release: release, entered: entered)
    let writer = TraceStoreWriter(store: storage.store, bus: runtime.bus)
    let router = Router()
    router.addTelemetryAPI(store: storage.store, bus: runtime.bus)
    try await Kit.withLive(router) { base in
      let traceId = Locked<String?>(nil)
      let action = try #require(runtime.registry.flow(named: "held"))
      let run = Task {
        try await action.run("x", options: ActionRunOptions(onTraceStarted: { id, _ in traceId.mutate { $0 = id } }))
      }
      await entered.wait()
      await writer.flush()
      let id = try #require(traceId.value)
      let response = try await Kit.send(base + "/api/traces/\(id)/stream", method: .GET)
      #expect(response.headers.first(name: "content-type") == "text/event-stream")
      var frames = FrameReader(response)
      let snapshot = try #require(try await frames.nextData())
      #expect(snapshot["traceId"] == .string(id))
      #expect(snapshot["spans"]?.objectValue?.count == 1)
      release.fire()
      let end = try #require(try await frames.nextData())
      #expect(end["type"] == "span_end")
      #expect(end["traceId"] == .string(id))
      #expect(end["span"]?["attributes"]?["genkit:output"] == "\"x\"")
      #expect(try await frames.next() == nil)  // the stream ends with the root span
      _ = try await run.value
    }
    await writer.stop()
  }

  @Test func streamsPostedSpansLikeGenkitsBroadcast() async throws {
    let storage = try Kit.Store()
    let router = Router()
    router.addTelemetryAPI(store: storage.store)
    try await Kit.withLive(router) { base in
      let response = try await Kit.send(base + "/api/traces/p1/stream", method: .GET)
      var frames = FrameReader(response)
      let root = Kit.span(trace: "p1", id: "r", name: "f", start: 1)
      let child = Kit.span(trace: "p1", id: "c", parent: "r", name: "s", start: 2, end: 3)
      let rootEnd = Kit.span(trace: "p1", id: "r", name: "f", start: 1, end: 4)
      try await post(base, TraceData(traceId: "p1", spans: [root]))
      try await post(base, TraceData(traceId: "p1", spans: [child]))
      try await post(base, TraceData(traceId: "p1", spans: [rootEnd]))
      var events: [String] = []
      while let frame = try await frames.nextData() {
        events.append("\(frame["type"]?.stringValue ?? "?"):\(frame["span"]?["spanId"]?.stringValue ?? "?")")
      }
      #expect(events == ["span_start:r", "span_start:c", "span_end:c", "span_start:r", "span_end:r"])
    }
  }

  @Test func aFinishedTraceSendsItsSnapshotAndEnds() async throws {
    let storage = try Kit.Store()
    try storage.store.upsert([Kit.span(trace: "done", id: "r", name: "f", start: 1, end: 2)])
    let router = Router()
    router.addTelemetryAPI(store: storage.store)
    try await Kit.withLive(router) { base in
      let response = try await Kit.send(base + "/api/traces/done/stream", method: .GET)
      var frames = FrameReader(response)
      #expect(try await frames.nextData()?["traceId"] == "done")
      #expect(try await frames.next() == nil)
      let bad = try await Kit.get(base + "/api/traces/..%2F..%2Fetc/stream")
      #expect(bad.status == 400)
    }
  }

  @Test func idleStreamsSendKeepAliveComments() async throws {
    let storage = try Kit.Store()
    let router = Router()
    router.addTelemetryAPI(
      store: storage.store, options: TelemetryAPIOptions(keepAliveInterval: .milliseconds(50)))
    try await Kit.withLive(router) { base in
      let response = try await Kit.send(base + "/api/traces/idle/stream", method: .GET)
      var frames = FrameReader(response)
      #expect(try await frames.next() == ": keep-alive")
      // Ending it: the root of the trace arrives.
      try await post(
        base, TraceData(traceId: "idle", spans: [Kit.span(trace: "idle", id: "r", name: "f", start: 1, end: 2)]))
      var last: String?
      while let frame = try await frames.next() { last = frame }
      #expect(last?.contains("span_end") == true)
    }
  }
}
