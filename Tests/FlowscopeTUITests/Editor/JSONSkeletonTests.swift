import Flows
import FlowscopeTUI
import Testing

private struct JokeInput: Codable {
  var subject: String
  var count: Int?
}

private enum Mood: String, Codable, CaseIterable {
  case cheerful, grumpy
}

private struct Address: Codable {
  var city: String
  var zip: String?
}

private struct OrderInput: Codable {
  var note: String?
  var customer: String
  var mood: Mood
  var address: Address
  var tags: [String]
  var express: Bool
  var weight: Double
}

@Suite struct JSONSkeletonTests {
  @Test func derivedObjectSchemaListsRequiredThenOptional() throws {
    let schema = try JSONSchemaDerivation.schema(for: JokeInput.self)
    #expect(JSONSkeleton.make(schema: schema) == "{\n  \"subject\": \"\",\n  \"count\": 0\n}")
  }

  @Test func nestedObjectsEnumsArraysAndScalars() throws {
    let schema = try JSONSchemaDerivation.schema(for: OrderInput.self)
    let expected = """
      {
        "customer": "",
        "mood": "cheerful",
        "address": {
          "city": "",
          "zip": ""
        },
        "tags": [],
        "express": false,
        "weight": 0,
        "note": ""
      }
      """
    #expect(JSONSkeleton.make(schema: schema) == expected)
  }

  @Test func skeletonOfADerivedSchemaValidates() throws {
    let schema = try JSONSchemaDerivation.schema(for: OrderInput.self)
    #expect(InputValidation.validate(text: JSONSkeleton.make(schema: schema), schema: schema) == nil)
  }

  @Test func plainStringAndNoSchema() {
    #expect(JSONSkeleton.make(schema: ["type": "string"]) == "\"\"")
    #expect(JSONSkeleton.make(schema: nil) == "{}")
    #expect(JSONSkeleton.make(schema: [:]) == "{}")
    #expect(JSONSkeleton.make(schema: ["$schema": "http://json-schema.org/draft-07/schema#"]) == "{}")
    #expect(JSONSkeleton.make(schema: ["type": "integer"]) == "0")
  }

  @Test func defaultsExamplesAndMinimumsAreUsed() {
    let schema: JSONValue = [
      "type": "object",
      "properties": [
        "lang": ["type": "string", "default": "en"],
        "city": ["type": "string", "examples": ["Paris", "Rome"]],
        "count": ["type": "integer", "minimum": 1],
        "level": ["type": "string", "enum": ["low", "high"]],
      ],
    ]
    let value = JSONSkeleton.value(for: schema)
    #expect(value == ["lang": "en", "city": "Paris", "count": 1, "level": "low"])
  }

  @Test func arraysWithMinItemsGetOneItem() {
    let schema: JSONValue = [
      "type": "array", "minItems": 1,
      "items": ["type": "object", "properties": ["name": ["type": "string"]], "required": ["name"]],
    ]
    #expect(JSONSkeleton.make(schema: schema) == "[\n  {\n    \"name\": \"\"\n  }\n]")
  }

  @Test func refsAndAlternativesUseTheFirstNonNullOption() {
    let schema: JSONValue = [
      "type": "object",
      "properties": [
        "item": ["$ref": "#/definitions/Item"],
        "maybe": ["anyOf": [["type": "null"], ["type": "boolean"]]],
        "either": ["oneOf": [["type": "number"], ["type": "string"]]],
      ],
      "definitions": ["Item": ["type": "object", "properties": ["id": ["type": "integer"]]]],
    ]
    #expect(JSONSkeleton.value(for: schema) == ["item": ["id": 0], "maybe": false, "either": 0])
  }

  @Test func recursiveSchemasStopAtTheDepthLimit() {
    let schema: JSONValue = [
      "$ref": "#/definitions/Node",
      "definitions": [
        "Node": ["type": "object", "properties": ["child": ["$ref": "#/definitions/Node"]], "required": ["child"]]
      ],
    ]
    let text = JSONSkeleton.make(schema: schema)
    #expect(text.hasPrefix("{\n  \"child\": {"))
    #expect(text.filter { $0 == "{" }.count <= JSONSkeleton.maxDepth + 1)
  }
}
