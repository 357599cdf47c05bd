/// Why a trace store operation failed. Every message names the database path (when there is one)
/// and says what to do about it, so the CLI can print it as is.
public enum TraceStoreError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file exists but is not a Flowscope trace database (random bytes, a corrupt file, or
  /// another application's SQLite database).
  case notADatabase(path: String, reason: String)
  /// The database file or its directory cannot be created or written.
  case unwritableLocation(path: String, reason: String)
  /// The database exists but cannot be opened for another reason (e.g. the path is a directory).
  case cannotOpen(path: String, reason: String)
  /// The database was written by a newer Flowscope whose schema this version does not know.
  case newerSchema(path: String)
  /// A read or write failed after the database was opened.
  case operationFailed(path: String, operation: String, reason: String)
  /// A list continuation token that this store did not produce.
  case invalidContinuationToken(String)
  /// Imported JSON that is not Genkit trace data.
  case invalidImport(String)

  /// The database path the error is about, if any.
  public var path: String? {
    switch self {
    case .notADatabase(let path, _), .unwritableLocation(let path, _), .cannotOpen(let path, _),
      .newerSchema(let path), .operationFailed(let path, _, _):
      return path
    case .invalidContinuationToken, .invalidImport:
      return nil
    }
  }

  /// A one-line explanation naming the path and the way out.
  public var description: String {
    switch self {
    case .notADatabase(let path, let reason):
      return "\(path) is not a Flowscope trace database (\(reason)); move it aside or choose another path with --db"
    case .unwritableLocation(let path, let reason):
      return
        "cannot create the trace database at \(path) (\(reason)); make the location writable or choose another path with --db"
    case .cannotOpen(let path, let reason):
      return "cannot open the trace database at \(path) (\(reason)); choose another path with --db"
    case .newerSchema(let path):
      return
        "\(path) was written by a newer version of Flowscope; upgrade Flowscope or choose another path with --db"
    case .operationFailed(let path, let operation, let reason):
      return "trace database \(path): \(operation) failed (\(reason))"
    case .invalidContinuationToken(let token):
      return "invalid continuation token '\(token)'; start again from the first page"
    case .invalidImport(let reason):
      return
        "cannot import traces: \(reason); expected a Genkit TraceData object, an array of them, or {\"traces\": [...]}"
    }
  }
}
