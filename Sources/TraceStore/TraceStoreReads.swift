import Flows
import Foundation
import GRDB

extension TraceStore {
  /// The trace with all its stored spans (trace-level fields taken from the root), or nil when no
  /// span of it is stored.
  public func trace(id: String) throws -> TraceData? {
    try reading("reading trace \(id)") { db in try TraceReads.trace(id, in: db) }
  }

  /// The summary row of one trace, or nil when it is not stored.
  public func summary(traceId: String) throws -> TraceSummary? {
    try reading("reading trace \(traceId)") { db in
      let statement = try db.cachedStatement(sql: "SELECT \(TraceReads.summaryColumns) FROM traces WHERE trace_id = ?")
      return try Row.fetchOne(statement, arguments: [traceId]).map(TraceReads.summary)
    }
  }

  /// One page of traces, newest first (by start time, then trace id), filtered by `query`.
  ///
  /// Paging is keyset-based: the continuation token holds the position of the page's last trace,
  /// so the next page starts right after it even if traces were added or removed in between.
  public func listTraces(_ query: TraceQuery = TraceQuery()) throws -> TracePage {
    let cursor = try query.continuationToken.map { try TraceCursor(token: $0) }
    let limit = min(max(query.limit, 1), 10_000)
    var conditions: [String] = []
    var arguments = StatementArguments()
    if let flowName = query.flowName {
      conditions.append("name = ?")
      arguments += [flowName]
    }
    if let status = query.status {
      conditions.append("status = ?")
      arguments += [status.rawValue]
    }
    if let cursor {
      conditions.append("(start_time, trace_id) < (?, ?)")
      arguments += [cursor.startTime, cursor.traceId]
    }
    arguments += [limit + 1]
    let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    let sql = """
      SELECT \(TraceReads.summaryColumns) FROM traces \(filter)
      ORDER BY start_time DESC, trace_id DESC LIMIT ?
      """
    var summaries = try reading("listing traces") { db in
      try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(TraceReads.summary)
    }
    var token: String?
    if summaries.count > limit {
      summaries.removeLast(summaries.count - limit)
      if let last = summaries.last { token = TraceCursor(startTime: last.startTime, traceId: last.traceId).token }
    }
    return TracePage(traces: summaries, continuationToken: token)
  }

  /// How many traces are stored.
  public func traceCount() throws -> Int {
    try reading("counting traces") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM traces") ?? 0 }
  }

  /// How many spans are stored, over all traces.
  public func spanCount() throws -> Int {
    try reading("counting spans") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM spans") ?? 0 }
  }

  /// The trace's recorded stream chunks, by index (then time and span). When a chunk (same span and
  /// index) was stored more than once, the last copy written is the one returned.
  public func chunks(traceId: String) throws -> [StoredChunk] {
    try reading("reading chunks of \(traceId)") { db in
      let statement = try db.cachedStatement(
        sql: "SELECT span_id, meta, json FROM chunk_blocks WHERE trace_id = ? ORDER BY id")
      var latest: [ChunkPosition: StoredChunk] = [:]
      for row in try Row.fetchAll(statement, arguments: [traceId]) {
        let spanId = try row.decode(String.self, atIndex: 0)
        let meta = try row.decode(Data.self, atIndex: 1)
        let json = try row.decode(String.self, atIndex: 2)
        for chunk in ChunkBlock.chunks(traceId: traceId, spanId: spanId, meta: [UInt8](meta), json: json) {
          latest[ChunkPosition(spanId: chunk.spanId, index: chunk.index)] = chunk
        }
      }
      return latest.values.sorted { a, b in
        (a.index, a.time, a.spanId) < (b.index, b.time, b.spanId)
      }
    }
  }

  private struct ChunkPosition: Hashable {
    var spanId: String
    var index: Int
  }
}

/// Reading rows back into Genkit and summary values.
enum TraceReads {
  static let summaryColumns = """
    trace_id, name, start_time, end_time, status, error_message, root_span_id, input_preview, output_preview, \
    span_count, labels
    """

  static func summary(_ row: Row) throws -> TraceSummary {
    var labels: [String: String] = [:]
    if let text = try row.decode(String?.self, atIndex: 10), let object = (try? JSONValue(parsing: text))?.objectValue {
      for (key, value) in object.entries { labels[key] = value.stringValue ?? value.serialized() }
    }
    return TraceSummary(
      traceId: try row.decode(String.self, atIndex: 0),
      name: try row.decode(String.self, atIndex: 1),
      startTime: try row.decode(Double.self, atIndex: 2),
      endTime: try row.decode(Double.self, atIndex: 3),
      status: TraceStatus(rawValue: try row.decode(String.self, atIndex: 4)) ?? .running,
      errorMessage: try row.decode(String?.self, atIndex: 5),
      rootSpanId: try row.decode(String?.self, atIndex: 6),
      inputPreview: try row.decode(String?.self, atIndex: 7),
      outputPreview: try row.decode(String?.self, atIndex: 8),
      spanCount: try row.decode(Int.self, atIndex: 9),
      labels: labels)
  }

  static func trace(_ traceId: String, in db: Database) throws -> TraceData? {
    let statement = try db.cachedStatement(sql: "SELECT span_id, json FROM spans WHERE trace_id = ?")
    var spans: [SpanData] = []
    let rows = try Row.fetchCursor(statement, arguments: [traceId])
    while let row = try rows.next() {
      let text = try row.decode(String.self, atIndex: 1)
      do {
        spans.append(try SpanData(json: JSONValue(parsing: text)))
      } catch {
        let spanId = (try? row.decode(String.self, atIndex: 0)) ?? "?"
        throw UnreadableRecord(description: "span \(spanId) of trace \(traceId) has unreadable JSON: \(error)")
      }
    }
    return spans.isEmpty ? nil : TraceData(traceId: traceId, spans: spans)
  }
}

/// A stored row that cannot be read back (reported as `TraceStoreError.operationFailed`).
struct UnreadableRecord: Error, CustomStringConvertible {
  var description: String
}
