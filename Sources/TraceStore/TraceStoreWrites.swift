import Flows
import GRDB

extension TraceStore {
  /// Stores spans in one transaction. A span replaces the stored copy unless the stored copy has
  /// ended and the new one has not (a late "start" copy never overwrites an ended span). Each
  /// touched trace's summary row is brought up to date in the same transaction; a trace whose root
  /// has not arrived yet is listed as running.
  public func upsert(_ spans: [SpanData]) throws {
    try write(spans: spans, chunks: [])
  }

  /// Stores recorded stream chunks in one transaction (a chunk with the same trace, span and index
  /// replaces the stored one).
  public func appendChunks(_ chunks: [StoredChunk]) throws {
    try write(spans: [], chunks: chunks)
  }

  /// Stores spans (with the `upsert` rule) and chunks in one transaction.
  ///
  /// A chunk's `json` is stored as given when it is valid JSON; text that is not is stored as a JSON
  /// string holding it.
  public func write(spans: [SpanData], chunks: [StoredChunk]) throws {
    var blocks = ChunkBlockBuilder<[String]>()
    for chunk in chunks {
      blocks.add(
        [chunk.traceId, chunk.spanId], ids: { (chunk.traceId, chunk.spanId) }, index: chunk.index, time: chunk.time
      ) {
        bytes in
        if (try? JSONValue(parsing: chunk.json)) != nil {
          bytes.append(contentsOf: chunk.json.utf8)
        } else {
          JSONValue.string(chunk.json).serialize(appendingTo: &bytes)
        }
      }
    }
    try write(spans: spans, blocks: blocks.blocks)
  }

  /// Stores spans, blocks of chunks and log records (with their `logId`s) in one transaction.
  func write(spans: [SpanData], blocks: [ChunkBlock], logs: [JSONObject] = []) throws {
    guard !spans.isEmpty || !blocks.isEmpty || !logs.isEmpty else { return }
    try writing("writing \(spans.count) spans, \(blocks.chunkCount) chunks and \(logs.count) log records") { db in
      try TraceWrites.upsert(spans, in: db)
      try TraceWrites.insert(blocks, in: db)
      try TraceWrites.insert(logs: logs, in: db)
    }
  }
}

/// The write path: cached statements, one row statement per span or chunk, one summary statement
/// per touched trace.
enum TraceWrites {
  static let upsertSpanSQL = """
    INSERT INTO spans (trace_id, span_id, parent_span_id, start_time, end_time, name, state, is_root, json)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (trace_id, span_id) DO UPDATE SET
      parent_span_id = excluded.parent_span_id, start_time = excluded.start_time, end_time = excluded.end_time,
      name = excluded.name, state = excluded.state, is_root = excluded.is_root, json = excluded.json
    WHERE NOT (spans.end_time > 0 AND excluded.end_time = 0)
    """

  /// A root replaces the stored summary when the trace has none yet, when it is the same root, or
  /// when it started earlier (the earliest root is the trace's root, as in `TraceData.rootSpan`).
  static let takesRoot =
    "(traces.root_span_id IS NULL OR traces.root_span_id = excluded.root_span_id OR excluded.start_time < traces.start_time)"

  static let upsertRootSQL: String = {
    let columns = [
      "name", "start_time", "end_time", "status", "error_message", "root_span_id", "input_preview",
      "output_preview", "labels",
    ]
    let updates = columns.map { "\($0) = CASE WHEN \(takesRoot) THEN excluded.\($0) ELSE traces.\($0) END" }
    return """
      INSERT INTO traces (trace_id, name, start_time, end_time, status, error_message, root_span_id,
        input_preview, output_preview, labels, span_count)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, (SELECT count(*) FROM spans WHERE trace_id = ?1))
      ON CONFLICT (trace_id) DO UPDATE SET
        span_count = excluded.span_count,
        \(updates.joined(separator: ",\n    "))
      """
  }()

  /// A trace without a root so far: listed as running, from its earliest span.
  static let upsertRootlessSQL = """
    INSERT INTO traces (trace_id, name, start_time, end_time, status, span_count)
    VALUES (?1, ?2, ?3, 0, 'running', (SELECT count(*) FROM spans WHERE trace_id = ?1))
    ON CONFLICT (trace_id) DO UPDATE SET
      span_count = excluded.span_count,
      name = CASE WHEN traces.root_span_id IS NULL AND excluded.start_time < traces.start_time
        THEN excluded.name ELSE traces.name END,
      start_time = CASE WHEN traces.root_span_id IS NULL
        THEN min(traces.start_time, excluded.start_time) ELSE traces.start_time END
    """

  static let insertChunkBlockSQL = """
    INSERT INTO chunk_blocks (trace_id, span_id, first_seq, chunk_count, meta, json) VALUES (?, ?, ?, ?, ?, ?)
    """

  /// What one batch did to one trace.
  struct Touch {
    var traceId: String
    /// Index (in the batch) of the earliest-starting span.
    var earliest: Int
    /// Index of the root span this batch stored, if any.
    var root: Int?
  }

  static func upsert(_ spans: [SpanData], in db: Database) throws {
    guard !spans.isEmpty else { return }
    var row = try SQLiteRow(db.cachedStatement(sql: upsertSpanSQL), in: db)
    var touches: [Touch] = []
    var touchIndex: [String: Int] = [:]
    for index in spans.indices {
      let span = spans[index]
      let isRoot = TraceRootSummary.isRoot(span)
      row.begin()
      row.bind(1, span.traceId)
      row.bind(2, span.spanId)
      row.bind(3, span.parentSpanId)
      row.bind(4, span.startTime)
      row.bind(5, span.endTime)
      row.bind(6, span.displayName)
      row.bind(7, TraceRootSummary.status(of: span).rawValue)
      row.bind(8, isRoot ? 1 : 0)
      row.bindText(9) { SpanJSONWriter.write(span, into: &$0) }
      let stored = try row.step() > 0

      // Spans of one trace usually come together: check the last trace before hashing.
      let position: Int
      if let last = touches.indices.last, touches[last].traceId == span.traceId {
        position = last
      } else if let known = touchIndex[span.traceId] {
        position = known
      } else {
        touches.append(Touch(traceId: span.traceId, earliest: index, root: nil))
        position = touches.count - 1
        touchIndex[span.traceId] = position
      }
      if span.startTime < spans[touches[position].earliest].startTime { touches[position].earliest = index }
      if isRoot, stored {
        // The later copy of the same root, or the earlier-starting of two different roots.
        if let current = touches[position].root, spans[current].spanId != span.spanId,
          spans[current].startTime <= span.startTime
        {
          continue
        }
        touches[position].root = index
      }
    }
    var rootRow = try SQLiteRow(db.cachedStatement(sql: upsertRootSQL), in: db)
    var rootlessRow = try SQLiteRow(db.cachedStatement(sql: upsertRootlessSQL), in: db)
    for touch in touches {
      if let rootIndex = touch.root {
        let summary = TraceRootSummary(root: spans[rootIndex])
        rootRow.begin()
        rootRow.bind(1, touch.traceId)
        rootRow.bind(2, summary.name)
        rootRow.bind(3, summary.startTime)
        rootRow.bind(4, summary.endTime)
        rootRow.bind(5, summary.status.rawValue)
        rootRow.bind(6, summary.errorMessage)
        rootRow.bind(7, spans[rootIndex].spanId)
        rootRow.bind(8, summary.inputPreview)
        rootRow.bind(9, summary.outputPreview)
        rootRow.bind(10, summary.labels)
        try rootRow.step()
      } else {
        rootlessRow.begin()
        rootlessRow.bind(1, touch.traceId)
        rootlessRow.bind(2, TraceRootSummary.impliedTraceName(spans[touch.earliest]))
        rootlessRow.bind(3, spans[touch.earliest].startTime)
        try rootlessRow.step()
      }
    }
  }

  static func insert(_ blocks: [ChunkBlock], in db: Database) throws {
    guard !blocks.isEmpty else { return }
    var row = try SQLiteRow(db.cachedStatement(sql: insertChunkBlockSQL), in: db)
    for block in blocks {
      row.begin()
      row.bind(1, block.traceId)
      row.bind(2, block.spanId)
      row.bind(3, block.firstIndex)
      row.bind(4, block.count)
      row.bindBlob(5, block.meta)
      row.bindText(6) {
        $0.append(contentsOf: block.json); $0.append(UInt8(ascii: "]"))
      }
      try row.step()
    }
  }
}
