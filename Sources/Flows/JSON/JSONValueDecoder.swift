import Foundation

/// Decodes `Decodable` values from a `JSONValue` tree.
///
/// Mirrors `JSONValueEncoder`: dates from ISO-8601 strings (or epoch seconds), `Data` from base64,
/// `URL` from a string. Integers decode from integral numbers only.
public struct JSONValueDecoder: Sendable {
  public init() {}

  public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
    try JSONValueDecoderImpl(value: value, codingPath: []).decodeValue(type)
  }
}

/// A JSON path such as `$.order.items[2].name`, built from a coding path.
public func jsonPath(_ codingPath: [any CodingKey]) -> String {
  var path = "$"
  for key in codingPath {
    if let index = key.intValue {
      path += "[\(index)]"
    } else if isPlainIdentifier(key.stringValue) {
      path += "." + key.stringValue
    } else {
      path += "[" + JSONValue.string(key.stringValue).serialized() + "]"
    }
  }
  return path
}

func isPlainIdentifier(_ s: String) -> Bool {
  guard let first = s.unicodeScalars.first, first == "_" || first == "$" || first.properties.isAlphabetic else {
    return false
  }
  return s.unicodeScalars.allSatisfy {
    $0 == "_" || $0 == "$" || $0.properties.isAlphabetic || ("0"..."9").contains($0)
  }
}

extension DecodingError {
  /// A one-line message that names the JSON path, e.g. `$.subject: expected string, got number`.
  public var pathMessage: String {
    switch self {
    case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
      return "\(jsonPath(context.codingPath)): \(context.debugDescription)"
    case .keyNotFound(let key, let context):
      return "\(jsonPath(context.codingPath + [key])): missing required property"
    @unknown default:
      return String(describing: self)
    }
  }
}

final class JSONValueDecoderImpl: Decoder {
  let value: JSONValue
  var codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(value: JSONValue, codingPath: [any CodingKey]) {
    self.value = value
    self.codingPath = codingPath
  }

  /// A type mismatch worded like `SchemaValidator`: an integer is "number" unless a number was expected.
  func mismatch(_ expected: String, _ found: JSONValue, _ path: [any CodingKey]? = nil) -> DecodingError {
    let got = found.typeName == "integer" && !expected.hasPrefix("integer") ? "number" : found.typeName
    return .typeMismatch(
      Any.self, .init(codingPath: path ?? codingPath, debugDescription: "expected \(expected), got \(got)"))
  }

  func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
    try Self.decode(type, from: value, codingPath: codingPath)
  }

  static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, codingPath: [any CodingKey]) throws -> T {
    let single = SingleDecoder(decoder: JSONValueDecoderImpl(value: value, codingPath: codingPath))
    if T.self == String.self, let v = try single.decode(String.self) as? T { return v }
    if T.self == Int.self, let v = try single.decode(Int.self) as? T { return v }
    if T.self == Double.self, let v = try single.decode(Double.self) as? T { return v }
    if T.self == Bool.self, let v = try single.decode(Bool.self) as? T { return v }
    if T.self == JSONValue.self, let v = value as? T { return v }
    if T.self == Date.self, let v = try single.decodeDate() as? T { return v }
    if T.self == Data.self, let v = try single.decodeData() as? T { return v }
    if T.self == URL.self, let v = try single.decodeURL() as? T { return v }
    if T.self == Decimal.self, let v = Decimal(try single.decode(Double.self)) as? T { return v }
    return try T(from: single.decoder)
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .object(let object) = value else { throw mismatch("object", value) }
    return KeyedDecodingContainer(KeyedDecoder<Key>(object: object, codingPath: codingPath))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard case .array(let array) = value else { throw mismatch("array", value) }
    return UnkeyedDecoder(array: array, codingPath: codingPath)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { SingleDecoder(decoder: self) }

  struct KeyedDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: JSONObject
    var codingPath: [any CodingKey]

    var allKeys: [Key] { object.keys.compactMap { Key(stringValue: $0) } }
    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    func value(for key: Key) throws -> JSONValue {
      guard let v = object[key.stringValue] else {
        throw DecodingError.keyNotFound(
          key, .init(codingPath: codingPath, debugDescription: "missing required property"))
      }
      return v
    }

    func decodeNil(forKey key: Key) throws -> Bool { (object[key.stringValue] ?? .null).isNull }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
      try JSONValueDecoderImpl.decode(type, from: value(for: key), codingPath: codingPath + [key])
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
      guard let v = object[key.stringValue], !v.isNull else { return nil }
      return try JSONValueDecoderImpl.decode(type, from: v, codingPath: codingPath + [key])
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      try JSONValueDecoderImpl(value: value(for: key), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
      try JSONValueDecoderImpl(value: value(for: key), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
      JSONValueDecoderImpl(value: object["super"] ?? .null, codingPath: codingPath)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
      JSONValueDecoderImpl(value: object[key.stringValue] ?? .null, codingPath: codingPath + [key])
    }
  }

  struct UnkeyedDecoder: UnkeyedDecodingContainer {
    let array: [JSONValue]
    var codingPath: [any CodingKey]
    var currentIndex = 0

    init(array: [JSONValue], codingPath: [any CodingKey]) {
      self.array = array
      self.codingPath = codingPath
    }

    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }
    var currentPath: [any CodingKey] { codingPath + [AnyCodingKey(intValue: currentIndex) ?? AnyCodingKey("")] }

    mutating func next() throws -> JSONValue {
      guard !isAtEnd else {
        throw DecodingError.valueNotFound(
          Any.self, .init(codingPath: currentPath, debugDescription: "array has too few elements"))
      }
      defer { currentIndex += 1 }
      return array[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
      guard !isAtEnd, array[currentIndex].isNull else { return false }
      currentIndex += 1
      return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
      let path = currentPath
      return try JSONValueDecoderImpl.decode(type, from: next(), codingPath: path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      let path = currentPath
      return try JSONValueDecoderImpl(value: next(), codingPath: path).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
      let path = currentPath
      return try JSONValueDecoderImpl(value: next(), codingPath: path).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
      let path = currentPath
      return JSONValueDecoderImpl(value: try next(), codingPath: path)
    }
  }

  struct SingleDecoder: SingleValueDecodingContainer {
    let decoder: JSONValueDecoderImpl
    var codingPath: [any CodingKey] { decoder.codingPath }
    var value: JSONValue { decoder.value }

    func decodeNil() -> Bool { value.isNull }

    func decode(_ type: Bool.Type) throws -> Bool {
      guard case .bool(let b) = value else { throw decoder.mismatch("boolean", value) }
      return b
    }

    func decode(_ type: String.Type) throws -> String {
      guard case .string(let s) = value else { throw decoder.mismatch("string", value) }
      return s
    }

    func decode(_ type: Double.Type) throws -> Double {
      guard let d = value.doubleValue else { throw decoder.mismatch("number", value) }
      return d
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
      guard let i = value.int64Value else {
        if case .number = value {
          throw DecodingError.dataCorrupted(
            .init(codingPath: codingPath, debugDescription: "expected integer, got number \(value.serialized())"))
        }
        throw decoder.mismatch("integer", value)
      }
      guard let exact = I(exactly: i) else {
        throw DecodingError.dataCorrupted(
          .init(codingPath: codingPath, debugDescription: "\(i) is out of range for \(I.self)"))
      }
      return exact
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(Int.self) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(Int32.self) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(Int64.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
      try JSONValueDecoderImpl.decode(type, from: value, codingPath: codingPath)
    }

    func decodeDate() throws -> Date {
      switch value {
      case .string(let s):
        if let d = try? Date(s, strategy: JSONValueEncoderImpl.iso8601) { return d }
        if let d = try? Date(s, strategy: Date.ISO8601FormatStyle()) { return d }
        throw DecodingError.dataCorrupted(
          .init(codingPath: codingPath, debugDescription: "expected an ISO-8601 date-time, got \"\(s)\""))
      case .integer, .number:
        return Date(timeIntervalSince1970: value.doubleValue ?? 0)
      default:
        throw decoder.mismatch("string (date-time)", value)
      }
    }

    func decodeData() throws -> Data {
      guard case .string(let s) = value else { throw decoder.mismatch("string (base64)", value) }
      guard let data = Data(base64Encoded: s) else {
        throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "invalid base64"))
      }
      return data
    }

    func decodeURL() throws -> URL {
      guard case .string(let s) = value else { throw decoder.mismatch("string (uri)", value) }
      guard let url = URL(string: s) else {
        throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "invalid URL \"\(s)\""))
      }
      return url
    }
  }
}
