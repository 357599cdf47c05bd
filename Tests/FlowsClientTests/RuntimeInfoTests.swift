import Flows
import Foundation
import Testing

@testable import FlowsClient

/// Runtime file fields, timestamps in every runtime's spelling, and the project root rule.
@Suite("Runtime info")
struct RuntimeInfoTests {
  static let utc = TimeZone(secondsFromGMT: 0) ?? .current

  func date(_ text: String, zone: TimeZone = RuntimeInfoTests.utc) -> Date? {
    RuntimeTimestamp.parse(text, localTimeZone: zone)
  }

  @Test func timestampsOfEveryRuntimeAreRead() throws {
    let base = try #require(date("2026-08-21T15:13:32Z"))
    #expect(base.timeIntervalSince1970 == 1_787_325_212)
    #expect(date("2026-08-21T15:13:32.123Z") == base.addingTimeInterval(0.123))
    #expect(date("2026-08-21T15_13_32.5Z") == base.addingTimeInterval(0.5))
    #expect(date("2026-08-21T17:13:32+02:00") == base)
    #expect(date("2026-08-21T10:13:32-0500") == base)
    #expect(date("2026-08-21 15:13:32") == base)
    let python = try #require(date("2026-08-21T15:13:32.918535"))
    #expect(abs(python.timeIntervalSince(base) - 0.918535) < 1e-6)
    let berlin = try #require(TimeZone(secondsFromGMT: 7200))
    #expect(date("2026-08-21T17:13:32", zone: berlin) == base)
    for bad in [
      "", "yesterday", "2026-08-21", "2026-08-21T15:13", "2026-13-01T00:00:00Z", "2026-08-21T15:13:32.Z",
      "2026-08-21T15:13:32Zjunk",
    ] {
      #expect(date(bad) == nil, "\(bad)")
    }
  }

  @Test func decodingIsTolerantAndEncodingLeavesOutTheFile() throws {
    let text =
      #"{"id":"1-2","pid":12345.0,"name":"menu","reflectionServerUrl":"http://localhost:3100","timestamp":"2026-08-21T15:13:32.123Z","reflectionApiSpecVersion":null,"extra":true}"#
    var info = try JSONDecoder().decode(RuntimeInfo.self, from: Data(text.utf8))
    #expect(info.pid == 12345)
    #expect(info.name == "menu")
    #expect(info.genkitVersion == nil)
    #expect(info.reflectionApiSpecVersion == nil)
    #expect(info.date == RuntimeTimestamp.parse("2026-08-21T15:13:32.123Z"))
    info.fileURL = URL(fileURLWithPath: "/tmp/x.json")
    let encoded = try JSONValue(parsing: Array(try JSONEncoder().encode(info)))
    #expect(encoded["fileURL"] == nil)
    #expect(encoded["pid"] == 12345)
    var decoded = try JSONDecoder().decode(RuntimeInfo.self, from: try JSONEncoder().encode(info))
    decoded.fileURL = info.fileURL
    #expect(decoded == info)
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(
        RuntimeInfo.self, from: Data(#"{"id":"1","pid":1.5,"reflectionServerUrl":"u","timestamp":"t"}"#.utf8))
    }
  }

  @Test func theProjectRootFollowsTheGenkitCLI() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("flowscope-root-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: base) }
    let nested = base.appendingPathComponent("app/Sources/Deep").path
    try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: true)
    #expect(GenkitProjectRoot.find(from: nested) == nested)
    _ = FileManager.default.createFile(atPath: base.appendingPathComponent("pyproject.toml").path, contents: Data())
    #expect(GenkitProjectRoot.find(from: nested) == base.standardizedFileURL.path)
    _ = FileManager.default.createFile(atPath: base.appendingPathComponent("app/Package.swift").path, contents: Data())
    #expect(GenkitProjectRoot.find(from: nested) == base.standardizedFileURL.path + "/app")
  }
}
