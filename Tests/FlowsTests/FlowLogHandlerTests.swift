import Logging
import Synchronization
import Testing

@testable import Flows

/// Messages logged inside a run become log records of its span; outside a run they are only forwarded.
@Suite struct FlowLogHandlerTests {
  /// What reached a `Capture`.
  final class Lines: Sendable {
    let values = Mutex<[String]>([])
  }

  /// A forward target that remembers what reached it.
  struct Capture: LogHandler {
    let lines: Lines
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
      get { metadata[key] }
      set { metadata[key] = newValue }
    }
    func log(event: LogEvent) { lines.values.withLock { $0.append("\(event.level) \(event.message)") } }
  }

  static func records(_ events: [TraceEvent]) -> [JSONObject] {
    events.compactMap { if case .logRecorded(let record) = $0 { return record } else { return nil } }
  }

  @Test func aMessageInAStepIsARecordOfThatStepWithItsSeverityAndMetadata() async throws {
    let runtime = FlowRuntime()
    let events = runtime.bus.subscribe()
    let logger = {
      var logger = Logger(label: "menu") { FlowLogHandler(label: $0) }
      logger[metadataKey: "tenant"] = "t1"
      return logger
    }()
    let flow = runtime.defineFlow("menuFlow") { (theme: String) -> String in
      logger.notice("starting")
      return try await run("choose") {
        logger.warning("few specials", metadata: ["theme": "\(theme)", "left": ["a", "b"]])
        logger.debug("not kept: below the trace level")
        return theme
      }
    }
    _ = try await flow("pirate")
    let batch = events.drain()
    let records = Self.records(batch)
    #expect(records.count == 2)
    let spans = Dictionary(
      batch.compactMap { event -> (String, SpanInfo)? in
        if case .spanEnded(let info, _) = event { return (info.name, info) }
        return nil
      }, uniquingKeysWith: { first, _ in first })
    let root = try #require(spans["menuFlow"])
    let step = try #require(spans["choose"])
    #expect(records[0]["spanId"] == .string(root.spanId.hex))
    #expect(records[0]["traceId"] == .string(root.traceId.hex))
    #expect(records[0]["severityNumber"] == 10 && records[0]["severityText"] == "INFO2")
    #expect(records[0]["body"] == "starting")
    #expect(records[0]["attributes"] == ["tenant": "t1"])
    #expect(records[1]["spanId"] == .string(step.spanId.hex))
    #expect(records[1]["severityNumber"] == 13 && records[1]["severityText"] == "WARN")
    #expect(records[1]["attributes"] == ["left": ["a", "b"], "tenant": "t1", "theme": "pirate"])
    #expect(records[1]["instrumentationLibrary"] == ["name": "menu"])
    #expect(records.allSatisfy { $0["logId"]?.stringValue?.count == 36 && ($0["timestamp"]?.doubleValue ?? 0) > 0 })
    // The record comes before its span ends.
    let logIndex = batch.firstIndex { if case .logRecorded = $0 { return true } else { return false } } ?? -1
    let endIndex = batch.firstIndex { if case .spanEnded = $0 { return true } else { return false } } ?? -1
    #expect(logIndex < endIndex)
  }

  @Test func outsideARunNothingIsRecordedAndEveryMessageIsForwardedByItsLevel() {
    let runtime = FlowRuntime()
    let events = runtime.bus.subscribe()
    let lines = Lines()
    let logger = Logger(label: "plain") { FlowLogHandler(label: $0, forwardingTo: Capture(lines: lines)) }
    logger.info("not forwarded: below the forward level")
    logger.error("forwarded")
    #expect(Self.records(events.drain()).isEmpty)
    #expect(lines.values.withLock { $0 } == ["error forwarded"])
    #expect(SpanLogRecord.record(.info, "outside") == nil)
  }

  @Test func levelsMapToOpenTelemetrySeverities() {
    let expected: [(Logger.Level, Int64, String)] = [
      (.trace, 1, "TRACE"), (.debug, 5, "DEBUG"), (.info, 9, "INFO"), (.notice, 10, "INFO2"),
      (.warning, 13, "WARN"), (.error, 17, "ERROR"), (.critical, 21, "FATAL"),
    ]
    for (level, number, text) in expected {
      let severity = FlowLogHandler.severity(level)
      #expect(severity.rawValue == number && severity.text == text, "\(level)")
    }
  }

  @Test func settingTheLevelSetsBothTheTraceAndTheForwardLevel() {
    var handler = FlowLogHandler(label: "x", traceLevel: .info, forwardingTo: Capture(lines: Lines()))
    #expect(handler.logLevel == .info)
    handler.logLevel = .error
    #expect(handler.traceLevel == .error && handler.logLevel == .error)
  }
}
