import Flows
import FlowscopeTUI
import Testing

@Suite struct InputValidationTests {
  let jokeSchema: JSONValue = [
    "type": "object",
    "properties": ["subject": ["type": "string"], "count": ["type": ["integer", "null"]]],
    "required": ["subject"],
    "additionalProperties": false,
  ]

  @Test func validInputHasNoDiagnostic() throws {
    #expect(InputValidation.validate(text: "{\"subject\": \"cats\", \"count\": 2}", schema: jokeSchema) == nil)
    #expect(try InputValidation.check(text: "{\"subject\": \"cats\"}", schema: jokeSchema).get() == ["subject": "cats"])
  }

  @Test func syntaxErrorReportsTheParsersPosition() throws {
    let text = "{\n  \"subject\": \"cats\"\n  \"count\": 2\n}"
    let diagnostic = try #require(InputValidation.validate(text: text, schema: jokeSchema))
    #expect(diagnostic.kind == .syntax)
    #expect(diagnostic.line == 3)
    #expect(diagnostic.column == 3)
    #expect(diagnostic.message.contains("expected"))
    #expect(EditorView.diagnosticLine(diagnostic) == "✖ line 3, col 3: \(diagnostic.message)")
  }

  @Test func syntaxErrorColumnCountsGraphemes() throws {
    // "e" + combining accent is two scalars but one column.
    let text = "[\"cafe\u{301}\" x]"
    let diagnostic = try #require(InputValidation.validate(text: text, schema: nil))
    #expect(diagnostic.line == 1)
    #expect(diagnostic.column == 9)
  }

  @Test func schemaViolationPointsAtTheValue() throws {
    let text = "{\n  \"count\": 1,\n  \"subject\": 42\n}"
    let diagnostic = try #require(InputValidation.validate(text: text, schema: jokeSchema))
    #expect(diagnostic.kind == .schema)
    #expect(diagnostic.message == "$.subject: expected string, got number")
    #expect(diagnostic.path == "$.subject")
    #expect(diagnostic.line == 3)
    #expect(diagnostic.column == 14)
  }

  @Test func nestedPathsAreFollowedThroughArrays() throws {
    let schema: JSONValue = [
      "type": "object",
      "properties": [
        "items": [
          "type": "array",
          "items": ["type": "object", "properties": ["qty": ["type": "integer"]]],
        ]
      ],
    ]
    let text = "{\"items\": [\n  {\"qty\": 1},\n  {\"note\": \"[x]\", \"qty\": \"two\"}\n]}"
    let diagnostic = try #require(InputValidation.validate(text: text, schema: schema))
    #expect(diagnostic.path == "$.items[1].qty")
    #expect(diagnostic.line == 3)
    #expect(diagnostic.column == 26)
  }

  @Test func missingPropertyPointsAtItsObject() throws {
    let diagnostic = try #require(InputValidation.validate(text: "\n  {\"count\": 1}", schema: jokeSchema))
    #expect(diagnostic.message == "$.subject: missing required property")
    #expect(diagnostic.line == 2)
    #expect(diagnostic.column == 3)
  }

  @Test func quotedKeysInPathsAreFound() throws {
    let schema: JSONValue = ["type": "object", "properties": ["odd key": ["type": "boolean"]]]
    let diagnostic = try #require(InputValidation.validate(text: "{\"odd key\": 1}", schema: schema))
    #expect(diagnostic.path == "$[\"odd key\"]")
    #expect(diagnostic.column == 13)
  }

  @Test func severalProblemsAreCounted() throws {
    let diagnostic = try #require(
      InputValidation.validate(text: "{\"count\": \"x\", \"extra\": 1}", schema: jokeSchema))
    #expect(diagnostic.additionalProblems == 2)
    #expect(EditorView.diagnosticLine(diagnostic).hasSuffix("(+2 more)"))
  }

  @Test func emptyInputNeedsASchemaThatAcceptsNull() throws {
    let diagnostic = try #require(InputValidation.validate(text: "  \n ", schema: jokeSchema))
    #expect(diagnostic.kind == .empty)
    #expect(EditorView.diagnosticLine(diagnostic) == "✖ input is empty")
    #expect(InputValidation.validate(text: "", schema: nil) == nil)
    #expect(InputValidation.validate(text: "", schema: ["type": ["string", "null"]]) == nil)
    #expect(try InputValidation.check(text: "", schema: nil).get() == .null)
  }

  @Test func plainStringSchema() throws {
    #expect(InputValidation.validate(text: "\"hello\"", schema: ["type": "string"]) == nil)
    let diagnostic = try #require(InputValidation.validate(text: "hello", schema: ["type": "string"]))
    #expect(diagnostic.kind == .syntax)
    #expect(diagnostic.column == 1)
  }
}
