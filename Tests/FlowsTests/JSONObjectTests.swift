import Flows
import Testing

/// `JSONObject` searches small objects linearly and indexes large ones: both must behave the same.
@Suite struct JSONObjectTests {
  /// Sizes on both sides of the point where the object starts keeping an index.
  static let sizes = [0, 1, 15, 16, 17, 40, 300]

  static func object(keys count: Int) -> JSONObject {
    var object = JSONObject()
    for n in 0..<count { object["key\(n)"] = .integer(Int64(n)) }
    return object
  }

  @Test(arguments: sizes) func everyKeyIsFoundAndKeepsItsInsertionPosition(count: Int) {
    let object = Self.object(keys: count)
    #expect(object.count == count)
    #expect(object.keys == (0..<count).map { "key\($0)" })
    for n in 0..<count { #expect(object["key\(n)"] == .integer(Int64(n))) }
    #expect(object["key\(count)"] == nil)
    #expect(object["missing"] == nil)
  }

  @Test(arguments: sizes) func assigningAnExistingKeyReplacesItsValueInPlace(count: Int) {
    guard count > 1 else { return }
    var object = Self.object(keys: count)
    object["key0"] = "first"
    object["key\(count - 1)"] = "last"
    #expect(object.count == count)
    #expect(object.entries.first?.key == "key0")
    #expect(object.entries.first?.value == "first")
    #expect(object.entries.last?.value == "last")
    #expect(object["key\(count - 1)"] == "last")
  }

  @Test(arguments: sizes) func removingKeysKeepsTheOthersInOrderAndFindable(count: Int) {
    var object = Self.object(keys: count)
    var expected = (0..<count).map { "key\($0)" }
    for n in stride(from: 0, to: count, by: 3) {
      object["key\(n)"] = nil
      expected.removeAll { $0 == "key\(n)" }
    }
    object["never-there"] = nil
    #expect(object.keys == expected)
    for key in expected { #expect(object[key] != nil, "\(key)") }
    for n in stride(from: 0, to: count, by: 3) { #expect(object["key\(n)"] == nil) }
    // Keys added after removals land at the end and are found.
    object["added"] = true
    #expect(object.keys.last == "added")
    #expect(object["added"] == true)
  }

  @Test func shrinkingBelowTheIndexSizeAndGrowingAgainKeepsLookupsRight() {
    var object = Self.object(keys: 20)
    for n in 0..<18 { object["key\(n)"] = nil }
    #expect(object.keys == ["key18", "key19"])
    for n in 0..<30 { object["again\(n)"] = .integer(Int64(n)) }
    #expect(object.count == 32)
    #expect(object["key19"] == 19)
    #expect(object["again29"] == 29)
    #expect(object["key3"] == nil)
  }

  @Test func aRepeatedKeyInTheInitializerKeepsTheFirstPositionAndTheLastValue() {
    let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
    #expect(object.keys == ["a", "b"])
    #expect(object["a"] == 3)
  }

  @Test(arguments: [3, 40]) func equalityAndHashIgnoreKeyOrder(count: Int) {
    let forward = Self.object(keys: count)
    var backward = JSONObject()
    for n in (0..<count).reversed() { backward["key\(n)"] = .integer(Int64(n)) }
    #expect(forward == backward)
    #expect(forward.hashValue == backward.hashValue)
    var changed = backward
    changed["key0"] = "other"
    #expect(forward != changed)
    var longer = backward
    longer["extra"] = .null
    #expect(forward != longer)
    #expect(Set([JSONValue.object(forward), .object(backward), .object(changed)]).count == 2)
  }

  @Test func parsedDuplicateKeysKeepTheLastValueLikeJavaScript() throws {
    let small = try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#)
    #expect(small.objectValue?.keys == ["a", "b"])
    #expect(small["a"] == 3)
    let members = (0..<30).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
    let large = try JSONValue(parsing: "{" + members + #","k5":"again"}"#)
    #expect(large.objectValue?.count == 30)
    #expect(large["k5"] == "again")
    #expect(large.serialized().hasPrefix(#"{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":"again","k6":6"#))
  }
}
