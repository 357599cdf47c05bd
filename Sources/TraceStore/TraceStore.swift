import Flows
import Foundation
import GRDB

/// Durable Genkit traces in a SQLite database (WAL mode, via GRDB).
///
/// Spans are stored as Genkit `SpanData` JSON; a `traces` table kept up to date on every write
/// answers list queries without reading spans. Any number of threads, tasks or processes may read
/// and write the same file: writes are serialized by SQLite, readers never block writers.
///
/// ```swift
/// let store = try TraceStore(path: TraceStore.defaultPath())
/// try store.upsert(spans)
/// let page = try store.listTraces(TraceQuery(flowName: "menuFlow", status: .error))
/// ```
public final class TraceStore: Sendable {
  /// The database file.
  public let path: String
  let pool: DatabasePool

  /// Opens the database at `path`, creating it (and its parent directories) if needed and
  /// bringing its schema up to date.
  ///
  /// - Throws: `TraceStoreError` when the location is not writable, the file is not a Flowscope
  ///   trace database, or it was written by a newer Flowscope.
  public init(path: String) throws {
    self.path = path
    try Self.prepareLocation(path)
    var attempt = 0
    while true {
      do {
        pool = try Self.open(path)
        return
      } catch let error as DatabaseError where Self.isLockedOut(error) && attempt < Self.openAttempts {
        // Another process or task is creating the same file (switching it to WAL takes an exclusive
        // lock that SQLite's busy timeout does not wait for): try again shortly.
        attempt += 1
        usleep(UInt32(10_000 * min(attempt, 10)))
      } catch {
        throw Self.openError(error, path: path)
      }
    }
  }

  /// How many times opening is retried while another opener holds the new file's lock (~5 s in all).
  static let openAttempts = 60

  /// Opens the pool and brings the schema up to date.
  private static func open(_ path: String) throws -> DatabasePool {
    let pool = try DatabasePool(path: path, configuration: configuration)
    try checkOwnership(pool, path: path)
    try migrate(pool, path: path)
    return pool
  }

  static func isLockedOut(_ error: DatabaseError) -> Bool {
    error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
  }

  /// The default database path: `$FLOWSCOPE_DB` when set, else `<directory>/.flowscope/traces.sqlite`.
  ///
  /// - Parameters:
  ///   - directory: The project directory (the current directory by default).
  ///   - environment: Where `FLOWSCOPE_DB` is looked up (the process environment by default).
  public static func defaultPath(
    in directory: String = FileManager.default.currentDirectoryPath,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String {
    if let override = environment["FLOWSCOPE_DB"], !override.isEmpty { return override }
    return URL(fileURLWithPath: directory, isDirectory: true)
      .appendingPathComponent(".flowscope", isDirectory: true)
      .appendingPathComponent("traces.sqlite").path
  }

  static var configuration: Configuration {
    var configuration = Configuration()
    configuration.label = "Flowscope.TraceStore"
    // Several writers (tasks or processes) take turns instead of failing with SQLITE_BUSY.
    configuration.busyMode = .timeout(30)
    configuration.maximumReaderCount = 4
    configuration.prepareDatabase { db in
      // WAL + NORMAL: durable across application crashes, no fsync per transaction.
      try db.execute(sql: "PRAGMA synchronous = NORMAL")
      // A bigger page cache and fewer, larger checkpoints: ingest rewrites the same index pages
      // over and over, and each checkpoint copies (and syncs) every page changed since the last.
      try db.execute(sql: "PRAGMA cache_size = -32768")
      if !db.configuration.readonly {
        try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
        try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
      }
    }
    return configuration
  }

  // MARK: - Opening

  /// Makes sure the parent directory exists and is writable, and that `path` is not a directory.
  static func prepareLocation(_ path: String) throws {
    guard !path.isEmpty else { throw TraceStoreError.cannotOpen(path: path, reason: "the path is empty") }
    let files = FileManager.default
    var isDirectory: ObjCBool = false
    if files.fileExists(atPath: path, isDirectory: &isDirectory) {
      if isDirectory.boolValue { throw TraceStoreError.cannotOpen(path: path, reason: "it is a directory") }
      return
    }
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    // The nearest existing ancestor must be a directory (a regular file there makes the path impossible).
    var ancestor = parent
    while !files.fileExists(atPath: ancestor) {
      let up = URL(fileURLWithPath: ancestor).deletingLastPathComponent().path
      if up == ancestor || up.isEmpty { break }
      ancestor = up
    }
    if files.fileExists(atPath: ancestor, isDirectory: &isDirectory), !isDirectory.boolValue {
      throw TraceStoreError.unwritableLocation(path: path, reason: "\(ancestor) is a file, not a directory")
    }
    do {
      try files.createDirectory(atPath: parent, withIntermediateDirectories: true)
    } catch {
      throw TraceStoreError.unwritableLocation(
        path: path, reason: "cannot create directory \(parent): \(error.localizedDescription)")
    }
    if !files.isWritableFile(atPath: parent) {
      throw TraceStoreError.unwritableLocation(path: path, reason: "directory \(parent) is not writable")
    }
  }

  /// Refuses SQLite databases that hold other applications' tables.
  static func checkOwnership(_ pool: DatabasePool, path: String) throws {
    let tables = try pool.read { db in
      try String.fetchAll(
        db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    }
    let foreign = tables.filter { !TraceStoreSchema.tables.contains($0) }
    if !foreign.isEmpty, !tables.contains("grdb_migrations") {
      let listed = foreign.prefix(5).joined(separator: ", ")
      throw TraceStoreError.notADatabase(
        path: path, reason: "it is another application's SQLite database, with tables \(listed)")
    }
  }

  static func migrate(_ pool: DatabasePool, path: String) throws {
    let migrator = TraceStoreSchema.migrator
    if try pool.read({ db in try migrator.hasBeenSuperseded(db) }) {
      throw TraceStoreError.newerSchema(path: path)
    }
    // Another process creating the same new file may record the migration first; the retry then
    // finds it applied.
    var attempts = 0
    while true {
      do {
        try migrator.migrate(pool)
        return
      } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT && attempts < 3 {
        attempts += 1
      }
    }
  }

  static func openError(_ error: any Error, path: String) -> TraceStoreError {
    if let error = error as? TraceStoreError { return error }
    guard let error = error as? DatabaseError else {
      return .cannotOpen(path: path, reason: "\(error)")
    }
    let message = error.message ?? "\(error.resultCode)"
    switch error.resultCode {
    case .SQLITE_NOTADB: return .notADatabase(path: path, reason: "file is not a database")
    case .SQLITE_CORRUPT: return .notADatabase(path: path, reason: "database disk image is malformed")
    case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_FULL, .SQLITE_IOERR:
      return .unwritableLocation(path: path, reason: message)
    default: return .cannotOpen(path: path, reason: message)
    }
  }

  // MARK: - Access

  /// Runs `body` in a read transaction, mapping failures to `TraceStoreError`.
  func reading<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
    do {
      return try pool.read(body)
    } catch {
      throw failure(operation(), error)
    }
  }

  /// Runs `body` in one (immediate) write transaction, mapping failures to `TraceStoreError`.
  func writing<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
    do {
      return try pool.write(body)
    } catch {
      throw failure(operation(), error)
    }
  }

  func failure(_ operation: String, _ error: any Error) -> TraceStoreError {
    if let error = error as? TraceStoreError { return error }
    if let error = error as? DatabaseError {
      switch error.resultCode {
      case .SQLITE_NOTADB: return .notADatabase(path: path, reason: "file is not a database")
      case .SQLITE_CORRUPT: return .notADatabase(path: path, reason: "database disk image is malformed")
      default: return .operationFailed(path: path, operation: operation, reason: error.message ?? "\(error.resultCode)")
      }
    }
    return .operationFailed(path: path, operation: operation, reason: "\(error)")
  }
}
