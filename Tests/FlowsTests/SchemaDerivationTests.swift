import Flows
import FlowsTestSupport
import Foundation
import Testing

private let draft07 = "http://json-schema.org/draft-07/schema#"

private struct Numbers: Codable {
  var int: Int
  var int8: Int8
  var uint64: UInt64
  var double: Double
  var float: Float
  var decimal: Decimal
}

private struct Leaves: Codable {
  var date: Date
  var url: URL
  var id: UUID
  var data: Data
  var any: JSONValue
  var flag: Bool
}

private enum Level: Int, Codable, CaseIterable {
  case low = 1, high = 5
}

private struct WithEnums: Codable {
  var size: Size
  var level: Level
  var maybeSize: Size?
}

private struct Collections: Codable {
  var names: [String]
  var matrix: [[Double]]
  var optionals: [Int?]
  var unique: Set<String>
  var counts: [String: Int]
  var addressBook: [String: Address]
  var lines: [LineItem]
  var maybeList: [String]?
}

/// A type with a hand-picked schema (constraints derivation cannot see).
private struct Temperature: Codable, JSONSchemaProviding {
  var celsius: Double
  static var jsonSchema: JSONValue {
    ["type": "object", "properties": ["celsius": ["type": "number", "minimum": -273.15]], "required": ["celsius"]]
  }
}

private struct Reading: Codable {
  var station: String
  var temperature: Temperature
  var previous: Temperature?
}

/// Recursive through an array.
private struct Tree: Codable {
  var value: Int
  var children: [Tree]
}

/// Recursive through an optional reference.
private final class ListNode: Codable {
  var value: String
  var next: ListNode?
}

/// A hand-written decoder that reads a nested keyed container.
private struct Position: Decodable {
  var lat: Double
  var lng: Double
  var label: String?
  enum CodingKeys: String, CodingKey { case position, label }
  enum PositionKeys: String, CodingKey { case lat, lng }
  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let position = try container.nestedContainer(keyedBy: PositionKeys.self, forKey: .position)
    lat = try position.decode(Double.self, forKey: .lat)
    lng = try position.decode(Double.self, forKey: .lng)
    label = try container.decodeIfPresent(String.self, forKey: .label)
  }
}

/// A hand-written decoder that reads a nested unkeyed container.
private struct Polyline: Decodable {
  var points: [Double]
  enum CodingKeys: String, CodingKey { case points }
  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    var list = try container.nestedUnkeyedContainer(forKey: .points)
    var points: [Double] = []
    while !list.isAtEnd { points.append(try list.decode(Double.self)) }
    self.points = points
  }
}

/// A hand-written decoder for an array of objects read with nested keyed containers.
private struct Pairs: Decodable {
  var pairs: [(String, Int)]
  enum Keys: String, CodingKey { case name, count }
  init(from decoder: any Decoder) throws {
    var list = try decoder.unkeyedContainer()
    var pairs: [(String, Int)] = []
    while !list.isAtEnd {
      let item = try list.nestedContainer(keyedBy: Keys.self)
      pairs.append((try item.decode(String.self, forKey: .name), try item.decode(Int.self, forKey: .count)))
    }
    self.pairs = pairs
  }
}

private struct Empty: Codable {}

/// Every primitive optional: the standard library routes these through dedicated `decodeIfPresent`
/// overloads rather than the generic one.
private struct PrimitiveOptionals: Codable {
  var id: Int
  var string: String?
  var bool: Bool?
  var int: Int?
  var int8: Int8?
  var int16: Int16?
  var int32: Int32?
  var int64: Int64?
  var uint: UInt?
  var uint8: UInt8?
  var uint16: UInt16?
  var uint32: UInt32?
  var uint64: UInt64?
  var double: Double?
  var float: Float?
}

/// A hand-written decoder two nested containers deep, with an optional leaf at the bottom.
private struct Deep: Decodable {
  var value: Int
  enum Outer: String, CodingKey { case a }
  enum Middle: String, CodingKey { case b }
  enum Inner: String, CodingKey { case value, note }
  init(from decoder: any Decoder) throws {
    let a = try decoder.container(keyedBy: Outer.self).nestedContainer(keyedBy: Middle.self, forKey: .a)
    let b = try a.nestedContainer(keyedBy: Inner.self, forKey: .b)
    value = try b.decode(Int.self, forKey: .value)
    _ = try b.decodeIfPresent(String.self, forKey: .note)
  }
}

private func schema<T: Decodable>(_ type: T.Type) throws -> JSONValue {
  try JSONSchemaDerivation.schema(for: type)
}

/// The schema without `$schema`, compactly serialized (property order matters).
private func body<T: Decodable>(_ type: T.Type) throws -> String {
  var object = try #require(try schema(type).objectValue)
  #expect(object["$schema"] == .string(draft07))
  object["$schema"] = nil
  return JSONValue.object(object).serialized()
}

@Suite struct SchemaDerivationTests {
  @Test func nestedObjectWithOptionalArrayAndEnumMatchesExactly() throws {
    let derived = try schema(OrderInput.self)
    let expected = """
      {"type":"object","properties":{\
      "customer":{"type":"string"},\
      "size":{"type":"string","enum":["small","medium","large"]},\
      "items":{"type":"array","items":{"type":"object","properties":{"sku":{"type":"string"},"qty":{"type":"integer"}},"required":["sku","qty"],"additionalProperties":false}},\
      "address":{"type":"object","properties":{"street":{"type":"string"},"zip":{"type":"string"}},"required":["street"],"additionalProperties":false},\
      "note":{"type":"string"}},\
      "required":["customer","size","items","address"],\
      "additionalProperties":false,\
      "$schema":"http://json-schema.org/draft-07/schema#"}
      """
    #expect(derived.serialized() == expected)
  }

  @Test func integersAndNumbersAreDistinguished() throws {
    #expect(
      try body(Numbers.self)
        == #"{"type":"object","properties":{"int":{"type":"integer"},"int8":{"type":"integer"},"uint64":{"type":"integer"},"double":{"type":"number"},"float":{"type":"number"},"decimal":{"type":"number"}},"required":["int","int8","uint64","double","float","decimal"],"additionalProperties":false}"#
    )
  }

  @Test func leafFormats() throws {
    #expect(
      try body(Leaves.self)
        == #"{"type":"object","properties":{"date":{"type":"string","format":"date-time"},"url":{"type":"string","format":"uri"},"id":{"type":"string","format":"uuid"},"data":{"type":"string","contentEncoding":"base64"},"any":{},"flag":{"type":"boolean"}},"required":["date","url","id","data","any","flag"],"additionalProperties":false}"#
    )
  }

  @Test func enumsListRawValuesWithTheirType() throws {
    #expect(
      try body(WithEnums.self)
        == #"{"type":"object","properties":{"size":{"type":"string","enum":["small","medium","large"]},"level":{"type":"integer","enum":[1,5]},"maybeSize":{"type":"string","enum":["small","medium","large"]}},"required":["size","level"],"additionalProperties":false}"#
    )
  }

  @Test func collectionsAndDictionaries() throws {
    let address =
      #"{"type":"object","properties":{"street":{"type":"string"},"zip":{"type":"string"}},"required":["street"],"additionalProperties":false}"#
    let line =
      #"{"type":"object","properties":{"sku":{"type":"string"},"qty":{"type":"integer"}},"required":["sku","qty"],"additionalProperties":false}"#
    let expected =
      #"{"type":"object","properties":{"names":{"type":"array","items":{"type":"string"}},"matrix":{"type":"array","items":{"type":"array","items":{"type":"number"}}},"optionals":{"type":"array","items":{"type":["integer","null"]}},"unique":{"type":"array","items":{"type":"string"}},"counts":{"type":"object","additionalProperties":{"type":"integer"}},"addressBook":{"type":"object","additionalProperties":"#
      + address + #"},"lines":{"type":"array","items":"# + line
      + #"},"maybeList":{"type":"array","items":{"type":"string"}}},"required":["names","matrix","optionals","unique","counts","addressBook","lines"],"additionalProperties":false}"#
    #expect(try body(Collections.self) == expected)
  }

  @Test func topLevelShapes() throws {
    #expect(try schema(String.self) == ["type": "string", "$schema": .string(draft07)])
    #expect(try schema(Int.self) == ["type": "integer", "$schema": .string(draft07)])
    #expect(try schema(String?.self) == ["type": ["string", "null"], "$schema": .string(draft07)])
    #expect(try schema([Int].self) == ["type": "array", "items": ["type": "integer"], "$schema": .string(draft07)])
    #expect(
      try schema(Size.self) == ["type": "string", "enum": ["small", "medium", "large"], "$schema": .string(draft07)])
    #expect(
      try schema([String: Bool].self) == [
        "type": "object", "additionalProperties": ["type": "boolean"], "$schema": .string(draft07),
      ])
    #expect(try schema(JSONValue.self) == ["$schema": .string(draft07)])
    #expect(try schema(Address?.self)["type"] == ["object", "null"])
    // A struct without properties never asks for a container, so nothing constrains it (and decoding
    // accepts anything, too).
    #expect(try body(Empty.self) == "{}")
    #expect(throws: Never.self) { try JSONValueDecoder().decode(Empty.self, from: 5) }
  }

  @Test func schemaProvidingTypesOverrideDerivation() throws {
    #expect(try body(Temperature.self) == Temperature.jsonSchema.serialized())
    let reading = try schema(Reading.self)
    #expect(reading["properties"]?["temperature"] == Temperature.jsonSchema)
    #expect(reading["properties"]?["previous"] == Temperature.jsonSchema)
    #expect(reading["required"] == ["station", "temperature"])
  }

  @Test func handWrittenNestedKeyedContainersAreDescribed() throws {
    #expect(
      try body(Position.self)
        == #"{"type":"object","properties":{"position":{"type":"object","properties":{"lat":{"type":"number"},"lng":{"type":"number"}},"required":["lat","lng"],"additionalProperties":false},"label":{"type":"string"}},"required":["position"],"additionalProperties":false}"#
    )
  }

  @Test func primitiveOptionalsAreNotRequired() throws {
    let derived = try schema(PrimitiveOptionals.self)
    #expect(derived["required"] == ["id"])
    #expect(derived["properties"]?.objectValue?.keys.count == 15)
    #expect(derived["properties"]?["string"] == ["type": "string"])
    #expect(derived["properties"]?["bool"] == ["type": "boolean"])
    #expect(derived["properties"]?["uint8"] == ["type": "integer"])
    #expect(derived["properties"]?["float"] == ["type": "number"])
    // So a value with only the required property validates.
    #expect(SchemaValidator(schema: derived).validate(["id": 1]) == [])
  }

  @Test func deeplyNestedHandWrittenContainersReachTheTopLevelSchema() throws {
    #expect(
      try body(Deep.self)
        == #"{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"object","properties":{"value":{"type":"integer"},"note":{"type":"string"}},"required":["value"],"additionalProperties":false}},"required":["b"],"additionalProperties":false}},"required":["a"],"additionalProperties":false}"#
    )
  }

  @Test func handWrittenNestedUnkeyedContainersDescribeTheirItems() throws {
    #expect(
      try body(Polyline.self)
        == #"{"type":"object","properties":{"points":{"type":"array","items":{"type":"number"}}},"required":["points"],"additionalProperties":false}"#
    )
  }

  @Test func arrayElementsReadWithNestedKeyedContainersAreDescribed() throws {
    #expect(
      try body(Pairs.self)
        == #"{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"},"count":{"type":"integer"}},"required":["name","count"],"additionalProperties":false}}"#
    )
  }

  @Test func recursiveTypesThrowAFailure() throws {
    let treeError = try #require(throws: JSONSchemaDerivation.Failure.self) { try schema(Tree.self) }
    #expect(
      treeError.description.contains(
        "nests more than 24 levels (recursive type?); give it a JSONSchemaProviding schema"))
    let listError = try #require(throws: JSONSchemaDerivation.Failure.self) { try schema(ListNode.self) }
    #expect(
      listError.description
        == "ListNode nests more than 24 levels (recursive type?); give it a JSONSchemaProviding schema")
  }

  @Test func derivedSchemasAcceptEncodedValues() throws {
    let order = OrderInput(
      customer: "ann", size: .medium, items: [LineItem(sku: "a", qty: 2)], address: Address(street: "Main", zip: "1"),
      note: "ring twice")
    let validator = SchemaValidator(schema: try schema(OrderInput.self))
    #expect(validator.validate(try JSONValueEncoder().encode(order)) == [])
    var minimal = order
    minimal.note = nil
    minimal.address.zip = nil
    minimal.items = []
    #expect(validator.validate(try JSONValueEncoder().encode(minimal)) == [])
  }
}
