/// A span input or output, kept as the value itself and encoded to JSON only when a consumer
/// (the trace store, an exporter, the debugger) needs it — never on the flow's own path.
public enum RecordedValue: Sendable {
  case encodable(any Encodable & Sendable)
  case json(JSONValue)

  /// The value as JSON; values that fail to encode become a string describing the failure.
  public var json: JSONValue {
    switch self {
    case .json(let value): return value
    case .encodable(let value):
      do {
        return try JSONValueEncoder().encode(any: value)
      } catch {
        return .string("<unencodable \(type(of: value)): \(error)>")
      }
    }
  }

  /// The value as a compact JSON string, the form of `genkit:input` / `genkit:output`.
  public var jsonString: String { json.serialized() }
}
