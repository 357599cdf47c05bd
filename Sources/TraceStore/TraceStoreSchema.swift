import GRDB

/// The trace database schema and its migrations.
///
/// ```text
/// traces  one row per trace, maintained on every write so lists never read span JSON
///   (WITHOUT ROWID: one b-tree fewer to update per write)
///   trace_id        TEXT PRIMARY KEY   32 hex chars (any string from imports)
///   name            TEXT               root span displayName; before the root arrives, the root
///                                      name taken from another span's genkit:path, else its name
///   start_time      REAL               ms epoch: the root's start, else the earliest span seen
///   end_time        REAL               ms epoch: the root's end; 0 while running
///   status          TEXT               'running' | 'ok' | 'error' (of the root; 'running' without one)
///   error_message   TEXT               the root's error message, if it failed
///   root_span_id    TEXT               NULL until a root span arrives
///   input_preview   TEXT               the root's genkit:input, cut to a preview
///   output_preview  TEXT               the root's genkit:output, cut to a preview
///   labels          TEXT               the root's genkitx:* attributes as a JSON object, or NULL
///   span_count      INTEGER            spans stored for the trace
///   indexes: (start_time, trace_id), (name, start_time, trace_id), (status, start_time, trace_id)
///            -- one per list order/filter. Lists read them backwards (newest first) from the
///            keyset position `(start_time, trace_id) < (?, ?)`. They are ascending on purpose:
///            new traces then append at the end of each b-tree, which SQLite does cheaply, where
///            a DESC index would insert at its front (measurably slower on ingest).
///
/// spans   one row per span; the full Genkit SpanData as JSON, plus the columns queries need
///   PRIMARY KEY (trace_id, span_id)    span ids are only unique within a trace
///   parent_span_id  TEXT, start_time REAL, end_time REAL (0 = running), name TEXT,
///   state TEXT ('running' | 'ok' | 'error'), is_root INTEGER (no parent, or genkit:isRoot),
///   json TEXT (SpanData.json, compact)
///
/// chunk_blocks  recorded stream chunks, in blocks (schema v2; v1 had one `chunks` row per chunk)
///   id INTEGER PRIMARY KEY             write order (a later copy of a chunk wins on reads)
///   trace_id TEXT, span_id TEXT        the span whose stream it is; indexed by trace_id
///   first_seq INTEGER, chunk_count INTEGER
///   meta BLOB                          per chunk: index (Int64) and time (ms, Float64), little endian
///   json TEXT                          the chunk values as one JSON array
///
/// logs    log records (schema v3), as Genkit's telemetry server keeps them (`LogRecordData`)
///   id INTEGER PRIMARY KEY             arrival order
///   log_id TEXT UNIQUE                 the record's `logId` (a UUID when it came without one)
///   trace_id TEXT, span_id TEXT        the span the record was logged in, if any
///   timestamp REAL                     ms epoch
///   json TEXT                          the whole record
///   indexes: (timestamp, id) for the newest-first list; (trace_id, span_id, timestamp, id) per trace
/// ```
///
/// Spans, chunks and logs have no foreign keys (no per-row checks on the ingest path); deleting
/// a trace deletes its rows from every table explicitly.
enum TraceStoreSchema {
  /// Table names this module creates; a database holding other tables is not ours.
  static let tables: Set<String> = ["traces", "spans", "chunks", "chunk_blocks", "logs", "grdb_migrations"]

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      // IF NOT EXISTS: two processes opening a new file at once may both run this migration.
      try db.execute(
        sql: """
          CREATE TABLE IF NOT EXISTS traces (
            trace_id TEXT NOT NULL PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            start_time REAL NOT NULL DEFAULT 0,
            end_time REAL NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'running',
            error_message TEXT,
            root_span_id TEXT,
            input_preview TEXT,
            output_preview TEXT,
            labels TEXT,
            span_count INTEGER NOT NULL DEFAULT 0
          ) WITHOUT ROWID;
          CREATE INDEX IF NOT EXISTS traces_by_start ON traces (start_time, trace_id);
          CREATE INDEX IF NOT EXISTS traces_by_name ON traces (name, start_time, trace_id);
          CREATE INDEX IF NOT EXISTS traces_by_status ON traces (status, start_time, trace_id);
          CREATE TABLE IF NOT EXISTS spans (
            trace_id TEXT NOT NULL,
            span_id TEXT NOT NULL,
            parent_span_id TEXT,
            start_time REAL NOT NULL,
            end_time REAL NOT NULL,
            name TEXT NOT NULL,
            state TEXT NOT NULL,
            is_root INTEGER NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (trace_id, span_id)
          );
          CREATE TABLE IF NOT EXISTS chunks (
            trace_id TEXT NOT NULL,
            span_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            time REAL NOT NULL,
            json TEXT NOT NULL,
            PRIMARY KEY (trace_id, span_id, seq)
          );
          """)
    }
    migrator.registerMigration("v2-chunk-blocks") { db in
      try db.execute(
        sql: """
          CREATE TABLE IF NOT EXISTS chunk_blocks (
            id INTEGER PRIMARY KEY,
            trace_id TEXT NOT NULL,
            span_id TEXT NOT NULL,
            first_seq INTEGER NOT NULL,
            chunk_count INTEGER NOT NULL,
            meta BLOB NOT NULL,
            json TEXT NOT NULL
          );
          CREATE INDEX IF NOT EXISTS chunk_blocks_by_trace ON chunk_blocks (trace_id);
          """)
      try moveChunkRows(in: db)
    }
    migrator.registerMigration("v3-logs") { db in
      try db.execute(
        sql: """
          CREATE TABLE IF NOT EXISTS logs (
            id INTEGER PRIMARY KEY,
            log_id TEXT NOT NULL UNIQUE,
            trace_id TEXT,
            span_id TEXT,
            timestamp REAL NOT NULL,
            json TEXT NOT NULL
          );
          CREATE INDEX IF NOT EXISTS logs_by_time ON logs (timestamp, id);
          CREATE INDEX IF NOT EXISTS logs_by_trace ON logs (trace_id, span_id, timestamp, id);
          """)
    }
    return migrator
  }

  /// Moves v1's one-row-per-chunk table into blocks (a span's chunks by index), then drops it.
  static func moveChunkRows(in db: Database) throws {
    guard try db.tableExists("chunks") else { return }
    var blocks = ChunkBlockBuilder<[String]>()
    let rows = try Row.fetchCursor(
      db, sql: "SELECT trace_id, span_id, seq, time, json FROM chunks ORDER BY trace_id, span_id, seq")
    while let row = try rows.next() {
      let traceId: String = row[0]
      let spanId: String = row[1]
      let json: String = row[4]
      blocks.add([traceId, spanId], ids: { (traceId, spanId) }, index: row[2], time: row[3]) { bytes in
        bytes.append(contentsOf: json.utf8)
      }
    }
    try TraceWrites.insert(blocks.blocks, in: db)
    try db.execute(sql: "DROP TABLE chunks")
  }
}
