import Flows
import FlowsTestSupport
import Hummingbird
import NIOCore
import Testing
import TraceStore

@testable import FlowsServer

@Suite struct TelemetryExporterTests {
  typealias Kit = ReflectionTestKit

  /// A test telemetry endpoint that records every `POST /api/traces` body.
  func withCollector<T: Sendable>(
    status: HTTPResponse.Status = .ok, _ body: @escaping @Sendable (String, Locked<[JSONValue]>) async throws -> T
  ) async throws -> T {
    let received = Locked<[JSONValue]>([])
    let router = Router()
    router.post("/api/traces") { request, _ in
      let buffer = try await request.body.collect(upTo: 1 << 24)
      received.append(try JSONValue(parsing: buffer.readableBytesView))
      return Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: "OK")))
    }
    return try await Kit.withLive(router) { base in try await body(base, received) }
  }

  /// Every span copy posted, in order.
  func copies(_ documents: [JSONValue]) -> [SpanData] {
    documents.flatMap { document in
      (try? TraceData(json: document))?.spans.values.sorted { $0.startTime < $1.startTime } ?? []
    }
  }

  @Test func exportsEndedSpansPerTrace() async throws {
    try await withCollector { base, received in
      let runtime = Kit.runtime()
      let exporter = TelemetryExporter(
        bus: runtime.bus, configuration: TelemetryExporterConfiguration(serverURL: base + "/"), logger: Kit.logger)
      let flow = try #require(runtime.registry.flow(named: "steps"))
      let result = try await flow.run("abc")
      await exporter.flush()
      let spans = copies(received.value)
      #expect(spans.count == 3)
      #expect(spans.allSatisfy { $0.endTime > 0 && $0.traceId == result.traceId })
      #expect(Set(spans.compactMap { $0.attributes["genkit:name"]?.stringValue }) == ["steps", "uppercase", "reverse"])
      // Trace-level fields only in the document holding the root span.
      for document in received.value {
        let holdsRoot = (try TraceData(json: document)).spans.values.contains { $0.parentSpanId == nil }
        #expect((document["displayName"] != nil) == holdsRoot)
        if holdsRoot { #expect(document["displayName"] == "steps") }
      }
      #expect(exporter.failedPostCount == 0)
      #expect(exporter.postedSpanCount == 3)
      await exporter.shutdown()
    }
  }

  @Test func realtimeExportsAtStartAndAtEnd() async throws {
    try await withCollector { base, received in
      let release = Signal()
      let entered = Signal()
      let runtime = Kit.runtime(release: release, entered: entered)
      let exporter = TelemetryExporter(
        bus: runtime.bus, configuration: TelemetryExporterConfiguration(serverURL: base, realtime: true),
        logger: Kit.logger)
      let flow = try #require(runtime.registry.flow(named: "held"))
      let run = Task { try await flow.run("x") }
      await entered.wait()
      let started = await Kit.eventually { copies(received.value).contains { $0.endTime == 0 } }
      #expect(started)
      let start = try #require(copies(received.value).first)
      #expect(start.endTime == 0)
      #expect(start.attributes["genkit:name"] == "held")
      #expect(start.attributes["genkit:state"] == nil)
      #expect(received.value.first?["endTime"] == 0)
      release.fire()
      _ = try await run.value
      await exporter.flush()
      let all = copies(received.value)
      #expect(all.count == 2)
      #expect(all.last?.endTime ?? 0 > 0)
      #expect(all.last?.attributes["genkit:output"] == "\"x\"")
      await exporter.shutdown()
    }
  }

  @Test func shutdownFlushesAndFailuresAreCountedNotThrown() async throws {
    try await withCollector(status: .internalServerError) { base, received in
      let runtime = Kit.runtime()
      let exporter = TelemetryExporter(
        bus: runtime.bus, configuration: TelemetryExporterConfiguration(serverURL: base), logger: Kit.logger)
      _ = try await runtime.registry.flow(named: "echo")?.run("x")
      await exporter.shutdown()
      #expect(received.value.count == 1)
      #expect(exporter.failedPostCount == 1)
      #expect(exporter.lastError?.contains("500") == true)
    }
    let runtime = Kit.runtime()
    let unreachable = TelemetryExporter(
      bus: runtime.bus,
      configuration: TelemetryExporterConfiguration(serverURL: "http://127.0.0.1:1", requestTimeout: .seconds(1)),
      logger: Kit.logger)
    let result = try await runtime.registry.flow(named: "echo")?.run("still fine")
    #expect(result?.result == "still fine")
    await unreachable.flush()
    #expect(unreachable.failedPostCount == 1)
    // While paused after the failure, spans are dropped instead of waiting for another timeout.
    _ = try await runtime.registry.flow(named: "echo")?.run("dropped")
    let clock = ContinuousClock()
    let elapsed = await clock.measure { await unreachable.shutdown() }
    #expect(elapsed < .seconds(1))
    #expect(unreachable.failedPostCount == 1)
    #expect(unreachable.droppedSpanCount == 1)
  }

  @Test func withoutAURLNothingIsCollectedUntilOneIsAdopted() async throws {
    try await withCollector { base, received in
      let runtime = Kit.runtime()
      let exporter = TelemetryExporter(
        bus: runtime.bus, configuration: TelemetryExporterConfiguration(), logger: Kit.logger)
      // With nowhere to post, the exporter is not even on the bus.
      #expect(!exporter.isSubscribed)
      #expect(runtime.bus.subscriberCount == 0)
      _ = try await runtime.registry.flow(named: "echo")?.run("lost")
      await exporter.flush()
      #expect(exporter.adoptServerURL(base))
      #expect(exporter.isSubscribed)
      #expect(runtime.bus.subscriberCount == 1)
      _ = try await runtime.registry.flow(named: "echo")?.run("kept")
      await exporter.flush()
      #expect(copies(received.value).map { $0.attributes["genkit:output"] } == ["\"kept\""])
      await exporter.shutdown()
    }
  }

  @Test func exportsIntoFlowscopesOwnTelemetryAPI() async throws {
    let storage = try Kit.Store()
    let router = Router()
    router.addTelemetryAPI(store: storage.store)
    try await Kit.withLive(router) { base in
      let runtime = Kit.runtime()
      let exporter = TelemetryExporter(
        bus: runtime.bus, configuration: TelemetryExporterConfiguration(serverURL: base, realtime: true),
        logger: Kit.logger)
      let result = try await runtime.registry.flow(named: "steps")?.run("abc")
      await exporter.shutdown()
      let traceId = try #require(result?.traceId)
      let trace = try TraceData(json: JSONValue(parsing: try await Kit.get(base + "/api/traces/" + traceId).body))
      #expect(trace.spans.count == 3)
      #expect(trace.displayName == "steps")
      #expect(trace.spans.values.allSatisfy { $0.endTime > 0 })
    }
  }

  @Test func logRecordsOfLocalRunsGoToTheTelemetryServerAsOTLP() async throws {
    let storage = try Kit.Store()
    let router = Router()
    router.addTelemetryAPI(store: storage.store)
    try await Kit.withLive(router) { base in
      let runtime = FlowRuntime()
      runtime.defineFlow("logging") { (input: String) -> String in
        SpanLogRecord.record(
          .warn, ["detail": .string(input), "n": 2, "ok": true, "none": .null], attributes: ["k": 1.5])
        return input
      }
      let exporter = TelemetryExporter(
        bus: runtime.bus, configuration: TelemetryExporterConfiguration(serverURL: base), logger: Kit.logger)
      let result = try await runtime.registry.requireFlow(named: "logging").run("abc")
      // A record received from elsewhere is not sent back.
      runtime.bus.publish(.logReceived(["logId": "x", "traceId": .string(result.traceId), "timestamp": 1]))
      await exporter.shutdown()
      #expect(exporter.postedLogCount == 1)
      let page = try JSONValue(parsing: try await Kit.get(base + "/api/traces/\(result.traceId)/logs").body)
      let logs = page["logs"]?.arrayValue ?? []
      #expect(logs.count == 1)
      let log = try #require(logs.first?.objectValue)
      #expect(log["spanId"] == .string(result.spanId))
      #expect(log["severityNumber"] == 13 && log["severityText"] == "WARN")
      #expect(log["body"] == ["detail": "abc", "n": 2, "ok": true, "none": .null])
      #expect(log["attributes"] == ["k": 1.5])
      #expect((log["timestamp"]?.doubleValue ?? 0) > 1_700_000_000_000)
    }
  }

  @Test func anEncodedRecordComesBackTheSameThroughTheConverter() throws {
    let record: JSONObject = [
      "logId": "ignored", "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174",
      "timestamp": 1_782_000_000_123.5, "severityNumber": 17, "severityText": "ERROR",
      "body": ["list": [1, "two", 3.5], "nested": ["deep": false]], "attributes": ["a": "b"],
      "instrumentationLibrary": ["name": "orders"],
    ]
    let back = try OTLPJSONLogConverter.logs(from: OTLPJSONLogEncoder.request([record]))
    var expected = record
    expected["logId"] = nil
    #expect(back == [expected])
  }

  @Test func configurationFromTheEnvironment() {
    let none = TelemetryExporterConfiguration.fromEnvironment([:])
    #expect(none.serverURL == nil && !none.serverURLIsPinned && !none.realtime)
    let set = TelemetryExporterConfiguration.fromEnvironment([
      "GENKIT_TELEMETRY_SERVER": "http://127.0.0.1:4033", "GENKIT_ENABLE_REALTIME_TELEMETRY": "true",
    ])
    #expect(set.serverURL == "http://127.0.0.1:4033" && set.serverURLIsPinned && set.realtime)
  }
}
