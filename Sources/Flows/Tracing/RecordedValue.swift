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

  /// `value` as JSON, like `RecordedValue.encodable(value).json`. Inlined into generic code, the
  /// checks for the leaf types fold away once `Value` is known, so a stream of strings or numbers
  /// skips the encoder.
  @inlinable
  public static func json<Value: Encodable & Sendable>(of value: Value) -> JSONValue {
    switch value {
    case let string as String: return .string(string)
    case let integer as Int: return .integer(Int64(integer))
    case let number as Double: return .number(number)
    case let flag as Bool: return .bool(flag)
    case let json as JSONValue: return json
    default: return RecordedValue.encodable(value).json
    }
  }

  /// The value as a compact JSON string, the form of `genkit:input` / `genkit:output`.
  public var jsonString: String { json.serialized() }
}
