import Flows
import FlowsTestSupport
import Foundation
import Testing

private struct Everything: Codable, Equatable {
  var name: String
  var count: Int
  var ratio: Double
  var flag: Bool
  var small: UInt8
  var wide: Int64
  var float: Float
  var when: Date
  var blob: Data
  var link: URL
  var grid: [[Int]]
  var tags: Set<String>
  var scores: [String: Int]
  var nested: Address
  var size: Size
  var maybe: String?
  var maybeNumber: Int?
  var raw: JSONValue
}

private struct Order: Codable, Equatable {
  var items: [LineItem]
}

private struct Renamed: Codable, Equatable {
  var value: Int
  enum CodingKeys: String, CodingKey { case value = "my-value" }
}

private struct Wrapper<T: Codable & Equatable>: Codable, Equatable {
  var inner: T
}

/// Decodes `type` from `value`, requiring a `DecodingError`, and returns its path message.
private func decodingMessage<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws -> String {
  do {
    let decoded = try JSONValueDecoder().decode(type, from: value)
    Issue.record("expected a decoding error, decoded \(decoded)")
    return ""
  } catch let error as DecodingError {
    return error.pathMessage
  }
}

@Suite struct JSONCodingTests {
  fileprivate static let sample = Everything(
    name: "widget", count: 3, ratio: 0.25, flag: true, small: 200, wide: Int64.max, float: 1.5,
    when: Date(timeIntervalSince1970: 1_700_000_000.5), blob: Data([0, 1, 2, 255]),
    link: URL(string: "https://example.com/a?b=c")!, grid: [[1, 2], [], [3]], tags: ["x"], scores: ["a": 1],
    nested: Address(street: "Main", zip: nil), size: .large, maybe: nil, maybeNumber: 4, raw: ["any": [1, "two"]])

  @Test func encodesToTheDocumentedShapes() throws {
    let json = try JSONValueEncoder().encode(Self.sample)
    let expected: JSONValue = [
      "name": "widget", "count": 3, "ratio": 0.25, "flag": true, "small": 200, "wide": .integer(Int64.max),
      "float": 1.5, "when": "2023-11-14T22:13:20.500Z", "blob": "AAEC/w==", "link": "https://example.com/a?b=c",
      "grid": [[1, 2], [], [3]], "tags": ["x"], "scores": ["a": 1], "nested": ["street": "Main"], "size": "large",
      "maybeNumber": 4, "raw": ["any": [1, "two"]],
    ]
    #expect(json == expected)
    // Declaration order is kept and nil optionals are omitted, not written as null.
    #expect(
      json.objectValue?.keys == [
        "name", "count", "ratio", "flag", "small", "wide", "float", "when", "blob", "link", "grid", "tags",
        "scores", "nested", "size", "maybeNumber", "raw",
      ])
    #expect(json["nested"]?.objectValue?.keys == ["street"])
    guard case .integer = json["count"], case .number = json["ratio"] else {
      Issue.record("Int must encode as an integer and Double as a number")
      return
    }
  }

  @Test func roundTripsThroughTheDecoder() throws {
    let json = try JSONValueEncoder().encode(Self.sample)
    #expect(try JSONValueDecoder().decode(Everything.self, from: json) == Self.sample)
    // And through text.
    let reparsed = try JSONValue(parsing: json.serialized())
    #expect(try JSONValueDecoder().decode(Everything.self, from: reparsed) == Self.sample)
  }

  @Test func nilOptionalsAreOmittedAndNullDecodesAsNil() throws {
    let address = Address(street: "Elm", zip: nil)
    #expect(try JSONValueEncoder().encode(address).serialized() == #"{"street":"Elm"}"#)
    #expect(try JSONValueDecoder().decode(Address.self, from: ["street": "Elm", "zip": .null]) == address)
    #expect(try JSONValueDecoder().decode(Address.self, from: ["street": "Elm"]) == address)
    #expect(
      try JSONValueEncoder().encode(Address(street: "Elm", zip: "12345")).serialized()
        == #"{"street":"Elm","zip":"12345"}"#)
  }

  @Test func datesAreISO8601WithFractionalSeconds() throws {
    let date = Date(timeIntervalSince1970: 0.25)
    #expect(try JSONValueEncoder().encode(date) == "1970-01-01T00:00:00.250Z")
    #expect(try JSONValueDecoder().decode(Date.self, from: "1970-01-01T00:00:00.250Z") == date)
    // Without fractional seconds, and as epoch seconds, too.
    #expect(
      try JSONValueDecoder().decode(Date.self, from: "2023-11-14T22:13:20Z")
        == Date(timeIntervalSince1970: 1_700_000_000))
    #expect(try JSONValueDecoder().decode(Date.self, from: 1_700_000_000) == Date(timeIntervalSince1970: 1_700_000_000))
    #expect(try JSONValueDecoder().decode(Date.self, from: 1.5) == Date(timeIntervalSince1970: 1.5))
    #expect(
      try decodingMessage(Wrapper<Date>.self, ["inner": "yesterday"])
        == #"$.inner: expected an ISO-8601 date-time, got "yesterday""#)
    #expect(
      try decodingMessage(Wrapper<Date>.self, ["inner": true]) == "$.inner: expected string (date-time), got boolean")
  }

  @Test func recordedJSONOfAKnownTypeMatchesTheEncoder() throws {
    func same<Value: Encodable & Sendable>(_ value: Value) throws -> Bool {
      try RecordedValue.json(of: value) == JSONValueEncoder().encode(value)
    }
    // The leaf types' shortcut and the general path agree.
    #expect(RecordedValue.json(of: 42) == .integer(42))
    #expect(RecordedValue.json(of: -0.5) == .number(-0.5))
    #expect(RecordedValue.json(of: "a\"b") == .string("a\"b"))
    #expect(RecordedValue.json(of: false) == .bool(false))
    #expect(RecordedValue.json(of: ["k": [1, .null]] as JSONValue) == ["k": [1, .null]])
    #expect(try same(Int.min))
    #expect(try same(Double.pi))
    #expect(try same("línea\n"))
    #expect(try same(Int8(-5)))
    #expect(try same([1, 2]))
    #expect(try same(Size.small))
    #expect(try same(Address(street: "Main", zip: "1")))
  }

  @Test func topLevelScalarsAndCollections() throws {
    let encoder = JSONValueEncoder()
    #expect(try encoder.encode(5) == .integer(5))
    #expect(try encoder.encode("s") == "s")
    #expect(try encoder.encode(true) == true)
    #expect(try encoder.encode(Int?.none) == .null)
    #expect(try encoder.encode([1, 2]) == [1, 2])
    #expect(try encoder.encode(UInt64.max) == .number(18_446_744_073_709_551_615.0))
    #expect(try encoder.encode(Int8(-5)) == -5)
    #expect(try encoder.encode(any: Size.small as any Encodable) == "small")
    let decoder = JSONValueDecoder()
    #expect(try decoder.decode(Int.self, from: 5) == 5)
    #expect(try decoder.decode(Int.self, from: .number(5.0)) == 5)
    #expect(try decoder.decode(Double.self, from: 5) == 5.0)
    #expect(try decoder.decode(Int?.self, from: .null) == nil)
    #expect(try decoder.decode([Int?].self, from: [1, .null, 3]) == [1, nil, 3])
    #expect(try decoder.decode([String: [Int]].self, from: ["a": [1], "b": []]) == ["a": [1], "b": []])
    #expect(try decoder.decode(JSONValue.self, from: ["k": [1, .null]]) == ["k": [1, .null]])
    #expect(try decoder.decode(Decimal.self, from: 2.5) == Decimal(2.5))
    #expect(try decoder.decode(Float.self, from: 0.5) == 0.5)
  }

  @Test func nestedArraysRoundTrip() throws {
    let cube: [[[Int]]] = [[[1], [2, 3]], [], [[]]]
    let json = try JSONValueEncoder().encode(cube)
    #expect(json.serialized() == "[[[1],[2,3]],[],[[]]]")
    #expect(try JSONValueDecoder().decode([[[Int]]].self, from: json) == cube)
  }

  @Test func intKeyedDictionariesUseStringKeys() throws {
    let json = try JSONValueEncoder().encode([7: "seven"])
    #expect(json == ["7": "seven"])
    #expect(try JSONValueDecoder().decode([Int: String].self, from: json) == [7: "seven"])
  }

  @Test func customCodingKeysAreUsed() throws {
    #expect(try JSONValueEncoder().encode(Renamed(value: 1)) == ["my-value": 1])
    #expect(try decodingMessage(Renamed.self, ["my-value": "x"]) == #"$["my-value"]: expected integer, got string"#)
  }

  @Test func typeMismatchMessagesNameTheJSONPath() throws {
    let order: JSONValue = ["items": [["sku": "a", "qty": 1], ["sku": "b", "qty": "two"]]]
    #expect(try decodingMessage(Order.self, order) == "$.items[1].qty: expected integer, got string")
    #expect(try decodingMessage(Order.self, ["items": [["sku": "a"]]]) == "$.items[0].qty: missing required property")
    #expect(try decodingMessage(Order.self, ["items": ["sku"]]) == "$.items[0]: expected object, got string")
    #expect(try decodingMessage(Order.self, ["items": .null]) == "$.items: expected array, got null")
    #expect(try decodingMessage(Order.self, [1]) == "$: expected object, got array")
    #expect(try decodingMessage(LineItem.self, ["sku": 1, "qty": 1]) == "$.sku: expected string, got number")
    #expect(try decodingMessage(LineItem.self, ["sku": "a", "qty": 1.5]) == "$.qty: expected integer, got number 1.5")
    #expect(try decodingMessage(LineItem.self, ["sku": "a", "qty": true]) == "$.qty: expected integer, got boolean")
    #expect(try decodingMessage([[Int]].self, [[1], [2, "x"]]) == "$[1][1]: expected integer, got string")
    #expect(try decodingMessage(Wrapper<UInt8>.self, ["inner": 300]) == "$.inner: 300 is out of range for UInt8")
    #expect(try decodingMessage(Wrapper<Bool>.self, ["inner": 0]) == "$.inner: expected boolean, got number")
    #expect(try decodingMessage(Wrapper<Bool>.self, ["inner": 0.5]) == "$.inner: expected boolean, got number")
    #expect(try decodingMessage(Wrapper<Int>.self, ["inner": .null]) == "$.inner: expected integer, got null")
    #expect(try decodingMessage(Wrapper<Double>.self, ["inner": "1"]) == "$.inner: expected number, got string")
    #expect(
      try decodingMessage(Wrapper<Size>.self, ["inner": "huge"])
        == "$.inner: Cannot initialize Size from invalid String value huge")
    #expect(try decodingMessage(Wrapper<Data>.self, ["inner": "!!"]) == "$.inner: invalid base64")
  }

  @Test func jsonPathFormatsKeysAndIndexes() {
    #expect(jsonPath([]) == "$")
    #expect(jsonPath([AnyCodingKey("a"), AnyCodingKey(intValue: 2)!, AnyCodingKey("b_c$1")]) == "$.a[2].b_c$1")
    #expect(jsonPath([AnyCodingKey("first name")]) == #"$["first name"]"#)
    #expect(jsonPath([AnyCodingKey("1st")]) == #"$["1st"]"#)
    #expect(jsonPath([AnyCodingKey("with\"quote")]) == #"$["with\"quote"]"#)
    #expect(jsonPath([AnyCodingKey("")]) == #"$[""]"#)
  }

  @Test func jsonValueCodableWorksWithFoundationCoders() throws {
    let value: JSONValue = ["s": "x", "i": 1, "d": 1.5, "b": false, "n": .null, "a": [1, "2"], "o": ["k": "v"]]
    let data = try JSONEncoder().encode(value)
    let decoded = try JSONDecoder().decode(JSONValue.self, from: data)
    #expect(decoded == value)
    guard case .integer(1) = decoded["i"], case .bool(false) = decoded["b"] else {
      Issue.record("integers and booleans must survive Foundation coding: \(decoded)")
      return
    }
    // Values inside other Codable types go through the fast path of our own coders.
    let wrapped = Wrapper(inner: value)
    #expect(try JSONValueDecoder().decode(Wrapper<JSONValue>.self, from: JSONValueEncoder().encode(wrapped)) == wrapped)
  }

  @Test func classHierarchiesUsingSuperEncoderRoundTrip() throws {
    let dog = Dog(name: "Rex", breed: "collie")
    let json = try JSONValueEncoder().encode(dog)
    #expect(json == ["breed": "collie", "super": ["name": "Rex"]])
    let decoded = try JSONValueDecoder().decode(Dog.self, from: json)
    #expect(decoded.name == "Rex")
    #expect(decoded.breed == "collie")
  }
}

private class Animal: Codable {
  var name: String
  init(name: String) { self.name = name }
}

private final class Dog: Animal {
  var breed: String
  init(name: String, breed: String) {
    self.breed = breed
    super.init(name: name)
  }
  enum CodingKeys: String, CodingKey { case breed }
  required init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    breed = try container.decode(String.self, forKey: .breed)
    try super.init(from: container.superDecoder())
  }
  override func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(breed, forKey: .breed)
    try super.encode(to: container.superEncoder())
  }
}
