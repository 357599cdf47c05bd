import Foundation

/// A running Genkit runtime as its runtime file (`<root>/.genkit/runtimes/*.json`) announces it:
///
/// ```json
/// {"id": "12345-3100", "pid": 12345, "name": "optional", "reflectionServerUrl": "http://127.0.0.1:3100",
///  "timestamp": "2026-08-21T15:13:32.123Z", "genkitVersion": "nodejs/1.41.0", "reflectionApiSpecVersion": 1}
/// ```
///
/// Decoding needs `id` and `reflectionServerUrl`; `RuntimeDiscovery` also requires `pid` and
/// `timestamp` of a runtime file, as the Genkit CLI does. A runtime given by its URL alone (no file)
/// has neither. `fileURL` is not part of the JSON: discovery sets it.
public struct RuntimeInfo: Codable, Sendable, Equatable {
  /// The runtime id (`<pid>-<port>` unless overridden), checked by `/api/__health?id=`.
  public var id: String
  /// The runtime's process id (nil for a runtime known only by its URL).
  public var pid: Int32?
  /// A display name, when the runtime set one.
  public var name: String?
  /// Where the reflection API is served, for example `http://127.0.0.1:3100`.
  public var reflectionServerUrl: String
  /// When the runtime started, as written (see `date`); nil for a runtime known only by its URL.
  public var timestamp: String?
  /// `nodejs/1.41.0`, `go/…`, `py/0.12.0`, `swift/0.1.0`; nil when not written.
  public var genkitVersion: String?
  /// The reflection API version the runtime speaks (1); nil when not written.
  public var reflectionApiSpecVersion: Int?
  /// The project's name: the file's `projectName`, else (after discovery) the name of the project
  /// root directory, as the Genkit CLI shows it.
  public var projectName: String?
  /// The runtime file this came from (set by `RuntimeDiscovery`; never encoded).
  public var fileURL: URL?

  /// A runtime description.
  public init(
    id: String, pid: Int32? = nil, name: String? = nil, reflectionServerUrl: String, timestamp: String? = nil,
    genkitVersion: String? = nil, reflectionApiSpecVersion: Int? = nil, projectName: String? = nil,
    fileURL: URL? = nil
  ) {
    self.id = id
    self.pid = pid
    self.name = name
    self.reflectionServerUrl = reflectionServerUrl
    self.timestamp = timestamp
    self.genkitVersion = genkitVersion
    self.reflectionApiSpecVersion = reflectionApiSpecVersion
    self.projectName = projectName
    self.fileURL = fileURL
  }

  /// `timestamp` as a date: UTC for JS/Go/Swift timestamps, local time for Genkit Python's (which
  /// carry no zone); nil when it cannot be read.
  public var date: Date? { timestamp.flatMap { RuntimeTimestamp.parse($0) } }

  private enum CodingKeys: String, CodingKey {
    case id, pid, name, reflectionServerUrl, timestamp, genkitVersion, reflectionApiSpecVersion, projectName
  }

  /// Decodes a runtime file; a `pid` or spec version written as a whole floating-point number is
  /// accepted, and a Go-style `_`-for-`:` timestamp is kept as written.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    id = try container.decode(String.self, forKey: .id)
    pid = try Self.decodeIntegerIfPresent(container, .pid)
    name = try container.decodeIfPresent(String.self, forKey: .name)
    reflectionServerUrl = try container.decode(String.self, forKey: .reflectionServerUrl)
    timestamp = try container.decodeIfPresent(String.self, forKey: .timestamp)
    genkitVersion = try? container.decodeIfPresent(String.self, forKey: .genkitVersion)
    reflectionApiSpecVersion = try? Self.decodeIntegerIfPresent(container, .reflectionApiSpecVersion)
    projectName = try? container.decodeIfPresent(String.self, forKey: .projectName)
    fileURL = nil
  }

  /// Encodes the runtime file's fields (not `fileURL`).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(id, forKey: .id)
    try container.encodeIfPresent(pid, forKey: .pid)
    try container.encodeIfPresent(name, forKey: .name)
    try container.encode(reflectionServerUrl, forKey: .reflectionServerUrl)
    try container.encodeIfPresent(timestamp, forKey: .timestamp)
    try container.encodeIfPresent(genkitVersion, forKey: .genkitVersion)
    try container.encodeIfPresent(reflectionApiSpecVersion, forKey: .reflectionApiSpecVersion)
    try container.encodeIfPresent(projectName, forKey: .projectName)
  }

  private static func decodeInteger<T: FixedWidthInteger & Decodable>(
    _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
  ) throws -> T {
    if let value = try? container.decode(T.self, forKey: key) { return value }
    let number = try container.decode(Double.self, forKey: key)
    guard number.rounded() == number, let value = T(exactly: number) else {
      throw DecodingError.dataCorruptedError(
        forKey: key, in: container, debugDescription: "\(key.stringValue) must be an integer, got \(number)")
    }
    return value
  }

  private static func decodeIntegerIfPresent<T: FixedWidthInteger & Decodable>(
    _ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys
  ) throws -> T? {
    guard container.contains(key), !(try container.decodeNil(forKey: key)) else { return nil }
    return try decodeInteger(container, key)
  }
}
