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
    public var text: String {
      switch self {
      case .trace: return "TRACE"
      case .debug: return "DEBUG"
      case .info: return "INFO"
      case .notice: return "INFO2"
      case .warn: return "WARN"
      case .error: return "ERROR"
      case .fatal: return "FATAL"
      }
    }
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
