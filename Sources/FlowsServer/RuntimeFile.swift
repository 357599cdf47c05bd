import Flows
import Foundation

/// A runtime registration file, `<projectRoot>/.genkit/runtimes/<pid>-<port>-<epochMs>.json`, which
/// the Genkit CLI (and Flowscope's debugger) watch to discover running runtimes:
///
/// ```json
/// {"id": "12345-3100", "pid": 12345, "name": "optional", "reflectionServerUrl": "http://127.0.0.1:3100",
///  "timestamp": "2026-08-21T15:13:32.123Z", "genkitVersion": "swift/0.1.0", "reflectionApiSpecVersion": 1}
/// ```
public struct RuntimeFile: Sendable, Equatable {
  /// The runtime id (`<pid>-<port>` unless overridden), checked by `/api/__health?id=`.
  public var id: String
  /// The process id; only this process removes the file.
  public var pid: Int32
  /// A display name for tooling.
  public var name: String?
  /// Where the reflection API is served.
  public var reflectionServerUrl: String
  /// ISO 8601 with milliseconds, UTC; the newest runtime is the CLI's current one.
  public var timestamp: String
  /// `swift/<version>`.
  public var genkitVersion: String
  /// The reflection API spec version (1).
  public var reflectionApiSpecVersion: Int

  /// A registration for this process.
  public init(
    id: String, pid: Int32 = ProcessInfo.processInfo.processIdentifier, name: String? = nil,
    reflectionServerUrl: String, date: Date = Date(), genkitVersion: String = ReflectionVersion.genkitVersion,
    reflectionApiSpecVersion: Int = ReflectionVersion.apiSpecVersion
  ) {
    self.id = id
    self.pid = pid
    self.name = name
    self.reflectionServerUrl = reflectionServerUrl
    self.timestamp = Self.timestamp(date)
    self.genkitVersion = genkitVersion
    self.reflectionApiSpecVersion = reflectionApiSpecVersion
  }

  /// Reads a registration; the fields the Genkit CLI requires must be there.
  public init(json: JSONValue) throws {
    guard let id = json["id"]?.stringValue, let pid = json["pid"]?.int64Value,
      let url = json["reflectionServerUrl"]?.stringValue, let timestamp = json["timestamp"]?.stringValue
    else {
      throw RuntimeFileError(description: "runtime file needs id, pid, reflectionServerUrl and timestamp")
    }
    self.id = id
    self.pid = Int32(truncatingIfNeeded: pid)
    self.name = json["name"]?.stringValue
    self.reflectionServerUrl = url
    self.timestamp = timestamp
    self.genkitVersion = json["genkitVersion"]?.stringValue ?? ""
    self.reflectionApiSpecVersion = json["reflectionApiSpecVersion"]?.int64Value.map { Int($0) } ?? 1
  }

  /// The file's JSON, in Genkit's field order.
  public var json: JSONValue {
    var object: JSONObject = ["id": .string(id), "pid": .integer(Int64(pid))]
    if let name { object["name"] = .string(name) }
    object["reflectionServerUrl"] = .string(reflectionServerUrl)
    object["timestamp"] = .string(timestamp)
    object["genkitVersion"] = .string(genkitVersion)
    object["reflectionApiSpecVersion"] = .integer(Int64(reflectionApiSpecVersion))
    return .object(object)
  }

  /// `<projectRoot>/.genkit/runtimes`.
  public static func directory(projectRoot: String) -> String {
    URL(fileURLWithPath: projectRoot, isDirectory: true).appendingPathComponent(".genkit/runtimes", isDirectory: true)
      .path
  }

  /// `<pid>-<port>-<epochMs>.json`, Genkit JS's file name.
  public static func fileName(pid: Int32, port: Int, date: Date) -> String {
    "\(pid)-\(port)-\(Int64((date.timeIntervalSince1970 * 1000).rounded(.down))).json"
  }

  /// Writes the file (mode 0600, via a temporary file renamed into place so watchers never see
  /// half a file) and returns its path.
  public func write(projectRoot: String, port: Int, date: Date = Date()) throws -> String {
    let directory = Self.directory(projectRoot: projectRoot)
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = (directory as NSString).appendingPathComponent(Self.fileName(pid: pid, port: port, date: date))
    let temporary = (directory as NSString).appendingPathComponent(".\(pid)-\(port).tmp")
    let data = Data(json.serialized(.prettyPrinted).utf8)
    guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
    else {
      throw RuntimeFileError(description: "cannot write \(temporary)")
    }
    if rename(temporary, path) != 0 {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(atPath: temporary)
      throw RuntimeFileError(description: "cannot create \(path): \(reason)")
    }
    return path
  }

  /// Deletes the file at `path` if it is this process's registration (its `pid` is `pid`), as
  /// Genkit does on shutdown. Returns whether it was removed.
  @discardableResult
  public static func remove(at path: String, ifOwnedBy pid: Int32 = ProcessInfo.processInfo.processIdentifier)
    -> Bool
  {
    guard let data = FileManager.default.contents(atPath: path),
      let file = try? RuntimeFile(json: JSONValue(parsing: data)), file.pid == pid
    else { return false }
    return (try? FileManager.default.removeItem(atPath: path)) != nil
  }

  /// `2026-08-21T15:13:32.123Z`.
  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }
}

/// A runtime file that cannot be read or written.
public struct RuntimeFileError: Error, Sendable, CustomStringConvertible {
  /// What went wrong.
  public var description: String
}
