import Foundation

/// Log records of a traced run, in Genkit's `LogRecordData` form: `logId`, `traceId`, `spanId`,
/// `timestamp` (ms since the epoch), `severityNumber` and `severityText` (OpenTelemetry's), `body`,
/// `attributes`, and `instrumentationLibrary` (the logger).
public enum SpanLogRecord {
  /// OpenTelemetry severity numbers of the usual levels.
  public enum Severity: Int64, Sendable, CaseIterable {
    case trace = 1
    case debug = 5
    case info = 9
    /// swift-log's `notice`: INFO2.
    case notice = 10
    case warn = 13
    case error = 17
    case fatal = 21

    /// OpenTelemetry's short name (`INFO`, `WARN`, …; `notice` is `INFO2`).
    public var text: String { SpanLogRecord.severityName(rawValue) ?? "" }
  }

  /// OpenTelemetry's levels, each covering four severity numbers (1–4 `TRACE`, …, 21–24 `FATAL`).
  public static let levels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]

  /// The level of a severity number (`WARN` for 13–16); nil outside 1–24.
  public static func level(of number: Int64) -> String? {
    guard (1...24).contains(number) else { return nil }
    return levels[Int((number - 1) / 4)]
  }

  /// OpenTelemetry's short name of a severity number: its level, with the step within the level
  /// after the first (`INFO` for 9, `INFO2` for 10, `WARN4` for 16); nil outside 1–24.
  public static func severityName(_ number: Int64) -> String? {
    guard let level = level(of: number) else { return nil }
    let step = (number - 1) % 4 + 1
    return step == 1 ? level : level + String(step)
  }

  /// Records a log record in the span the calling task runs in (it goes on the runtime's event
  /// bus, so the trace store keeps it with the trace and the debugger shows it). Does nothing
  /// outside a traced run.
  ///
  /// - Returns: The record, or nil outside a run.
  @discardableResult
  public static func record(
    _ severity: Severity, _ body: JSONValue, attributes: JSONObject = JSONObject(), logger: String? = nil,
    time: Double = TraceClock.nowMilliseconds()
  ) -> JSONObject? {
    guard let span = SpanInfo.current else { return nil }
    var record = JSONObject(minimumCapacity: 9)
    record["logId"] = .string(UUID().uuidString.lowercased())
    record["traceId"] = .string(span.traceId.hex)
    record["spanId"] = .string(span.spanId.hex)
    record["timestamp"] = .number(time)
    record["severityNumber"] = .integer(severity.rawValue)
    record["severityText"] = .string(severity.text)
    record["body"] = body
    record["attributes"] = .object(attributes)
    if let logger { record["instrumentationLibrary"] = ["name": .string(logger)] }
    span.scope.runtime.bus.publish(.logRecorded(record))
    return record
  }
}
