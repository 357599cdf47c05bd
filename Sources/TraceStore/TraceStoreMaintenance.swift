import GRDB

extension TraceStore {
  /// Deletes the given traces with their spans, chunks and logs, in one transaction.
  ///
  /// - Returns: How many of them were stored (and are now deleted).
  @discardableResult
  public func delete(traceIds: [String]) throws -> Int {
    guard !traceIds.isEmpty else { return 0 }
    return try writing("deleting \(traceIds.count) traces") { db in
      let spans = try db.cachedStatement(sql: "DELETE FROM spans WHERE trace_id = ?")
      let chunks = try db.cachedStatement(sql: "DELETE FROM chunk_blocks WHERE trace_id = ?")
      let logs = try db.cachedStatement(sql: "DELETE FROM logs WHERE trace_id = ?")
      let traces = try db.cachedStatement(sql: "DELETE FROM traces WHERE trace_id = ?")
      var deleted = 0
      for traceId in Set(traceIds) {
        try spans.execute(arguments: [traceId])
        try chunks.execute(arguments: [traceId])
        try logs.execute(arguments: [traceId])
        try traces.execute(arguments: [traceId])
        deleted += db.changesCount
      }
      return deleted
    }
  }

  /// Keeps the `count` newest traces (by start time, then trace id) and deletes the older ones with
  /// their spans, chunks and logs, in one transaction. Chunks of traces that are not stored go too
  /// (logs stay: a runtime may send a trace's logs before its spans).
  ///
  /// - Returns: How many traces were deleted.
  @discardableResult
  public func retain(newest count: Int) throws -> Int {
    try writing("keeping the newest \(count) traces") { db in
      let older: String
      var arguments = StatementArguments()
      if count > 0 {
        let boundary = try Row.fetchOne(
          db, sql: "SELECT start_time, trace_id FROM traces ORDER BY start_time DESC, trace_id DESC LIMIT 1 OFFSET ?",
          arguments: [count - 1])
        guard let boundary else {
          try db.execute(sql: "DELETE FROM chunk_blocks WHERE trace_id NOT IN (SELECT trace_id FROM traces)")
          return 0
        }
        older = "(start_time, trace_id) < (?, ?)"
        arguments = [try boundary.decode(Double.self, atIndex: 0), try boundary.decode(String.self, atIndex: 1)]
      } else {
        older = "1"
      }
      try db.execute(
        sql: "DELETE FROM spans WHERE trace_id IN (SELECT trace_id FROM traces WHERE \(older))", arguments: arguments)
      try db.execute(
        sql: "DELETE FROM logs WHERE trace_id IN (SELECT trace_id FROM traces WHERE \(older))", arguments: arguments)
      try db.execute(sql: "DELETE FROM traces WHERE \(older)", arguments: arguments)
      let deleted = db.changesCount
      try db.execute(sql: "DELETE FROM chunk_blocks WHERE trace_id NOT IN (SELECT trace_id FROM traces)")
      return deleted
    }
  }
}
