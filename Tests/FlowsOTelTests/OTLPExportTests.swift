import Flows
import FlowsAI
import FlowsOTel
import FlowsServer
import FlowsTestSupport
import Foundation
import OTel
import Testing
import TraceStore

/// Real export through swift-otel to an OTLP/HTTP receiver on loopback. Serialized: one test sets
/// `OTEL_*` variables, which swift-otel reads from the process environment.
@Suite(.serialized) struct OTLPExportTests {
  static let serviceName = "flowscope-otel-tests"

  static func configuration(
    _ url: String, _ protocol: OTel.Configuration.OTLPExporterConfiguration.`Protocol`
  ) -> OTelExportConfiguration {
    .collector(endpoint: url, protocol: `protocol`, serviceName: serviceName, diagnosticLogger: quietLogger)
  }

  /// Runs `body` with a collector, stopping it afterwards.
  func withCollector<T: Sendable>(_ body: (OTLPTestCollector) async throws -> T) async throws -> T {
    let collector = try await OTLPTestCollector.start()
    do {
      let result = try await body(collector)
      await collector.stop()
      return result
    } catch {
      await collector.stop()
      throw error
    }
  }

  @Test func anHTTPJSONCollectorReceivesTheSpansOfFlows() async throws {
    try await withCollector { collector in
      let flows = ExportFlows()
      let exporter = try OTelFlowExporter(
        runtime: flows.runtime, configuration: Self.configuration(collector.tracesURL, .httpJSON), logger: quietLogger)
      let genkitEvents = flows.runtime.bus.subscribe()
      try await withRunning([exporter]) {
        _ = try await flows.steps("abc")
        _ = try await flows.agent("Weather in Tortuga?")
        _ = await thrownError { try await flows.failing("x") }
      }
      // Graceful shutdown exported everything: no waiting needed.
      let genkit = endedSpans(genkitEvents.drain())
      let spans = collector.spans
      #expect(genkit.count == 11)
      #expect(spans.count == genkit.count)
      for request in collector.requests {
        #expect(request.method == "POST" && request.uri == "/v1/traces")
        #expect(request.header("Content-Type") == "application/json")
      }

      // Every Flowscope span arrived once, under its name, with the Flowscope tree as parent links.
      var bySpanId: [String: CollectedSpan] = [:]
      for span in spans { bySpanId[span.string("genkit:spanId") ?? ""] = span }
      for original in genkit {
        let span = try #require(bySpanId[original.spanId], "\(original.displayName) was not exported")
        #expect(span.name == original.displayName)
        #expect(span.string("genkit:traceId") == original.traceId)
        if let parent = original.parentSpanId {
          #expect(span.parentSpanId == bySpanId[parent]?.spanId, "\(span.name)'s parent")
          #expect(span.traceId == bySpanId[parent]?.traceId)
        } else {
          #expect(span.parentSpanId == nil, "\(span.name) is a root")
        }
        #expect(span.resource["service.name"]?["stringValue"] == .string(Self.serviceName))
        #expect(span.scope == "swift-otel")
        #expect(abs(Double(span.startNanoseconds) / 1e6 - original.startTime) < 0.001)
        #expect(abs(Double(span.endNanoseconds) / 1e6 - original.endTime) < 0.001)
      }
      #expect(Set(spans.map(\.traceId)).count == 3)

      let steps = try #require(spans.one("steps"))
      #expect(steps.kind == 1 && steps.statusCode == 1)
      #expect(steps.attributes["genkit:isRoot"] == ["boolValue": true])
      #expect(steps.string("genkit:path") == "/{steps,t:flow}")
      #expect(steps.string("genkit:output") == #""CBA""#)
      #expect(spans.one("uppercase")?.string("genkit:type") == "flowStep")

      let models = spans.filter { $0.name == "googleai/gemini-test" }
      #expect(models.count == 2 && models.allSatisfy { $0.kind == 3 })
      let firstModel = try #require(models.first { $0.attributes["gen_ai.usage.input_tokens"] == ["intValue": "120"] })
      #expect(firstModel.string("gen_ai.operation.name") == "chat")
      #expect(firstModel.string("gen_ai.provider.name") == "gcp.gemini")
      #expect(firstModel.string("gen_ai.request.model") == "gemini-test")
      #expect(firstModel.attributes["gen_ai.usage.output_tokens"] == ["intValue": "12"])
      #expect(firstModel.attributes["gen_ai.request.temperature"] == ["doubleValue": 0.3])
      #expect(
        firstModel.attributes["gen_ai.response.finish_reasons"] == ["arrayValue": ["values": [["stringValue": "stop"]]]]
      )
      let tool = try #require(spans.one("getWeather"))
      #expect(tool.string("gen_ai.operation.name") == "execute_tool")
      #expect(tool.string("gen_ai.tool.name") == "getWeather")
      #expect(tool.string("gen_ai.tool.call.id") == "call-1")

      for name in ["failing", "bake"] {
        let failed = try #require(spans.one(name))
        #expect(failed.statusCode == 2 && failed.statusMessage == "boom: the oven is on fire", "\(name)")
        let exception = try #require(failed.events.first { $0.name == "exception" }, "\(name)")
        #expect(exception.attributes["exception.type"] == ["stringValue": "BoomError"])
        #expect(exception.attributes["exception.message"] == ["stringValue": "boom: the oven is on fire"])
        #expect(failed.string("genkit:state") == "error")
      }
    }
  }

  @Test func httpProtobufReachesTheCollector() async throws {
    try await withCollector { collector in
      let flows = ExportFlows()
      let exporter = try OTelFlowExporter(
        runtime: flows.runtime, configuration: Self.configuration(collector.tracesURL, .httpProtobuf),
        logger: quietLogger)
      try await withRunning([exporter]) { _ = try await flows.steps("abc") }
      let requests = collector.requests
      #expect(!requests.isEmpty)
      for request in requests {
        #expect(request.uri == "/v1/traces")
        #expect(request.header("Content-Type") == "application/x-protobuf")
        #expect(!request.body.isEmpty)
      }
      // Protobuf strings are raw UTF-8: the span names and Genkit attributes are in the body.
      let body = requests.flatMap(\.body)
      for text in [
        "steps", "uppercase", "reverse", "genkit:path", "/{steps,t:flow}/{reverse,t:flowStep}", Self.serviceName,
      ] {
        #expect(body.contains(Array(text.utf8)), "\(text)")
      }
      #expect(exporter.exportedSpanCount == 3)
    }
  }

  @Test func spansAreExportedWhileRunningAndExactlyOnce() async throws {
    try await withCollector { collector in
      let flows = ExportFlows()
      var configuration = Self.configuration(collector.tracesURL, .httpJSON)
      configuration.otel.traces.batchSpanProcessor.scheduleDelay = .milliseconds(50)
      let exporter = try OTelFlowExporter(runtime: flows.runtime, configuration: configuration, logger: quietLogger)
      try await withRunning([exporter]) {
        _ = try await flows.steps("first")
        await exporter.flush()
        #expect(await eventually { collector.spans.count == 3 }, "exported on the batch schedule, before shutdown")
        _ = try await flows.steps("second")
      }
      let spans = collector.spans
      #expect(spans.count == 6)
      #expect(Set(spans.map(\.spanId)).count == 6, "no span is exported twice")
      #expect(Set(spans.map(\.traceId)).count == 2)
    }
  }

  @Test func theStandardEnvironmentVariablesChooseTheCollector() async throws {
    try await withCollector { collector in
      let variables = [
        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.stub.port)",
        "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
        "OTEL_SERVICE_NAME": "from-the-environment",
        "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT": "4",
      ]
      for (name, value) in variables { setenv(name, value, 1) }
      defer { for name in variables.keys { unsetenv(name) } }

      let flows = ExportFlows()
      var configuration = OTelExportConfiguration.fromEnvironment()
      configuration.otel.diagnosticLogger = .custom(quietLogger)
      let exporter = try OTelFlowExporter(runtime: flows.runtime, configuration: configuration, logger: quietLogger)
      try await withRunning([exporter]) { _ = try await flows.steps("abc") }

      let requests = collector.requests
      #expect(!requests.isEmpty)
      #expect(requests.allSatisfy { $0.uri == "/v1/traces" && $0.header("Content-Type") == "application/json" })
      let spans = collector.spans
      #expect(spans.count == 3)
      #expect(spans.allSatisfy { $0.resource["service.name"] == ["stringValue": "from-the-environment"] })
      #expect(spans.one("steps")?.string("genkit:path") == "/{st", "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT applies")
    }
  }

  @Test func otelSDKDisabledTurnsTheExporterOff() async throws {
    setenv("OTEL_SDK_DISABLED", "true", 1)
    defer { unsetenv("OTEL_SDK_DISABLED") }
    let flows = ExportFlows()
    let exporter = try OTelFlowExporter(
      runtime: flows.runtime, configuration: OTelExportConfiguration(diagnosticLogger: quietLogger), logger: quietLogger
    )
    #expect(!exporter.isEnabled)
    try await withRunning([exporter]) { _ = try await flows.steps("abc") }
    #expect(exporter.exportedSpanCount == 0)
  }

  @Test func exportedSpansRoundTripThroughFlowscopesTelemetryAPI() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("otel-roundtrip-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = try TraceStore(path: directory.appendingPathComponent("traces.sqlite").path)
    let apiBus = EventBus()
    let received = apiBus.subscribe()
    let server = FlowServer(
      registry: FlowRuntime().registry, configuration: FlowServerConfiguration(port: 0),
      routes: [{ router in router.addTelemetryAPI(store: store, bus: apiBus) }])
    let flows = ExportFlows()
    let results = try await withRunning([server]) {
      let port = try await server.waitUntilRunning()
      let url = "http://127.0.0.1:\(port)/api/otlp/v1/traces"
      let exporter = try OTelFlowExporter(
        runtime: flows.runtime, configuration: Self.configuration(url, .httpJSON), logger: quietLogger)
      return try await withRunning([exporter]) {
        let steps = try await flows.steps.run("abc")
        _ = await thrownError { try await flows.failing("x") }
        return steps
      }
    }

    // The telemetry API announced what it stored; find the traces by their Flowscope ids.
    let announced = received.drain().compactMap { event -> SpanData? in
      if case .spanReceived(let span) = event { return span }
      return nil
    }
    #expect(announced.count == 5)
    let stepsTraceId = try #require(
      announced.first { $0.attributes["genkit:traceId"]?.stringValue == results.traceId }?.traceId)
    let trace = try #require(try store.trace(id: stepsTraceId))
    #expect(trace.spans.count == 3)
    #expect(trace.displayName == "steps")
    let root = try #require(trace.rootSpan)
    #expect(root.displayName == "steps" && root.parentSpanId == nil)
    #expect(root.kindLabel == "flow")
    #expect(root.attributes["genkit:isRoot"] == true)
    #expect(root.attributes["genkit:spanId"]?.stringValue == results.spanId)
    #expect(root.attributes["service.name"]?.stringValue == Self.serviceName)
    #expect(root.output == "CBA")
    #expect(!root.isError)
    let children = trace.spans.values.filter { $0.parentSpanId == root.spanId }.map(\.displayName).sorted()
    #expect(children == ["reverse", "uppercase"])
    #expect(trace.spans.values.allSatisfy { $0.instrumentationLibrary.name == "swift-otel" })

    let failingTraceId = try #require(announced.first { $0.displayName == "failing" }?.traceId)
    let failing = try #require(try store.trace(id: failingTraceId))
    let bake = try #require(failing.spans.values.first { $0.displayName == "bake" })
    #expect(bake.isError)
    #expect(bake.errorMessage == "boom: the oven is on fire")
    #expect(bake.parentSpanId == failing.rootSpan?.spanId)
    #expect(bake.timeEvents?.first?.description == "exception")
  }
}
