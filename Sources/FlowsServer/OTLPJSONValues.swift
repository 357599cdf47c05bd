import Flows
import Foundation

/// Reading the scalar encodings of OTLP/JSON (the protobuf JSON mapping of the OTLP messages):
/// `AnyValue` attribute values, `KeyValue` lists, nanosecond timestamps and trace/span ids.
///
/// Field names are accepted in lowerCamelCase (what the OTLP spec prescribes) and in the original
/// snake_case (which every protobuf JSON parser accepts too).
enum OTLPJSONValues {
  /// The value of `camel` (or its snake_case spelling `snake`) in `object`.
  static func field(_ object: JSONObject, _ camel: String, _ snake: String? = nil) -> JSONValue? {
    if let value = object[camel] { return value }
    return snake.flatMap { object[$0] }
  }

  /// An OTLP `AnyValue` as plain JSON: strings, booleans, integers (sent as decimal strings), doubles,
  /// arrays and key/value lists (as objects) keep their shape; `bytesValue` stays a base64 string;
  /// an empty or unknown value is `null`.
  static func anyValue(_ value: JSONValue?) -> JSONValue {
    guard let object = value?.objectValue else { return .null }
    if let string = field(object, "stringValue", "string_value") { return .string(string.stringValue ?? "") }
    if let bool = field(object, "boolValue", "bool_value") { return .bool(bool.boolValue ?? false) }
    if let int = field(object, "intValue", "int_value") { return integer(int) }
    if let double = field(object, "doubleValue", "double_value") { return self.double(double) }
    if let array = field(object, "arrayValue", "array_value") {
      return .array((array["values"]?.arrayValue ?? []).map { anyValue($0) })
    }
    if let list = field(object, "kvlistValue", "kvlist_value") {
      return .object(keyValues(list["values"]))
    }
    if let bytes = field(object, "bytesValue", "bytes_value") { return .string(bytes.stringValue ?? "") }
    return .null
  }

  /// A `KeyValue` list (`[{"key": …, "value": AnyValue}]`) as an object; a repeated key keeps its
  /// last value, entries without a key are skipped.
  static func keyValues(_ list: JSONValue?) -> JSONObject {
    var object = JSONObject()
    for entry in list?.arrayValue ?? [] {
      guard let key = entry["key"]?.stringValue else { continue }
      object[key] = anyValue(entry["value"])
    }
    return object
  }

  /// `intValue`: a decimal string (the protobuf JSON form of int64) or a JSON number.
  static func integer(_ value: JSONValue) -> JSONValue {
    switch value {
    case .string(let text):
      if let exact = Int64(text.trimmingCharacters(in: .whitespaces)) { return .integer(exact) }
      return .string(text)
    default:
      if let exact = value.int64Value { return .integer(exact) }
      return value.doubleValue.map { .number($0) } ?? .null
    }
  }

  /// `doubleValue`: a JSON number, or a string (`"NaN"`, `"Infinity"`, `"-Infinity"` stay strings,
  /// as JSON has no such numbers).
  static func double(_ value: JSONValue) -> JSONValue {
    switch value {
    case .string(let text):
      if let number = Double(text), number.isFinite { return .number(number) }
      return .string(text)
    default:
      return value.doubleValue.map { .number($0) } ?? .null
    }
  }

  /// A `fixed64` nanosecond timestamp (decimal string or number); nil when missing or not a
  /// non-negative integer.
  static func nanoseconds(_ value: JSONValue?) -> UInt64? {
    switch value {
    case .string(let text)?: return UInt64(text.trimmingCharacters(in: .whitespaces))
    case .integer(let number)?: return number >= 0 ? UInt64(number) : nil
    case .number(let number)?:
      return number >= 0 && number < 1.8e19 && number.rounded() == number ? UInt64(number) : nil
    default: return nil
    }
  }

  /// Nanoseconds since the epoch as Genkit's fractional milliseconds, without going through a
  /// `Double` of the whole nanosecond count (which would lose the sub-microsecond part).
  static func milliseconds(_ nanoseconds: UInt64) -> Double {
    Double(nanoseconds / 1_000_000) + Double(nanoseconds % 1_000_000) / 1_000_000
  }

  /// What an id field held.
  enum ID: Equatable {
    /// Missing, empty, or all zeros (OTLP's "no id").
    case absent
    /// Lowercase hex.
    case valid(String)
    /// Neither hex nor base64 of the right length.
    case invalid(String)
  }

  /// A trace id (`byteCount` 16) or span id (8): hex as the OTLP spec prescribes, or base64 as the
  /// generic protobuf JSON mapping writes `bytes` (some exporters, swift-otel's among them, send that).
  static func id(_ value: JSONValue?, byteCount: Int) -> ID {
    guard let value else { return .absent }
    guard let text = value.stringValue else { return .invalid(value.serialized()) }
    if text.isEmpty { return .absent }
    var hex: String?
    if text.utf8.count == byteCount * 2, text.utf8.allSatisfy(isASCIIHexDigit) {
      hex = text.lowercased()
    } else if let data = Data(base64Encoded: text), data.count == byteCount {
      hex = data.map { byte in
        let digits = String(byte, radix: 16)
        return byte < 16 ? "0" + digits : digits
      }.joined()
    }
    guard let hex else { return .invalid(text) }
    return hex.allSatisfy { $0 == "0" } ? .absent : .valid(hex)
  }

  static func isASCIIHexDigit(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
      UInt8(ascii: "A")...UInt8(ascii: "F"):
      return true
    default:
      return false
    }
  }
}
