/// A JSON document held in memory.
///
/// Objects keep their keys in insertion order (so a value prints the way it was written or declared).
/// Integers that fit `Int64` are kept exactly; other numbers are `Double`.
public enum JSONValue: Sendable {
  case null
  case bool(Bool)
  case integer(Int64)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)
}

/// An ordered JSON object: insertion-ordered keys.
///
/// Most objects are small (span attributes, request bodies, chat messages), so up to
/// `indexThreshold` keys are found by a linear scan, which is cheaper than hashing a string; a
/// larger object also keeps a dictionary from key to position. Iterating `entries` never looks a
/// key up.
public struct JSONObject: Sendable, Hashable {
  /// Key/value pairs in insertion order.
  public private(set) var entries: [(key: String, value: JSONValue)] = []
  /// Position of each key, kept only while there are more than `indexThreshold` keys.
  private var index: [String: Int]?

  /// The largest object searched without an index.
  static let indexThreshold = 16

  public init() {}

  /// An empty object with room for `capacity` keys (no regrowth while they are added).
  public init(minimumCapacity capacity: Int) {
    entries.reserveCapacity(capacity)
  }

  /// An object with `pairs` in order (a repeated key keeps its first position and its last value).
  public init(_ pairs: [(String, JSONValue)]) {
    entries.reserveCapacity(pairs.count)
    for (key, value) in pairs { self[key] = value }
  }

  public var count: Int { entries.count }
  public var isEmpty: Bool { entries.isEmpty }

  /// The keys in insertion order.
  public var keys: [String] { entries.map(\.key) }

  /// The value for `key`; assigning `nil` removes the key.
  public subscript(key: String) -> JSONValue? {
    get { position(of: key).map { entries[$0].value } }
    set {
      let position = position(of: key)
      switch (position, newValue) {
      case (let position?, let newValue?):
        entries[position].value = newValue
      case (nil, let newValue?):
        entries.append((key, newValue))
        if index != nil {
          index?[key] = entries.count - 1
        } else if entries.count > Self.indexThreshold {
          rebuildIndex()
        }
      case (let position?, nil):
        entries.remove(at: position)
        rebuildIndex()
      case (nil, nil):
        break
      }
    }
  }

  private func position(of key: String) -> Int? {
    if let index { return index[key] }
    return entries.firstIndex { $0.key == key }
  }

  private mutating func rebuildIndex() {
    guard entries.count > Self.indexThreshold else {
      index = nil
      return
    }
    var positions = [String: Int](minimumCapacity: entries.count)
    for (position, entry) in entries.enumerated() { positions[entry.key] = position }
    index = positions
  }

  /// Equal when both have the same keys with equal values, in any order.
  public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
    guard lhs.count == rhs.count else { return false }
    return lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
  }

  /// Independent of key order, like `==`.
  public func hash(into hasher: inout Hasher) {
    var combined = 0
    for entry in entries {
      var entryHasher = Hasher()
      entryHasher.combine(entry.key)
      entryHasher.combine(entry.value)
      combined ^= entryHasher.finalize()
    }
    hasher.combine(count)
    hasher.combine(combined)
  }
}

extension JSONValue: Hashable {
  public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
    switch (lhs, rhs) {
    case (.null, .null): return true
    case (.bool(let a), .bool(let b)): return a == b
    case (.integer(let a), .integer(let b)): return a == b
    case (.number(let a), .number(let b)): return a == b
    case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)): return Double(a) == b
    case (.string(let a), .string(let b)): return a == b
    case (.array(let a), .array(let b)): return a == b
    case (.object(let a), .object(let b)): return a == b
    default: return false
    }
  }

  public func hash(into hasher: inout Hasher) {
    switch self {
    case .null: hasher.combine(0)
    case .bool(let b): hasher.combine(b)
    case .integer(let i): hasher.combine(Double(i))
    case .number(let d): hasher.combine(d)
    case .string(let s): hasher.combine(s)
    case .array(let a): hasher.combine(a)
    case .object(let o): hasher.combine(o)
    }
  }
}

extension JSONValue {
  /// The JSON type name used in messages and JSON Schema: `null`, `boolean`, `integer`, `number`,
  /// `string`, `array` or `object`.
  public var typeName: String {
    switch self {
    case .null: return "null"
    case .bool: return "boolean"
    case .integer: return "integer"
    case .number(let d): return d.rounded() == d && abs(d) < 9.007e15 ? "integer" : "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }

  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  public subscript(index: Int) -> JSONValue? {
    if case .array(let a) = self, a.indices.contains(index) { return a[index] }
    return nil
  }

  public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
  public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
  public var objectValue: JSONObject? { if case .object(let o) = self { return o } else { return nil } }
  public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
  public var isNull: Bool { if case .null = self { return true } else { return false } }

  /// The value as a `Double`, for either kind of number.
  public var doubleValue: Double? {
    switch self {
    case .integer(let i): return Double(i)
    case .number(let d): return d
    default: return nil
    }
  }

  /// The value as an `Int64` when it is an integral number in range.
  public var int64Value: Int64? {
    switch self {
    case .integer(let i): return i
    case .number(let d): return d.rounded() == d && abs(d) < 9.2e18 ? Int64(d) : nil
    default: return nil
    }
  }
}

extension JSONValue: ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
  ExpressibleByDictionaryLiteral
{
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(integerLiteral value: Int64) { self = .integer(value) }
  public init(floatLiteral value: Double) { self = .number(value) }
  public init(stringLiteral value: String) { self = .string(value) }
  public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}

extension JSONValue: Codable {
  public init(from decoder: any Decoder) throws {
    if let direct = decoder as? JSONValueDecoderImpl {
      self = direct.value
      return
    }
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let b = try? container.decode(Bool.self) {
      self = .bool(b)
    } else if let i = try? container.decode(Int64.self) {
      self = .integer(i)
    } else if let d = try? container.decode(Double.self) {
      self = .number(d)
    } else if let s = try? container.decode(String.self) {
      self = .string(s)
    } else if let a = try? container.decode([JSONValue].self) {
      self = .array(a)
    } else if let o = try? container.decode([String: JSONValue].self) {
      self = .object(JSONObject(o.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
    } else {
      throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
    }
  }

  public func encode(to encoder: any Encoder) throws {
    if let direct = encoder as? JSONValueEncoderImpl {
      direct.storage = .value(self)
      return
    }
    var container = encoder.singleValueContainer()
    switch self {
    case .null: try container.encodeNil()
    case .bool(let b): try container.encode(b)
    case .integer(let i): try container.encode(i)
    case .number(let d): try container.encode(d)
    case .string(let s): try container.encode(s)
    case .array(let a): try container.encode(a)
    case .object(let o):
      var keyed = encoder.container(keyedBy: AnyCodingKey.self)
      for (k, v) in o.entries { try keyed.encode(v, forKey: AnyCodingKey(k)) }
    }
  }
}

/// A coding key made from any string or integer.
public struct AnyCodingKey: CodingKey, Sendable {
  public var stringValue: String
  public var intValue: Int?
  public init(_ string: String) { stringValue = string }
  public init?(stringValue: String) { self.stringValue = stringValue }
  public init?(intValue: Int) {
    self.stringValue = String(intValue)
    self.intValue = intValue
  }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
  public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}
