import Flows
import FlowsTestSupport
import Foundation
import Synchronization
import Testing

// MARK: - Fixtures

/// The URL of a file in `Tests/FlowsTests/Fixtures`.
func fixtureURL(_ name: String) -> URL {
  URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
}

/// A fixture parsed as JSON.
func loadFixture(_ name: String) throws -> JSONValue {
  try JSONValue(parsing: try Data(contentsOf: fixtureURL(name)))
}

// MARK: - Trace events

/// Spans in the order they started, as their start copies (`endTime` 0).
func startedSpans(_ events: [TraceEvent]) -> [SpanData] {
  events.compactMap { event in
    if case .spanStarted(let info) = event { return SpanData(info, outcome: nil) }
    return nil
  }
}

/// The `.spanEnded` payloads (info and outcome), in order.
func endedOutcomes(_ events: [TraceEvent]) -> [(info: SpanInfo, outcome: SpanOutcome)] {
  events.compactMap { event in
    if case .spanEnded(let info, let outcome) = event { return (info, outcome) }
    return nil
  }
}

func chunkEvents(_ events: [TraceEvent]) -> [StreamChunk] {
  events.compactMap { event in
    if case .chunk(let chunk) = event { return chunk }
    return nil
  }
}

func runSummaries(_ events: [TraceEvent]) -> [RunSummary] {
  events.compactMap { event in
    if case .runFinished(let summary) = event { return summary }
    return nil
  }
}

/// A one-word name per event, to assert the order events arrive in.
func eventShape(_ events: [TraceEvent]) -> [String] {
  events.map { event in
    switch event {
    case .spanStarted(let info): return "start:\(info.name)"
    case .spanEnded(let info, let outcome): return "end:\(info.name)\(outcome.succeeded ? "" : "!")"
    case .chunk(let chunk): return "chunk:\(chunk.index)"
    case .runFinished(let summary): return "finished:\(summary.name)\(summary.error == nil ? "" : "!")"
    case .spanReceived(let span): return "received:\(span.displayName)"
    case .logRecorded(let record), .logReceived(let record): return "log:\(record["logId"]?.stringValue ?? "")"
    }
  }
}

/// The trace made from every ended span among `events`.
func traceData(_ events: [TraceEvent]) throws -> TraceData {
  let spans = endedSpans(events)
  let first = try #require(spans.first)
  return TraceData(traceId: first.traceId, spans: spans)
}

extension Array where Element == SpanData {
  /// The one span with this display name.
  func named(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> SpanData {
    let matches = filter { $0.displayName == name }
    try #require(
      matches.count == 1, "expected one span named \(name), found \(matches.count)", sourceLocation: sourceLocation)
    return matches[0]
  }
}

extension SpanData {
  /// A string attribute.
  func attr(_ key: String) -> String? { attributes[key]?.stringValue }
  /// The sorted attribute keys.
  var attributeKeys: [String] { attributes.keys.sorted() }
  /// The `exception` time events.
  var exceptionEvents: [TimeEvent] { (timeEvents ?? []).filter { $0.description == "exception" } }
}

// MARK: - Errors

// MARK: - Synchronization helpers

// MARK: - Shared model types

struct JokeInput: Codable, Sendable, Equatable {
  var subject: String
}

struct Joke: Codable, Sendable, Equatable {
  var text: String
  var length: Int
}

enum Size: String, Codable, Sendable, CaseIterable {
  case small, medium, large
}

struct LineItem: Codable, Sendable, Equatable {
  var sku: String
  var qty: Int
}

struct Address: Codable, Sendable, Equatable {
  var street: String
  var zip: String?
}

struct OrderInput: Codable, Sendable, Equatable {
  var customer: String
  var size: Size
  var items: [LineItem]
  var address: Address
  var note: String?
}

/// A plain Swift error that does not know about Genkit statuses.
struct BoomError: Error, CustomStringConvertible {
  var reason: String
  var description: String { "boom: \(reason)" }
}

/// An error that declares its Genkit status.
struct QuotaError: Error, FlowStatusProviding, CustomStringConvertible {
  var flowStatus: StatusCode { .resourceExhausted }
  var description: String { "quota used up" }
}

/// True when `text` is `count` lowercase hex digits.
func isLowerHex(_ text: String, count: Int) -> Bool {
  text.utf8.count == count
    && text.utf8.allSatisfy {
      ("0"..."9").contains(Character(UnicodeScalar($0))) || ("a"..."f").contains(Character(UnicodeScalar($0)))
    }
}
