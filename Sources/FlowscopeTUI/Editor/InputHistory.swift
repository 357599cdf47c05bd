import Flows
import Foundation

/// Why the input history could not be read or written. The description is meant for the status line.
public struct InputHistoryError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: Hashable, Sendable {
    /// The file exists but could not be read.
    case unreadable
    /// The file is not a JSON object of strings.
    case corrupt
    /// The file could not be written.
    case unwritable
  }

  /// What went wrong.
  public var kind: Kind
  /// The history file's path.
  public var path: String
  /// The underlying reason.
  public var reason: String

  /// An error of `kind` for the file at `path`.
  public init(kind: Kind, path: String, reason: String) {
    self.kind = kind
    self.path = path
    self.reason = reason
  }

  public var description: String {
    switch kind {
    case .unreadable: return "cannot read input history \(path): \(reason)"
    case .corrupt: return "input history \(path) is corrupt (\(reason)); it will be replaced on the next save"
    case .unwritable: return "cannot save input history \(path): \(reason)"
    }
  }
}

/// The last input text of each flow, kept in a JSON file (`{"flowName": "text", …}`) across restarts.
///
/// Reading never discards what was recorded in this session: `load()` merges the file under the
/// in-memory entries, and on an error leaves them untouched. `save()` writes atomically (a temporary
/// file in the same directory, then a rename), creating the directory when needed.
public struct InputHistory: Sendable, Equatable {
  /// Where the history is stored.
  public let fileURL: URL
  /// The remembered inputs by flow name.
  public private(set) var entries: [String: String] = [:]

  /// A history stored at `fileURL` (nothing is read until `load()`).
  public init(fileURL: URL) {
    self.fileURL = fileURL
  }

  /// Reads the file; a missing or empty file is an empty history. Entries recorded in this session win over
  /// the file's. Throws `InputHistoryError` (`.unreadable` or `.corrupt`) and keeps the current
  /// entries when the file cannot be used.
  public mutating func load() throws {
    let data: Data
    do {
      data = try Data(contentsOf: fileURL)
    } catch {
      if !FileManager.default.fileExists(atPath: fileURL.path) { return }
      throw InputHistoryError(kind: .unreadable, path: fileURL.path, reason: Self.reason(error))
    }
    guard !data.isEmpty else { return }
    let stored = try Self.decode(data, path: fileURL.path)
    entries = stored.merging(entries) { _, session in session }
  }

  /// The last input recorded for `flow`.
  public func input(for flow: String) -> String? {
    entries[flow]
  }

  /// Remembers `text` as the last input of `flow` (in memory; call `save()` to persist).
  public mutating func record(_ text: String, for flow: String) {
    entries[flow] = text
  }

  /// Writes the history atomically, creating the directory if missing. Throws `InputHistoryError`
  /// (`.unwritable`); the previous file is then left as it was.
  public func save() throws {
    let path = fileURL.path
    let directory = fileURL.deletingLastPathComponent()
    let object = JSONObject(entries.keys.sorted().map { ($0, JSONValue.string(entries[$0] ?? "")) })
    let data = Data(JSONValue.object(object).serializedBytes(.prettyPrinted) + [UInt8(ascii: "\n")])
    let temporary = directory.appendingPathComponent(".\(fileURL.lastPathComponent).\(UUID().uuidString).tmp")
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      guard
        FileManager.default.createFile(
          atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600])
      else {
        throw InputHistoryError(kind: .unwritable, path: path, reason: "cannot create \(temporary.path)")
      }
      guard rename(temporary.path, path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw InputHistoryError(kind: .unwritable, path: path, reason: reason)
      }
    } catch let error as InputHistoryError {
      throw error
    } catch {
      throw InputHistoryError(kind: .unwritable, path: path, reason: Self.reason(error))
    }
  }

  /// The entries of a history file; string values only (others are skipped).
  static func decode(_ data: Data, path: String) throws -> [String: String] {
    let value: JSONValue
    do {
      value = try JSONValue(parsing: data)
    } catch {
      throw InputHistoryError(kind: .corrupt, path: path, reason: String(describing: error))
    }
    guard case .object(let object) = value else {
      throw InputHistoryError(kind: .corrupt, path: path, reason: "expected a JSON object, found \(value.typeName)")
    }
    var entries: [String: String] = [:]
    for (flow, text) in object.entries {
      if let text = text.stringValue { entries[flow] = text }
    }
    return entries
  }

  static func reason(_ error: any Error) -> String {
    (error as NSError).localizedDescription
  }
}
