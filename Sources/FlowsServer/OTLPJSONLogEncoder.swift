import Flows

/// Encodes log records (Genkit `LogRecordData`) as an OTLP/JSON `ExportLogsServiceRequest`, which
/// Genkit's telemetry server takes on `POST /api/otlp` (the way Genkit runtimes send their logs):
/// one scope per logger (`instrumentationLibrary.name`), ids in hex, times in nanoseconds.
enum OTLPJSONLogEncoder {
  static func request(_ records: [JSONObject], serviceName: String = "flowscope") -> JSONValue {
    var scopes: [String: [JSONValue]] = [:]
    var order: [String] = []
    for record in records {
      let scope = record["instrumentationLibrary"]?["name"]?.stringValue ?? ""
      if scopes[scope] == nil { order.append(scope) }
      scopes[scope, default: []].append(.object(logRecord(record)))
    }
    let resource: JSONValue = [
      "attributes": [["key": "service.name", "value": ["stringValue": .string(serviceName)]]]
    ]
    let scopeLogs: [JSONValue] = order.map { name in
      ["scope": ["name": .string(name)], "logRecords": .array(scopes[name] ?? [])]
    }
    return ["resourceLogs": [["resource": resource, "scopeLogs": .array(scopeLogs)]]]
  }

  static func logRecord(_ record: JSONObject) -> JSONObject {
    var log = JSONObject(minimumCapacity: 8)
    let milliseconds = max(0, record["timestamp"]?.doubleValue ?? 0)
    log["timeUnixNano"] = .string(String(UInt64((milliseconds * 1_000_000).rounded())))
    if let number = record["severityNumber"]?.int64Value { log["severityNumber"] = .integer(number) }
    if let text = record["severityText"]?.stringValue { log["severityText"] = .string(text) }
    if let body = record["body"] { log["body"] = anyValue(body) }
    if let attributes = record["attributes"]?.objectValue, !attributes.isEmpty {
      log["attributes"] = keyValues(attributes)
    }
    if let traceId = record["traceId"]?.stringValue { log["traceId"] = .string(traceId) }
    if let spanId = record["spanId"]?.stringValue { log["spanId"] = .string(spanId) }
    return log
  }

  /// A JSON value as an OTLP `AnyValue`.
  static func anyValue(_ value: JSONValue) -> JSONValue {
    switch value {
    case .null: return [:]
    case .bool(let bool): return ["boolValue": .bool(bool)]
    case .integer(let integer): return ["intValue": .string(String(integer))]
    case .number(let number): return ["doubleValue": .number(number)]
    case .string(let string): return ["stringValue": .string(string)]
    case .array(let items): return ["arrayValue": ["values": .array(items.map(anyValue))]]
    case .object(let object): return ["kvlistValue": ["values": keyValues(object)]]
    }
  }

  static func keyValues(_ object: JSONObject) -> JSONValue {
    .array(object.entries.map { ["key": .string($0.key), "value": anyValue($0.value)] })
  }
}
