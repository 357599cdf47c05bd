import Flows
import Foundation
import GRDB

/// One page of log records, newest first.
public struct LogPage: Sendable, Equatable {
  /// Genkit `LogRecordData` objects: `logId`, `timestamp` (ms), and when known `traceId`,
  /// `spanId`, `severityNumber`, `severityText`, `body`, `attributes`, `instrumentationLibrary`.
  public var logs: [JSONObject]
  /// The offset of the next page, when there is one.
  public var nextOffset: Int?

  public init(logs: [JSONObject], nextOffset: Int?) {
    self.logs = logs
    self.nextOffset = nextOffset
  }
}

extension TraceStore {
  /// Stores log records (Genkit `LogRecordData` objects) in one transaction. A record without a
  /// `logId` gets a new one; a record with the `logId` of a stored one replaces it. `timestamp` is
  /// milliseconds since the epoch (a record without one is stored at 0).
  ///
  /// - Returns: The records as stored (each with its `logId`).
  @discardableResult
  public func saveLogs(_ records: [JSONObject]) throws -> [JSONObject] {
    guard !records.isEmpty else { return [] }
    let stored = records.map { record -> JSONObject in
      guard record["logId"]?.stringValue?.isEmpty == false else {
        // First, as Genkit writes it.
        var identified = JSONObject(minimumCapacity: record.count + 1)
        identified["logId"] = .string(UUID().uuidString.lowercased())
        for (key, value) in record.entries where key != "logId" { identified[key] = value }
        return identified
      }
      return record
    }
    try writing("writing \(stored.count) log records") { db in try TraceWrites.insert(logs: stored, in: db) }
    return stored
  }

  /// Log records, newest first (by timestamp, then arrival), optionally only those of a trace or
  /// of one of its spans; `offset` skips that many (Genkit's numeric continuation token).
  public func logs(traceId: String? = nil, spanId: String? = nil, limit: Int = 100, offset: Int = 0) throws -> LogPage {
    let limit = max(0, limit)
    let offset = max(0, offset)
    var conditions: [String] = []
    var arguments: StatementArguments = []
    if let traceId {
      conditions.append("trace_id = ?")
      arguments += [traceId]
    }
    if let spanId {
      conditions.append("span_id = ?")
      arguments += [spanId]
    }
    let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    arguments += [limit + 1, offset]
    return try reading("listing log records") { db in
      let texts = try String.fetchAll(
        db, sql: "SELECT json FROM logs \(filter) ORDER BY timestamp DESC, id DESC LIMIT ? OFFSET ?",
        arguments: arguments)
      var logs: [JSONObject] = []
      for text in texts.prefix(limit) {
        if let object = try? JSONValue(parsing: text).objectValue { logs.append(object) }
      }
      return LogPage(logs: logs, nextOffset: texts.count > limit ? offset + limit : nil)
    }
  }

  /// The number of stored log records.
  public func logCount() throws -> Int {
    try reading("counting log records") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM logs") ?? 0 }
  }

}

extension TraceWrites {
  static let upsertLogSQL = """
    INSERT INTO logs (log_id, trace_id, span_id, timestamp, json) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (log_id) DO UPDATE SET trace_id = excluded.trace_id, span_id = excluded.span_id,
      timestamp = excluded.timestamp, json = excluded.json
    """

  /// Stores log records that have their `logId` (a record with a stored `logId` replaces it).
  static func insert(logs: [JSONObject], in db: Database) throws {
    guard !logs.isEmpty else { return }
    let statement = try db.cachedStatement(sql: upsertLogSQL)
    for record in logs {
      try statement.execute(arguments: [
        record["logId"]?.stringValue, nonEmpty(record["traceId"]), nonEmpty(record["spanId"]),
        record["timestamp"]?.doubleValue ?? 0, JSONValue.object(record).serialized(),
      ])
    }
  }

  private static func nonEmpty(_ value: JSONValue?) -> String? {
    guard let text = value?.stringValue, !text.isEmpty else { return nil }
    return text
  }
}
