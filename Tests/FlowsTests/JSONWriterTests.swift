import Flows
import FlowsTestSupport
import Foundation
import Testing

@Suite struct JSONWriterTests {
  @Test func compactOutputKeepsInsertionOrder() {
    let value: JSONValue = ["b": 1, "a": [true, false, .null], "c": ["x": "y"], "d": 1.5, "e": [], "f": [:]]
    #expect(value.serialized() == #"{"b":1,"a":[true,false,null],"c":{"x":"y"},"d":1.5,"e":[],"f":{}}"#)
    #expect(value.description == value.serialized())
  }

  @Test func prettyPrintingIndentsByTwoSpaces() {
    let value: JSONValue = ["a": [1, 2], "b": [:], "c": [], "d": ["e": .null]]
    let expected = """
      {
        "a": [
          1,
          2
        ],
        "b": {},
        "c": [],
        "d": {
          "e": null
        }
      }
      """
    #expect(value.serialized(.prettyPrinted) == expected)
    #expect(JSONValue.array([]).serialized(.prettyPrinted) == "[]")
    #expect(JSONValue.string("x").serialized(.prettyPrinted) == #""x""#)
  }

  @Test func sortedKeysSortsEveryLevel() {
    let value: JSONValue = ["b": ["z": 1, "y": 2], "a": 0]
    #expect(value.serialized(JSONWriteOptions(sortedKeys: true)) == #"{"a":0,"b":{"y":2,"z":1}}"#)
    #expect(value.serialized() == #"{"b":{"z":1,"y":2},"a":0}"#)
    #expect(
      value.serialized(JSONWriteOptions(pretty: true, sortedKeys: true))
        == "{\n  \"a\": 0,\n  \"b\": {\n    \"y\": 2,\n    \"z\": 1\n  }\n}")
  }

  @Test func escapesQuotesBackslashesAndControlCharacters() {
    let value = JSONValue.string("q\"b\\n\nr\rt\tb\u{08}f\u{0C}c\u{01}\u{1F}del\u{7F}/")
    #expect(value.serialized() == #""q\"b\\n\nr\rt\tb\bf\fc\u0001\u001fdel\u007f/""#)
  }

  @Test func writesNonASCIIAsUTF8() {
    #expect(JSONValue.string("café 😀 日本").serialized() == "\"café 😀 日本\"")
    #expect(JSONValue.string("😀").serializedBytes() == [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22])
  }

  @Test func escapesObjectKeysToo() {
    let value: JSONValue = ["a\"b\n": 1]
    #expect(value.serialized() == #"{"a\"b\n":1}"#)
  }

  @Test(arguments: [
    (JSONValue.number(1.5), "1.5"),
    (.number(2.0), "2"),
    (.number(-3.0), "-3"),
    (.number(-0.0), "0"),
    (.number(0.1), "0.1"),
    (.number(1e20), "1e+20"),
    (.number(1.0e-7), "1e-07"),
    (.number(.infinity), "null"),
    (.number(-.infinity), "null"),
    (.number(.nan), "null"),
    (.integer(Int64.max), "9223372036854775807"),
    (.integer(Int64.min), "-9223372036854775808"),
    (.integer(0), "0"),
  ])
  func writesNumbers(value: JSONValue, text: String) throws {
    #expect(value.serialized() == text)
    if text != "null" {
      // Every written number parses back to an equal value.
      #expect(try JSONValue(parsing: text) == value)
    }
  }

  @Test func roundTripsThroughText() throws {
    let value: JSONValue = [
      "s": "line\nbreak \"quoted\" \u{1} 😀", "i": -12, "d": 3.25, "big": .number(1.2345678901234567e300),
      "n": .null, "b": true, "a": [[], [:], [1, [2, [3]]]], "o": ["nested": ["deeper": "yes"]],
    ]
    let compact = try JSONValue(parsing: value.serialized())
    #expect(compact == value)
    #expect(compact.serialized() == value.serialized())
    let pretty = try JSONValue(parsing: value.serialized(.prettyPrinted))
    #expect(pretty == value)
    #expect(try JSONValue(parsing: value.serializedBytes()) == value)
  }
}

@Suite struct JSONValueModelTests {
  @Test func literalsBuildTheExpectedCases() {
    let value: JSONValue = ["n": .null, "b": false, "i": 7, "d": 0.5, "s": "x", "a": [1]]
    #expect(value["n"] == .null)
    #expect(value["b"] == .bool(false))
    #expect(value["i"] == .integer(7))
    #expect(value["d"] == .number(0.5))
    #expect(value["s"] == .string("x"))
    #expect(value["a"] == .array([.integer(1)]))
    #expect(value["missing"] == nil)
    #expect(value[0] == nil)
    #expect(JSONValue.array([1, 2])[1] == 2)
    #expect(JSONValue.array([1, 2])[2] == nil)
    #expect(JSONValue.array([1, 2])[-1] == nil)
  }

  @Test func integerAndIntegralDoubleAreEqualAndHashAlike() {
    #expect(JSONValue.integer(3) == .number(3.0))
    #expect(JSONValue.number(3.0) == .integer(3))
    #expect(JSONValue.integer(3) != .number(3.5))
    #expect(JSONValue.integer(1) != .bool(true))
    #expect(JSONValue.string("1") != .integer(1))
    let set: Set<JSONValue> = [.integer(3), .number(3.0), .number(3.5)]
    #expect(set.count == 2)
  }

  @Test func objectEqualityIgnoresKeyOrder() {
    let a: JSONValue = ["x": 1, "y": 2]
    let b: JSONValue = ["y": 2, "x": 1]
    #expect(a == b)
    #expect(a.hashValue == b.hashValue)
    #expect(a.serialized() != b.serialized())
  }

  @Test func typeNames() {
    #expect(JSONValue.null.typeName == "null")
    #expect(JSONValue.bool(true).typeName == "boolean")
    #expect(JSONValue.integer(1).typeName == "integer")
    #expect(JSONValue.number(1.0).typeName == "integer")
    #expect(JSONValue.number(1.5).typeName == "number")
    #expect(JSONValue.number(1e300).typeName == "number")
    #expect(JSONValue.string("").typeName == "string")
    #expect(JSONValue.array([]).typeName == "array")
    #expect(JSONValue.object([:]).typeName == "object")
  }

  @Test func numericAccessors() {
    #expect(JSONValue.integer(5).doubleValue == 5.0)
    #expect(JSONValue.number(2.5).doubleValue == 2.5)
    #expect(JSONValue.string("5").doubleValue == nil)
    #expect(JSONValue.number(4.0).int64Value == 4)
    #expect(JSONValue.number(4.5).int64Value == nil)
    #expect(JSONValue.number(1e19).int64Value == nil)
    #expect(JSONValue.bool(true).int64Value == nil)
  }

  @Test func objectKeepsOrderOnUpdateAndRemovesOnNil() {
    var object = JSONObject()
    object["b"] = 1
    object["a"] = 2
    object["b"] = 3
    #expect(object.keys == ["b", "a"])
    #expect(object.count == 2)
    object["b"] = nil
    #expect(object.keys == ["a"])
    object["missing"] = nil
    #expect(object.keys == ["a"])
    object["b"] = 4
    #expect(object.keys == ["a", "b"])
    #expect(object.entries.map(\.key) == ["a", "b"])
    #expect(object.entries.map(\.value) == [2, 4])
    #expect(!object.isEmpty)
    #expect(JSONObject([("k", "v")]) == ["k": "v"])
  }
}
