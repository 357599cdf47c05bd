import Foundation

/// Derives JSON Schema (draft-07) from `Decodable` types.
///
/// Derivation runs the type's own `init(from:)` against a probing decoder that records every key and
/// value type it is asked for: properties become `properties` (in declaration order), `decodeIfPresent`
/// makes a property optional, arrays become `items`, `[String: V]` becomes `additionalProperties`,
/// `CaseIterable` enums list their raw values in `enum`, `Int` is `integer` and `Double` is `number`,
/// and `Date` is a `date-time` string. A type conforming to `JSONSchemaProviding` supplies its own.
public enum JSONSchemaDerivation {
  /// Errors that stop derivation; callers fall back to no schema (accept any JSON).
  public struct Failure: Error, CustomStringConvertible, Sendable {
    public var description: String
  }

  /// The schema for `type`, with `$schema` set at the top level.
  public static func schema<T: Decodable>(for type: T.Type) throws -> JSONValue {
    let probe = SchemaProbe(depth: 0)
    var schema = try probe.schema(for: type)
    if case .object(var object) = schema {
      object["$schema"] = .string(jsonSchemaDraft07)
      schema = .object(object)
    }
    return schema
  }
}

/// A schema under construction for one value.
final class SchemaNode {
  enum Kind { case unknown, object, array, leaf }
  var kind = Kind.unknown
  var leaf: JSONObject = JSONObject()
  var propertyOrder: [String] = []
  var properties: [String: JSONValue] = [:]
  var required: [String] = []
  var items: JSONValue?
  var nullable = false

  func addProperty(_ name: String, _ schema: JSONValue, required isRequired: Bool) {
    kind = .object
    if properties.updateValue(schema, forKey: name) == nil { propertyOrder.append(name) }
    if isRequired, !required.contains(name) { required.append(name) }
  }

  var json: JSONValue {
    var out = JSONObject()
    switch kind {
    case .unknown:
      out = JSONObject()
    case .leaf:
      out = leaf
    case .object:
      out["type"] = "object"
      out["properties"] = .object(JSONObject(propertyOrder.map { ($0, properties[$0] ?? [:]) }))
      if !required.isEmpty { out["required"] = .array(required.map { .string($0) }) }
      out["additionalProperties"] = false
    case .array:
      out["type"] = "array"
      out["items"] = items ?? [:]
    }
    if nullable { out = SchemaNode.makeNullable(out) }
    return .object(out)
  }

  static func makeNullable(_ schema: JSONObject) -> JSONObject {
    var schema = schema
    switch schema["type"] {
    case .string(let t): schema["type"] = [.string(t), "null"]
    case .array(var types):
      if !types.contains("null") { types.append("null") }
      schema["type"] = .array(types)
    default:
      if !schema.isEmpty { return JSONObject([("anyOf", [.object(schema), ["type": "null"]])]) }
    }
    return schema
  }
}

/// The probing decoder. It hands out default values (0, "", false, the first enum case) so that the
/// type's initializer runs to completion while the node records the shape.
final class SchemaProbe: Decoder {
  static let maxDepth = 24
  let node = SchemaNode()
  let depth: Int
  var codingPath: [any CodingKey] = []
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  init(depth: Int) { self.depth = depth }

  func schema<T: Decodable>(for type: T.Type) throws -> JSONValue {
    _ = try probeValue(type, into: node)
    return node.json
  }

  /// Describes `type` into `target` and returns a placeholder value of it.
  func probeValue<T: Decodable>(_ type: T.Type, into target: SchemaNode) throws -> T {
    if let provided = T.self as? any JSONSchemaProviding.Type {
      target.kind = .leaf
      target.leaf = provided.jsonSchema.objectValue ?? JSONObject()
      return try placeholder(type, provided: true)
    }
    if let leaf = Self.leafSchema(for: T.self) {
      target.kind = .leaf
      target.leaf = leaf
      return try placeholder(type, provided: false)
    }
    if let optional = T.self as? any OptionalMarker.Type {
      _ = try probeAny(optional.wrappedType, into: target)
      target.nullable = true
      guard let none = optional.nilValue as? T else { throw failure("cannot make nil for \(T.self)") }
      return none
    }
    if let dictionary = T.self as? any StringKeyedDictionaryMarker.Type {
      let valueNode = SchemaNode()
      _ = try childProbe().probeAny(dictionary.valueType, into: valueNode)
      target.kind = .leaf
      target.leaf = JSONObject([("type", "object"), ("additionalProperties", valueNode.json)])
      guard let empty = [String: JSONValue]() as? T ?? Self.emptyDictionary(T.self) else {
        throw failure("cannot make an empty \(T.self)")
      }
      return empty
    }
    if let enumType = T.self as? any (CaseIterable & Encodable).Type {
      let (values, first) = try Self.enumCases(enumType)
      target.kind = .leaf
      target.leaf = Self.enumSchema(values)
      guard let value = first as? T else { throw failure("enum \(T.self) has no cases") }
      return value
    }
    guard depth < Self.maxDepth else {
      throw failure(
        "\(T.self) nests more than \(Self.maxDepth) levels (recursive type?); give it a JSONSchemaProviding schema")
    }
    let child = childProbe()
    let value = try T(from: child)
    target.kind = child.node.kind
    target.leaf = child.node.leaf
    target.propertyOrder = child.node.propertyOrder
    target.properties = child.node.properties
    target.required = child.node.required
    target.items = child.node.items
    target.nullable = target.nullable || child.node.nullable
    return value
  }

  func probeAny(_ type: any Decodable.Type, into target: SchemaNode) throws -> any Decodable {
    try probeValue(type, into: target)
  }

  func childProbe() -> SchemaProbe { SchemaProbe(depth: depth + 1) }

  func failure(_ message: String) -> JSONSchemaDerivation.Failure { .init(description: message) }

  static func emptyDictionary<T>(_ type: T.Type) -> T? {
    ([String: String]() as? T) ?? ([String: Int]() as? T) ?? ([String: Double]() as? T)
      ?? ([String: Bool]() as? T)
  }

  static func enumCases<E: CaseIterable & Encodable>(_ type: E.Type) throws -> ([JSONValue], Any?) {
    let encoder = JSONValueEncoder()
    let values = try E.allCases.map { try encoder.encode($0) }
    return (values, E.allCases.first)
  }

  static func enumSchema(_ values: [JSONValue]) -> JSONObject {
    var schema = JSONObject()
    if values.allSatisfy({ $0.stringValue != nil }) {
      schema["type"] = "string"
    } else if values.allSatisfy({ if case .integer = $0 { return true } else { return false } }) {
      schema["type"] = "integer"
    }
    schema["enum"] = .array(values)
    return schema
  }

  static func leafSchema(for type: Any.Type) -> JSONObject? {
    switch type {
    case is String.Type, is Character.Type: return ["type": "string"]
    case is Bool.Type: return ["type": "boolean"]
    case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type, is UInt.Type, is UInt8.Type,
      is UInt16.Type, is UInt32.Type, is UInt64.Type:
      return ["type": "integer"]
    case is Double.Type, is Float.Type, is Decimal.Type: return ["type": "number"]
    case is Date.Type: return ["type": "string", "format": "date-time"]
    case is URL.Type: return ["type": "string", "format": "uri"]
    case is UUID.Type: return ["type": "string", "format": "uuid"]
    case is Data.Type: return ["type": "string", "contentEncoding": "base64"]
    case is JSONValue.Type: return JSONObject()
    default: return nil
    }
  }

  /// A value of a leaf type (or of a type with a provided schema) to hand back to the initializer.
  func placeholder<T: Decodable>(_ type: T.Type, provided: Bool) throws -> T {
    let sample: Any?
    switch type {
    case is String.Type: sample = ""
    case is Character.Type: sample = Character(" ")
    case is Bool.Type: sample = false
    case is Int.Type: sample = 0
    case is Int8.Type: sample = Int8(0)
    case is Int16.Type: sample = Int16(0)
    case is Int32.Type: sample = Int32(0)
    case is Int64.Type: sample = Int64(0)
    case is UInt.Type: sample = UInt(0)
    case is UInt8.Type: sample = UInt8(0)
    case is UInt16.Type: sample = UInt16(0)
    case is UInt32.Type: sample = UInt32(0)
    case is UInt64.Type: sample = UInt64(0)
    case is Double.Type: sample = 0.0
    case is Float.Type: sample = Float(0)
    case is Decimal.Type: sample = Decimal(0)
    case is Date.Type: sample = Date(timeIntervalSince1970: 0)
    case is URL.Type: sample = URL(string: "about:blank")
    case is UUID.Type: sample = UUID()
    case is Data.Type: sample = Data()
    case is JSONValue.Type: sample = JSONValue.null
    default: sample = nil
    }
    if let value = sample as? T { return value }
    if provided {
      // A type with its own schema: build a value by decoding from a lenient probe.
      return try T(from: SchemaProbe(depth: depth + 1))
    }
    throw failure("no placeholder for \(T.self)")
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    node.kind = .object
    return KeyedDecodingContainer(ProbeKeyed<Key>(probe: self, onChange: nil))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    ProbeUnkeyed(probe: self, onChange: nil)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { ProbeSingle(probe: self) }

  /// Called after a nested container records something, so the enclosing schema can copy the nested
  /// node's current JSON (nested containers are filled in after they are handed out).
  typealias ChangeHandler = () -> Void

  /// A keyed container for an object whose schema lives in `probe.node`.
  ///
  /// Every `decodeIfPresent` overload is implemented here: the standard library's defaults for the
  /// primitive overloads (`String`, `Int`, …) call `decode`, which would mark the property required.
  struct ProbeKeyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let probe: SchemaProbe
    let onChange: ChangeHandler?
    var codingPath: [any CodingKey] { probe.codingPath }
    var allKeys: [Key] { [] }
    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
      let child = SchemaNode()
      let value = try probe.childProbe().probeValue(type, into: child)
      probe.node.addProperty(key.stringValue, child.json, required: !child.nullable)
      onChange?()
      return value
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
      let child = SchemaNode()
      _ = try probe.childProbe().probeValue(type, into: child)
      probe.node.addProperty(key.stringValue, child.json, required: false)
      onChange?()
      return nil
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(type, key) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(type, key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(type, key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(type, key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(type, key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(type, key) }

    private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
      try decodeIfPresent(type, forKey: key) as T?
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      let child = probe.childProbe()
      child.node.kind = .object
      let parent = probe.node
      let name = key.stringValue
      parent.addProperty(name, child.node.json, required: true)
      onChange?()
      let outer = onChange
      return KeyedDecodingContainer(
        ProbeKeyed<NestedKey>(
          probe: child,
          onChange: {
            parent.properties[name] = child.node.json
            outer?()
          }))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
      let child = probe.childProbe()
      let parent = probe.node
      let name = key.stringValue
      let outer = onChange
      let container = ProbeUnkeyed(
        probe: child,
        onChange: {
          parent.properties[name] = child.node.json
          outer?()
        })
      parent.addProperty(name, child.node.json, required: true)
      onChange?()
      return container
    }

    func superDecoder() throws -> any Decoder { probe }
    func superDecoder(forKey key: Key) throws -> any Decoder { probe }
  }

  /// Arrays report one element so the element type gets probed, then report the end.
  struct ProbeUnkeyed: UnkeyedDecodingContainer {
    let probe: SchemaProbe
    let onChange: ChangeHandler?
    var codingPath: [any CodingKey] { probe.codingPath }
    var count: Int? { 1 }
    var currentIndex = 0
    var isAtEnd: Bool { currentIndex >= 1 }

    init(probe: SchemaProbe, onChange: ChangeHandler?) {
      self.probe = probe
      self.onChange = onChange
      probe.node.kind = .array
    }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
      currentIndex += 1
      let child = SchemaNode()
      let value = try probe.childProbe().probeValue(type, into: child)
      probe.node.items = child.json
      onChange?()
      return value
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
      -> KeyedDecodingContainer<NestedKey>
    {
      currentIndex += 1
      let child = probe.childProbe()
      child.node.kind = .object
      let array = probe.node
      array.items = child.node.json
      onChange?()
      let outer = onChange
      return KeyedDecodingContainer(
        ProbeKeyed<NestedKey>(
          probe: child,
          onChange: {
            array.items = child.node.json
            outer?()
          }))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
      currentIndex += 1
      let child = probe.childProbe()
      let array = probe.node
      let outer = onChange
      let container = ProbeUnkeyed(
        probe: child,
        onChange: {
          array.items = child.node.json
          outer?()
        })
      array.items = child.node.json
      onChange?()
      return container
    }

    mutating func superDecoder() throws -> any Decoder { probe }
  }

  struct ProbeSingle: SingleValueDecodingContainer {
    let probe: SchemaProbe
    var codingPath: [any CodingKey] { probe.codingPath }

    func decodeNil() -> Bool {
      probe.node.nullable = true
      return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try probe.probeValue(type, into: probe.node) }
  }
}
