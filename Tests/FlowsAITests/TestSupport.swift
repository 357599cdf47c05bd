import Flows
import FlowsAI
import FlowsTestSupport
import Synchronization
import Testing

// MARK: - Synchronization

/// A bounded wait ran out: the thing the test waited for never happened.
struct TimedOut: Error, CustomStringConvertible {
  var what: String
  var description: String { "timed out waiting for \(what)" }
}

/// Runs `operation`, failing with `TimedOut` if it has not finished within `limit`. The limit is only
/// a safety net so a broken test fails instead of hanging; nothing is asserted about timing.
func within<T: Sendable>(
  _ limit: Duration = .seconds(60), _ what: String, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
  try await withThrowingTaskGroup(of: T.self) { group in
    group.addTask { try await operation() }
    group.addTask {
      try await Task.sleep(for: limit)
      throw TimedOut(what: what)
    }
    defer { group.cancelAll() }
    guard let first = try await group.next() else { throw TimedOut(what: what) }
    return first
  }
}

/// A one-shot signal: `fire()` from any task; `wait` returns once it has fired (immediately if it
/// already has), or throws `TimedOut` after a generous bound.
final class Signal: Sendable {
  let name: String
  private let stream: AsyncStream<Void>
  private let continuation: AsyncStream<Void>.Continuation

  init(_ name: String) {
    self.name = name
    (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
  }

  func fire() { continuation.yield(()) }

  func wait(_ limit: Duration = .seconds(60)) async throws {
    let stream = self.stream
    try await within(limit, name) {
      for await _ in stream { return }
      try Task.checkCancellation()
      throw TimedOut(what: "\(self.name) (stream ended)")
    }
  }
}

// MARK: - Scripted model

/// One reply of a scripted model: optional streamed text chunks, an optional hook that runs before
/// answering, then the response.
struct ScriptedReply: Sendable {
  var chunks: [String] = []
  var before: (@Sendable (GenerateRequest, ModelStreamer) async throws -> Void)?
  var response: GenerateResponse

  /// A final text answer.
  static func text(_ text: String, usage: GenerationUsage? = nil, chunks: [String] = []) -> ScriptedReply {
    ScriptedReply(chunks: chunks, response: GenerateResponse(message: .model(text), finishReason: .stop, usage: usage))
  }

  /// A model message holding these parts (typically tool requests).
  static func parts(_ parts: [Part], usage: GenerationUsage? = nil, chunks: [String] = []) -> ScriptedReply {
    ScriptedReply(
      chunks: chunks,
      response: GenerateResponse(message: Message(role: .model, content: parts), finishReason: .stop, usage: usage))
  }

  /// A model message asking for one tool.
  static func tool(_ name: String, _ input: JSONValue, ref: String? = nil, usage: GenerationUsage? = nil)
    -> ScriptedReply
  {
    parts([.toolRequest(ToolRequest(name: name, ref: ref, input: input))], usage: usage)
  }
}

/// A model registered on a runtime that answers from a queue of replies and records every request.
/// Running out of replies is a `FAILED_PRECONDITION` error, so a test that calls it too often fails.
final class ScriptedModel: Sendable {
  let model: Model
  private let queue: Locked<[ScriptedReply]>
  private let received: Locked<[GenerateRequest]>

  init(_ runtime: FlowRuntime, name: String = "test/scripted", _ replies: [ScriptedReply]) {
    let queue = Locked(replies)
    let received = Locked<[GenerateRequest]>([])
    self.queue = queue
    self.received = received
    model = runtime.defineModel(name) { request, streamer in
      received.append(request)
      let next: ScriptedReply? = queue.mutate { $0.isEmpty ? nil : $0.removeFirst() }
      guard let reply = next else { throw FlowError(.failedPrecondition, "scripted model: no reply left") }
      for chunk in reply.chunks { streamer.send(GenerateResponseChunk(content: [.text(chunk)])) }
      try await reply.before?(request, streamer)
      return reply.response
    }
  }

  /// Every request the model received, in order.
  var requests: [GenerateRequest] { received.value }
  /// Replies not used yet.
  var remaining: Int { queue.value.count }
}

func toolRequest(_ name: String, _ input: JSONValue, ref: String? = nil) -> Part {
  .toolRequest(ToolRequest(name: name, ref: ref, input: input))
}

// MARK: - Shared tool types

struct WeatherQuery: Codable, Sendable, Equatable {
  var city: String
}

struct Weather: Codable, Sendable, Equatable {
  var city: String
  var temperatureC: Int
  var conditions: String
}

struct RestaurantQuery: Codable, Sendable, Equatable {
  var city: String
  var cuisine: String?
}

struct Restaurant: Codable, Sendable, Equatable {
  var name: String
  var rating: Double
}

struct TimeQuery: Codable, Sendable, Equatable {
  var zone: String
}

/// A plain Swift error that does not know about Genkit statuses.
struct BoomError: Error, CustomStringConvertible {
  var reason: String
  var description: String { "boom: \(reason)" }
}

// MARK: - Trace events

/// The trace made from every ended span among `events`.
func traceData(_ spans: [SpanData]) throws -> TraceData {
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

  /// Every span with this display name, in start order.
  func all(named name: String) -> [SpanData] {
    filter { $0.displayName == name }.sorted { $0.startTime < $1.startTime }
  }
}

extension SpanData {
  /// A string attribute.
  func attr(_ key: String) -> String? { attributes[key]?.stringValue }
}

// MARK: - Errors

// MARK: - JSON

/// `value` encoded to JSON.
func json(_ value: some Encodable) throws -> JSONValue { try JSONValueEncoder().encode(value) }

/// `text` parsed as JSON then decoded as `T`.
func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
  try JSONValueDecoder().decode(T.self, from: try JSONValue(parsing: text))
}
