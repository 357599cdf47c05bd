import Flows
import Foundation

/// Converts an OTLP/JSON `ExportLogsServiceRequest` (what `POST /api/otlp/v1/logs` and Genkit's
/// catch-all `/api/otlp` receive) into Genkit `LogRecordData` objects, as Genkit's telemetry
/// server does: `traceId` and `spanId` (hex), `timestamp` in milliseconds (`timeUnixNano`, else
/// `observedTimeUnixNano`, else the time it was received), `severityNumber`, `severityText`, `body` and `attributes` as plain JSON,
/// and the scope as `instrumentationLibrary`. The server gives each record its `logId`.
public enum OTLPJSONLogConverter {
  /// True when `body` carries log records (a `resourceLogs` field).
  public static func containsLogs(_ body: JSONValue) -> Bool {
    guard let object = body.objectValue else { return false }
    return OTLPJSONValues.field(object, "resourceLogs", "resource_logs") != nil
  }

  /// The log records of an `ExportLogsServiceRequest`.
  ///
  /// - Throws: `OTLPJSONTraceConverter.Invalid` for a body that is not one (with the path of the
  ///   first part that is not of the expected shape).
  public static func logs(from body: JSONValue, receivedAt: Date = Date()) throws(OTLPJSONTraceConverter.Invalid)
    -> [JSONObject]
  {
    let received = receivedAt.timeIntervalSince1970 * 1000
    guard let request = body.objectValue else {
      throw OTLPJSONTraceConverter.Invalid(
        description: "expected an OTLP ExportLogsServiceRequest object, got \(body.typeName)")
    }
    var records: [JSONObject] = []
    let resources = try OTLPJSONTraceConverter.list(request, "resourceLogs", "resource_logs", at: "")
    for (r, resourceLogs) in resources.enumerated() {
      let path = "resourceLogs[\(r)]"
      guard let resourceObject = resourceLogs.objectValue else {
        throw OTLPJSONTraceConverter.notObject(path, resourceLogs)
      }
      let scopes = try OTLPJSONTraceConverter.list(resourceObject, "scopeLogs", "scope_logs", at: path)
      for (s, scopeLogs) in scopes.enumerated() {
        let scopePath = path + ".scopeLogs[\(s)]"
        guard let scopeObject = scopeLogs.objectValue else {
          throw OTLPJSONTraceConverter.notObject(scopePath, scopeLogs)
        }
        let library = instrumentationLibrary(OTLPJSONValues.field(scopeObject, "scope"))
        let entries = try OTLPJSONTraceConverter.list(scopeObject, "logRecords", "log_records", at: scopePath)
        for (n, entry) in entries.enumerated() {
          guard let log = entry.objectValue else {
            throw OTLPJSONTraceConverter.notObject(scopePath + ".logRecords[\(n)]", entry)
          }
          records.append(record(log, library: library, received: received))
        }
      }
    }
    return records
  }

  /// One `LogRecord` as `LogRecordData`.
  static func record(_ log: JSONObject, library: JSONValue?, received: Double) -> JSONObject {
    var record = JSONObject(minimumCapacity: 9)
    if case .valid(let traceId) = OTLPJSONValues.id(OTLPJSONValues.field(log, "traceId", "trace_id"), byteCount: 16) {
      record["traceId"] = .string(traceId)
    }
    if case .valid(let spanId) = OTLPJSONValues.id(OTLPJSONValues.field(log, "spanId", "span_id"), byteCount: 8) {
      record["spanId"] = .string(spanId)
    }
    let time = [("timeUnixNano", "time_unix_nano"), ("observedTimeUnixNano", "observed_time_unix_nano")].lazy
      .compactMap { OTLPJSONValues.nanoseconds(OTLPJSONValues.field(log, $0.0, $0.1)) }.first { $0 > 0 }
    record["timestamp"] = .number(time.map(OTLPJSONValues.milliseconds) ?? received)
    if let severity = OTLPJSONValues.field(log, "severityNumber", "severity_number") {
      record["severityNumber"] = severityNumber(severity)
    }
    if let text = OTLPJSONValues.field(log, "severityText", "severity_text")?.stringValue, !text.isEmpty {
      record["severityText"] = .string(text)
    }
    if let body = OTLPJSONValues.field(log, "body") { record["body"] = OTLPJSONValues.anyValue(body) }
    record["attributes"] = .object(OTLPJSONValues.keyValues(OTLPJSONValues.field(log, "attributes")))
    if let library { record["instrumentationLibrary"] = library }
    return record
  }

  /// `severityNumber`: the enum number, or its name (`SEVERITY_NUMBER_INFO` is 9).
  static func severityNumber(_ value: JSONValue) -> JSONValue {
    if let number = value.int64Value { return .integer(number) }
    guard let name = value.stringValue else { return .null }
    if let number = Int64(name) { return .integer(number) }
    return severityNames[name].map { .integer($0) } ?? .string(name)
  }

  /// The enum names of OTLP's severity numbers (`SEVERITY_NUMBER_WARN3` is 15).
  static let severityNames: [String: Int64] = {
    var names: [String: Int64] = ["SEVERITY_NUMBER_UNSPECIFIED": 0]
    for number in Int64(1)...24 {
      if let name = SpanLogRecord.severityName(number) { names["SEVERITY_NUMBER_" + name] = number }
    }
    return names
  }()

  static func instrumentationLibrary(_ scope: JSONValue?) -> JSONValue? {
    guard let scope = scope?.objectValue else { return nil }
    var library = JSONObject()
    library["name"] = .string(scope["name"]?.stringValue ?? "")
    if let version = scope["version"]?.stringValue, !version.isEmpty { library["version"] = .string(version) }
    return .object(library)
  }
}
