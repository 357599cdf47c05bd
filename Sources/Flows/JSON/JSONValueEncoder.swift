import Foundation

/// Encodes `Encodable` values into `JSONValue` without going through text.
///
/// Dates become ISO-8601 strings (with fractional seconds), `Data` becomes base64, `URL` its absolute
/// string, and `Decimal` a number — the same shapes the JSON Schema derivation describes.
public struct JSONValueEncoder: Sendable {
  public init() {}

  public func encode(_ value: some Encodable) throws -> JSONValue {
    try JSONValueEncoderImpl.encodeValue(value, codingPath: [])
  }

  /// Encodes a value held as an existential.
  public func encode(any value: any Encodable) throws -> JSONValue {
    try JSONValueEncoderImpl.encodeValue(value, codingPath: [])
  }
}

/// Intermediate tree for values under construction: containers are references so nested
/// containers handed out by the Encoder protocol can be filled in later.
enum EncodingNode {
  case value(JSONValue)
  case object(ObjectNode)
  case array(ArrayNode)

  var json: JSONValue {
    switch self {
    case .value(let v): return v
    case .object(let o): return .object(JSONObject(o.keys.map { ($0, o.values[$0]?.json ?? .null) }))
    case .array(let a): return .array(a.items.map(\.json))
    }
  }
}

final class ObjectNode {
  var keys: [String] = []
  var values: [String: EncodingNode] = [:]
  func set(_ key: String, _ node: EncodingNode) {
    if values.updateValue(node, forKey: key) == nil { keys.append(key) }
  }
}

final class ArrayNode {
  var items: [EncodingNode] = []
}

final class JSONValueEncoderImpl: Encoder {
  var codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }
  var storage: EncodingNode?

  init(codingPath: [any CodingKey]) { self.codingPath = codingPath }

  static let iso8601 = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

  /// Fast paths for leaf types; falls back to the type's own `encode(to:)`.
  static func encodeNode(_ value: any Encodable, codingPath: [any CodingKey]) throws -> EncodingNode {
    switch value {
    case let v as String: return .value(.string(v))
    case let v as Int: return .value(.integer(Int64(v)))
    case let v as Double: return .value(.number(v))
    case let v as Bool: return .value(.bool(v))
    case let v as JSONValue: return .value(v)
    case let v as Date: return .value(.string(v.formatted(iso8601)))
    case let v as Data: return .value(.string(v.base64EncodedString()))
    case let v as URL: return .value(.string(v.absoluteString))
    case let v as Decimal: return .value(.number(NSDecimalNumber(decimal: v).doubleValue))
    default:
      let encoder = JSONValueEncoderImpl(codingPath: codingPath)
      try value.encode(to: encoder)
      return encoder.storage ?? .object(ObjectNode())
    }
  }

  static func encodeValue(_ value: any Encodable, codingPath: [any CodingKey]) throws -> JSONValue {
    try encodeNode(value, codingPath: codingPath).json
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    let node: ObjectNode
    if case .object(let existing) = storage {
      node = existing
    } else {
      node = ObjectNode()
      storage = .object(node)
    }
    return KeyedEncodingContainer(KeyedEncoder<Key>(node: node, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    let node: ArrayNode
    if case .array(let existing) = storage {
      node = existing
    } else {
      node = ArrayNode()
      storage = .array(node)
    }
    return UnkeyedEncoder(node: node, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { SingleEncoder(encoder: self) }

  struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: ObjectNode
    var codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { node.set(key.stringValue, .value(.null)) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { node.set(key.stringValue, .value(.bool(value))) }
    mutating func encode(_ value: String, forKey key: Key) throws {
      node.set(key.stringValue, .value(.string(value)))
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
      node.set(key.stringValue, .value(.number(value)))
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
      node.set(key.stringValue, .value(.number(Double(value))))
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
      node.set(key.stringValue, .value(.integer(Int64(value))))
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws { node.set(key.stringValue, .value(.integer(value))) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
      node.set(key.stringValue, try JSONValueEncoderImpl.encodeNode(value, codingPath: codingPath + [key]))
    }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
      guard let value else { return }
      try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
      guard let value else { return }
      try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
      guard let value else { return }
      try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
      guard let value else { return }
      try encode(value, forKey: key)
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
      guard let value else { return }
      try encode(value, forKey: key)
    }
    mutating func nestedContainer<NestedKey: CodingKey>(
      keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
      let child = ObjectNode()
      node.set(key.stringValue, .object(child))
      return KeyedEncodingContainer(KeyedEncoder<NestedKey>(node: child, codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
      let child = ArrayNode()
      node.set(key.stringValue, .array(child))
      return UnkeyedEncoder(node: child, codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder { superEncoder(named: "super", key: AnyCodingKey("super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue, key: key) }
    private func superEncoder(named name: String, key: any CodingKey) -> any Encoder {
      let encoder = JSONValueEncoderImpl(codingPath: codingPath + [key])
      let child = ObjectNode()
      encoder.storage = .object(child)
      node.set(name, .object(child))
      return encoder
    }
  }

  struct UnkeyedEncoder: UnkeyedEncodingContainer {
    let node: ArrayNode
    var codingPath: [any CodingKey]
    var count: Int { node.items.count }

    mutating func encodeNil() throws { node.items.append(.value(.null)) }
    mutating func encode(_ value: String) throws { node.items.append(.value(.string(value))) }
    mutating func encode(_ value: Int) throws { node.items.append(.value(.integer(Int64(value)))) }
    mutating func encode(_ value: Double) throws { node.items.append(.value(.number(value))) }
    mutating func encode(_ value: Bool) throws { node.items.append(.value(.bool(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
      let key = AnyCodingKey(intValue: count) ?? AnyCodingKey("\(count)")
      node.items.append(try JSONValueEncoderImpl.encodeNode(value, codingPath: codingPath + [key]))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
      -> KeyedEncodingContainer<NestedKey>
    {
      let child = ObjectNode()
      node.items.append(.object(child))
      return KeyedEncodingContainer(KeyedEncoder<NestedKey>(node: child, codingPath: codingPath))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
      let child = ArrayNode()
      node.items.append(.array(child))
      return UnkeyedEncoder(node: child, codingPath: codingPath)
    }
    mutating func superEncoder() -> any Encoder {
      let encoder = JSONValueEncoderImpl(codingPath: codingPath)
      let child = ObjectNode()
      encoder.storage = .object(child)
      node.items.append(.object(child))
      return encoder
    }
  }

  struct SingleEncoder: SingleValueEncodingContainer {
    let encoder: JSONValueEncoderImpl
    var codingPath: [any CodingKey] { encoder.codingPath }

    func encodeNil() throws { encoder.storage = .value(.null) }
    func encode(_ value: Bool) throws { encoder.storage = .value(.bool(value)) }
    func encode(_ value: String) throws { encoder.storage = .value(.string(value)) }
    func encode(_ value: Double) throws { encoder.storage = .value(.number(value)) }
    func encode(_ value: Float) throws { encoder.storage = .value(.number(Double(value))) }
    func encode(_ value: Int) throws { encoder.storage = .value(.integer(Int64(value))) }
    func encode(_ value: Int8) throws { encoder.storage = .value(.integer(Int64(value))) }
    func encode(_ value: Int16) throws { encoder.storage = .value(.integer(Int64(value))) }
    func encode(_ value: Int32) throws { encoder.storage = .value(.integer(Int64(value))) }
    func encode(_ value: Int64) throws { encoder.storage = .value(.integer(value)) }
    func encode(_ value: UInt) throws { encoder.storage = .value(Self.unsigned(UInt64(value))) }
    func encode(_ value: UInt8) throws { encoder.storage = .value(.integer(Int64(value))) }
    func encode(_ value: UInt16) throws { encoder.storage = .value(.integer(Int64(value))) }
    func encode(_ value: UInt32) throws { encoder.storage = .value(.integer(Int64(value))) }
    func encode(_ value: UInt64) throws { encoder.storage = .value(Self.unsigned(value)) }
    func encode<T: Encodable>(_ value: T) throws {
      encoder.storage = try JSONValueEncoderImpl.encodeNode(value, codingPath: codingPath)
    }

    static func unsigned(_ value: UInt64) -> JSONValue {
      value <= UInt64(Int64.max) ? .integer(Int64(value)) : .number(Double(value))
    }
  }
}
