import Flows
import Foundation
import Testing
import TraceStore

/// A temporary directory removed when the value is released.
final class TemporaryDirectory: Sendable {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("tracestore-tests-\(UUID().uuidString)", isDirectory: true).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A fresh store in a temporary directory (the directory lives as long as the returned value).
struct TestStore {
  let directory: TemporaryDirectory
  let store: TraceStore

  init() throws {
    directory = try TemporaryDirectory()
    store = try TraceStore(path: directory.file("traces.sqlite"))
  }
}

/// A span with test defaults; `end` 0 means running.
func makeSpan(
  trace: String, id: String, parent: String? = nil, name: String? = nil, start: Double, end: Double = 0,
  error: String? = nil, isRoot: Bool? = nil, attributes extra: JSONObject = [:]
) -> SpanData {
  var attributes: JSONObject = ["genkit:name": .string(name ?? id), "genkit:type": "action"]
  if let isRoot { attributes["genkit:isRoot"] = .bool(isRoot) }
  if end > 0 { attributes["genkit:state"] = error == nil ? "success" : "error" }
  for (key, value) in extra.entries { attributes[key] = value }
  return SpanData(
    spanId: id, traceId: trace, parentSpanId: parent, startTime: start, endTime: end, attributes: attributes,
    displayName: name ?? id, status: SpanData.SpanStatus(code: error == nil ? 0 : 2, message: error))
}

/// A root span and `children` child spans, all ended, starting at `start`.
func makeTrace(_ trace: String, name: String = "flow", start: Double, children: Int = 1, error: String? = nil)
  -> [SpanData]
{
  var spans = [makeSpan(trace: trace, id: trace + "-root", name: name, start: start, end: start + 10, error: error)]
  for n in 0..<children {
    spans.append(
      makeSpan(
        trace: trace, id: trace + "-c\(n)", parent: trace + "-root", name: "step\(n)", start: start + 1 + Double(n),
        end: start + 2 + Double(n)))
  }
  return spans
}

/// Reads a fixture from Tests/FlowsTests/Fixtures.
func fixture(_ name: String) throws -> JSONValue {
  let url = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // TraceStoreTests
    .deletingLastPathComponent()  // Tests
    .appendingPathComponent("FlowsTests/Fixtures/\(name)")
  return try JSONValue(parsing: try Data(contentsOf: url))
}
