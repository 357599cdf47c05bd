import GRDB

#if canImport(GRDBSQLite)
  import GRDBSQLite
#elseif canImport(SQLite3)
  import SQLite3
#endif

/// A cached GRDB statement driven through the SQLite C API, for the ingest path's per-row
/// statements: no `StatementArguments` boxing, and no per-value copies — the row's text values
/// are laid out back to back in one reusable buffer and bound in place while the row runs.
///
/// Only used inside a GRDB write transaction on the statement's own connection. A failed step
/// throws a `DatabaseError` (GRDB then rolls the transaction back). Bindings are cleared after
/// every step, so nothing ever points at the buffer once `step()` returns.
struct SQLiteRow {
  private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

  private struct TextSlot {
    var index: Int32
    var start: Int
    var count: Int
  }

  private let handle: SQLiteStatement
  private let connection: SQLiteConnection
  /// For error messages only (reading its SQL text costs a conversion of the whole statement).
  private let statement: Statement
  private var text: [UInt8] = []
  private var slots: [TextSlot] = []

  init(_ statement: Statement, in db: Database) throws {
    guard let connection = db.sqliteConnection else {
      throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "the database connection is closed")
    }
    self.handle = statement.sqliteStatement
    self.connection = connection
    self.statement = statement
    text.reserveCapacity(4096)
    slots.reserveCapacity(16)
  }

  /// Starts a new row of bindings.
  mutating func begin() {
    sqlite3_reset(handle)
    text.removeAll(keepingCapacity: true)
    slots.removeAll(keepingCapacity: true)
  }

  mutating func bind(_ index: Int32, _ value: String) {
    let start = text.count
    var value = value
    value.withUTF8 { text.append(contentsOf: $0) }
    slots.append(TextSlot(index: index, start: start, count: text.count - start))
  }

  mutating func bind(_ index: Int32, _ value: String?) {
    if let value { bind(index, value) } else { sqlite3_bind_null(handle, index) }
  }

  /// Binds the UTF-8 text that `write` appends to the buffer it is given.
  mutating func bindText(_ index: Int32, writing write: (inout [UInt8]) -> Void) {
    let start = text.count
    write(&text)
    slots.append(TextSlot(index: index, start: start, count: text.count - start))
  }

  /// Binds a blob (SQLite copies it now).
  func bindBlob(_ index: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { buffer in
      if let base = buffer.baseAddress {
        _ = sqlite3_bind_blob(handle, index, base, Int32(buffer.count), Self.transient)
      } else {
        _ = sqlite3_bind_zeroblob(handle, index, 0)
      }
    }
  }

  func bind(_ index: Int32, _ value: Double) {
    sqlite3_bind_double(handle, index, value)
  }

  func bind(_ index: Int32, _ value: Int) {
    sqlite3_bind_int64(handle, index, Int64(value))
  }

  /// Runs the statement with the values bound since `begin()`; returns how many rows it changed.
  @discardableResult
  mutating func step() throws -> Int {
    let code: Int32 = text.withUnsafeBufferPointer { buffer in
      for slot in slots {
        if slot.count > 0, let base = buffer.baseAddress {
          (base + slot.start).withMemoryRebound(to: CChar.self, capacity: slot.count) { pointer in
            // SQLITE_STATIC (nil): SQLite reads the text in place until the bindings are cleared.
            _ = sqlite3_bind_text(handle, slot.index, pointer, Int32(slot.count), nil)
          }
        } else {
          // Never a NULL pointer, which would bind NULL instead of an empty string.
          _ = sqlite3_bind_text(handle, slot.index, "", 0, Self.transient)
        }
      }
      let code = sqlite3_step(handle)
      sqlite3_clear_bindings(handle)
      return code
    }
    guard code == SQLITE_DONE else {
      let message = String(cString: sqlite3_errmsg(connection))
      sqlite3_reset(handle)
      throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
    let changes = Int(sqlite3_changes(connection))
    sqlite3_reset(handle)
    return changes
  }
}
