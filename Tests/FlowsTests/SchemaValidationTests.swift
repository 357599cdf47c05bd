import Flows
import FlowsTestSupport
import Testing

private func violations(_ schema: JSONValue, _ value: JSONValue, limit: Int = 20) -> [String] {
  SchemaValidator(schema: schema).validate(value, limit: limit).map(\.description)
}

@Suite struct SchemaValidationTests {
  let orderSchema: JSONValue

  init() throws {
    orderSchema = try JSONSchemaDerivation.schema(for: OrderInput.self)
  }

  private var validOrder: JSONValue {
    [
      "customer": "ann", "size": "small", "items": [["sku": "a", "qty": 1], ["sku": "b", "qty": 2]],
      "address": ["street": "Main"],
    ]
  }

  private func order(_ change: (inout JSONObject) -> Void) -> JSONValue {
    var object = validOrder.objectValue!
    change(&object)
    return .object(object)
  }

  @Test func validValueHasNoViolations() {
    #expect(violations(orderSchema, validOrder) == [])
    #expect(violations(orderSchema, order { $0["note"] = "hi" }) == [])
  }

  @Test func wrongType() {
    #expect(violations(orderSchema, order { $0["customer"] = 3 }) == ["$.customer: expected string, got number"])
    #expect(violations(orderSchema, order { $0["customer"] = 3.5 }) == ["$.customer: expected string, got number"])
    #expect(violations(orderSchema, order { $0["customer"] = true }) == ["$.customer: expected string, got boolean"])
    #expect(violations(orderSchema, order { $0["items"] = ["a": 1] }) == ["$.items: expected array, got object"])
    #expect(violations(orderSchema, "order") == ["$: expected object, got string"])
  }

  @Test func violationCarriesPathAndMessage() throws {
    let found = SchemaValidator(schema: orderSchema).validate(order { $0["customer"] = 3 })
    #expect(found == [SchemaViolation(path: "$.customer", message: "expected string, got number")])
    #expect(found.first?.description == "$.customer: expected string, got number")
  }

  @Test func missingRequiredProperty() {
    #expect(violations(orderSchema, order { $0["customer"] = nil }) == ["$.customer: missing required property"])
    #expect(
      violations(orderSchema, order { $0["address"] = [:] }) == ["$.address.street: missing required property"])
  }

  @Test func unknownPropertyListsTheAllowedOnes() {
    #expect(
      violations(orderSchema, order { $0["coupon"] = "FREE" })
        == ["$.coupon: unknown property (allowed: customer, size, items, address, note)"])
    #expect(
      violations(orderSchema, order { $0["address"] = ["street": "Main", "city": "X"] })
        == ["$.address.city: unknown property (allowed: street, zip)"])
    #expect(
      violations(["type": "object", "additionalProperties": false], ["x": 1]) == ["$.x: unknown property"])
  }

  @Test func enumValue() {
    #expect(
      violations(orderSchema, order { $0["size"] = "huge" })
        == [#"$.size: must be one of "small", "medium", "large", got "huge""#])
    #expect(violations(orderSchema, order { $0["size"] = 1 }) == ["$.size: expected string, got number"])
    #expect(violations(["enum": [1, "a", .null]], 2) == [#"$: must be one of 1, "a", null, got 2"#])
    #expect(violations(["enum": [1, 2]], 2.0) == [])
  }

  @Test func nestedArrayElementPath() {
    #expect(
      violations(orderSchema, order { $0["items"] = [["sku": "a", "qty": 1], ["sku": "b", "qty": "two"]] })
        == ["$.items[1].qty: expected integer, got string"])
    #expect(
      violations(orderSchema, order { $0["items"] = [["sku": "a", "qty": 1.5]] })
        == ["$.items[0].qty: expected integer, got number"])
    #expect(violations(orderSchema, order { $0["items"] = [["sku": "a", "qty": 2.0]] }) == [])
    #expect(
      violations(["type": "array", "items": ["type": "array", "items": ["type": "string"]]], [["a"], ["b", 1]]) == [
        "$[1][1]: expected string, got number"
      ])
  }

  @Test func nullForRequiredObject() {
    #expect(
      violations(orderSchema, order { $0["address"] = nil as JSONValue? }) == ["$.address: missing required property"])
    #expect(violations(orderSchema, order { $0["address"] = .null }) == ["$.address: expected object, got null"])
    #expect(violations(orderSchema, .null) == ["$: expected object, got null"])
  }

  @Test func violationsComeInDocumentOrderAndRespectTheLimit() {
    let bad = order {
      $0["customer"] = nil
      $0["size"] = "huge"
      $0["items"] = [["sku": 1, "qty": "x"]]
      $0["extra"] = true
    }
    let all = [
      "$.customer: missing required property",
      #"$.size: must be one of "small", "medium", "large", got "huge""#,
      "$.items[0].sku: expected string, got number",
      "$.items[0].qty: expected integer, got string",
      "$.extra: unknown property (allowed: customer, size, items, address, note)",
    ]
    #expect(violations(orderSchema, bad) == all)
    #expect(violations(orderSchema, bad, limit: 2) == Array(all.prefix(2)))
  }

  @Test func integerAndNumberTypes() {
    #expect(violations(["type": "integer"], 3) == [])
    #expect(violations(["type": "integer"], 3.0) == [])
    #expect(violations(["type": "integer"], 3.5) == ["$: expected integer, got number"])
    #expect(violations(["type": "number"], 3) == [])
    #expect(violations(["type": "number"], 3.5) == [])
    #expect(violations(["type": "number"], "3") == ["$: expected number, got string"])
    #expect(violations(["type": "boolean"], 1) == ["$: expected boolean, got number"])
  }

  @Test func typeListsAndNullable() {
    let nullable: JSONValue = ["type": ["string", "null"]]
    #expect(violations(nullable, "x") == [])
    #expect(violations(nullable, .null) == [])
    #expect(violations(nullable, 5) == ["$: expected string or null, got number"])
  }

  @Test func dictionarySchemasCheckEveryValue() {
    let counts: JSONValue = ["type": "object", "additionalProperties": ["type": "integer"]]
    #expect(violations(counts, ["a": 1, "b": 2]) == [])
    #expect(violations(counts, ["a": 1, "b c": "2"]) == [#"$["b c"]: expected integer, got string"#])
  }

  @Test func booleanSchemas() {
    #expect(violations(true, ["anything": [1]]) == [])
    #expect(violations(false, 1) == ["$: no value is allowed here"])
    #expect(violations(["type": "object", "properties": ["x": false]], ["x": 1]) == ["$.x: no value is allowed here"])
  }

  @Test func stringAndArrayBounds() {
    let name: JSONValue = ["type": "string", "minLength": 2, "maxLength": 3, "pattern": "^[a-z]+$"]
    #expect(violations(name, "ab") == [])
    #expect(violations(name, "a") == ["$: must be at least 2 characters long, got 1"])
    #expect(violations(name, "abcd") == ["$: must be at most 3 characters long, got 4"])
    #expect(violations(name, "AB") == ["$: must match pattern ^[a-z]+$"])
    #expect(violations(["minLength": 1], "") == ["$: must be at least 1 character long, got 0"])
    let list: JSONValue = ["type": "array", "minItems": 1, "maxItems": 2]
    #expect(violations(list, []) == ["$: must have at least 1 item, got 0"])
    #expect(violations(list, [1, 2, 3]) == ["$: must have at most 2 items, got 3"])
    #expect(
      violations(["type": "array", "items": [["type": "string"], ["type": "integer"]]], ["a", "b"]) == [
        "$[1]: expected integer, got string"
      ])
  }

  @Test func numericBounds() {
    let schema: JSONValue = ["type": "number", "minimum": 0, "maximum": 10]
    #expect(violations(schema, 0) == [])
    #expect(violations(schema, 10) == [])
    #expect(violations(schema, -1) == ["$: must be >= 0"])
    #expect(violations(schema, 10.5) == ["$: must be <= 10"])
    #expect(violations(["exclusiveMinimum": 0], 0) == ["$: must be > 0"])
    #expect(violations(["exclusiveMaximum": 1.5], 1.5) == ["$: must be < 1.5"])
    #expect(violations(["multipleOf": 5], 15) == [])
    #expect(violations(["multipleOf": 5], 12) == ["$: must be a multiple of 5"])
    #expect(violations(["multipleOf": 0.5], 1.25) == ["$: must be a multiple of 0.5"])
  }

  @Test func multipleOfToleratesBinaryFractions() {
    // 0.3 / 0.1 is 2.9999999999999996 in binary floating point; 0.3 is still a multiple of 0.1.
    #expect(violations(["multipleOf": 0.1], 0.3) == [])
    #expect(violations(["multipleOf": 0.01], 19.99) == [])
    #expect(violations(["multipleOf": 0.1], 0.35) == ["$: must be a multiple of 0.1"])
  }

  @Test func constAnyOfOneOfAllOfNot() {
    #expect(violations(["const": "x"], "x") == [])
    #expect(violations(["const": "x"], "y") == [#"$: must be "x", got "y""#])
    let stringOrNull: JSONValue = ["anyOf": [["type": "string", "minLength": 2], ["type": "null"]]]
    #expect(violations(stringOrNull, .null) == [])
    #expect(violations(stringOrNull, "x") == ["$: must be at least 2 characters long, got 1"])
    let scalar: JSONValue = ["anyOf": [["type": "string"], ["type": "integer"]]]
    #expect(violations(scalar, true) == ["$: expected string or integer, got boolean"])
    let mixed: JSONValue = ["anyOf": [["type": "string"], ["enum": [1]]]]
    #expect(violations(mixed, 2) == ["$: does not match any of the 2 allowed schemas (anyOf)"])
    let one: JSONValue = ["oneOf": [["type": "integer"], ["type": "number"]]]
    #expect(violations(one, 1.5) == [])
    #expect(violations(one, 1) == ["$: matches 2 schemas of oneOf, expected exactly one"])
    #expect(violations(["allOf": [["minimum": 1], ["maximum": 2]]], 3) == ["$: must be <= 2"])
    #expect(violations(["not": ["type": "string"]], "s") == ["$: must not match the schema in 'not'"])
    #expect(violations(["not": ["type": "string"]], 1) == [])
  }

  @Test func localReferences() {
    let schema: JSONValue = [
      "definitions": ["item": ["type": "object", "properties": ["n": ["type": "integer"]], "required": ["n"]]],
      "$defs": ["name": ["type": "string"]],
      "type": "object",
      "properties": ["item": ["$ref": "#/definitions/item"], "name": ["$ref": "#/$defs/name"]],
    ]
    #expect(violations(schema, ["item": ["n": 1], "name": "x"]) == [])
    #expect(
      violations(schema, ["item": [:], "name": 1]) == [
        "$.item.n: missing required property", "$.name: expected string, got number",
      ])
    // An unresolvable reference accepts anything.
    #expect(violations(["$ref": "#/definitions/missing"], 1) == [])
    // A recursive schema through "#" terminates.
    let tree: JSONValue = ["type": "object", "properties": ["kids": ["type": "array", "items": ["$ref": "#"]]]]
    #expect(
      violations(tree, ["kids": [["kids": []], ["kids": [["kids": "x"]]]]]) == [
        #"$.kids[1].kids[0].kids: expected array, got string"#
      ])
  }

  @Test func emptySchemaAcceptsEverything() {
    for value: JSONValue in [.null, 1, "s", [1], ["a": 1]] {
      #expect(violations([:], value) == [])
    }
  }
}
