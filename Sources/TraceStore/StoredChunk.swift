import Flows

/// A recorded stream chunk: which span sent it, its position in that span's stream, and its value
/// as compact JSON text.
public struct StoredChunk: Sendable, Hashable, Codable {
  /// 32 hex characters.
  public var traceId: String
  /// The span whose stream the chunk belongs to (the flow's span).
  public var spanId: String
  /// 0-based position within the span's stream.
  public var index: Int
  /// ms since the epoch.
  public var time: Double
  /// The chunk value as JSON text.
  public var json: String

  /// A chunk.
  public init(traceId: String, spanId: String, index: Int, time: Double, json: String) {
    self.traceId = traceId
    self.spanId = spanId
    self.index = index
    self.time = time
    self.json = json
  }

  /// The chunk as recorded by a flow run (its value encoded to JSON now).
  public init(_ chunk: StreamChunk) {
    self.init(
      traceId: chunk.traceId.hex, spanId: chunk.spanId.hex, index: chunk.index, time: chunk.time,
      json: chunk.value.jsonString)
  }

  /// The chunk value parsed from `json` (nil if the text is not valid JSON).
  public var value: JSONValue? { try? JSONValue(parsing: json) }
}
