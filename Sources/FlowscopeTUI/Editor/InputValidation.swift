import Flows

/// Checks the editor's text before a run: JSON syntax first, then the flow's input schema.
public enum InputValidation {
  /// The message for blank input when the schema needs a value.
  public static let emptyMessage = "input is empty"

  /// The first problem with `text` as input for a flow with `schema`, or `nil` when it can be run.
  /// Blank text is fine (it means `null`) when there is no schema or the schema accepts `null`.
  public static func validate(text: String, schema: JSONValue?) -> InputDiagnostic? {
    if case .failure(let diagnostic) = check(text: text, schema: schema) { return diagnostic }
    return nil
  }

  /// The input value to run the flow with, or the first problem with `text`.
  public static func check(text: String, schema: JSONValue?) -> Result<JSONValue, InputDiagnostic> {
    let validator = schema.map(SchemaValidator.init(schema:))
    if text.allSatisfy(\.isWhitespace) {
      if let validator, !validator.validate(.null, limit: 1).isEmpty {
        return .failure(InputDiagnostic(kind: .empty, message: emptyMessage))
      }
      return .success(.null)
    }
    let value: JSONValue
    do {
      value = try JSONValue(parsing: text)
    } catch let error as JSONSyntaxError {
      let column = graphemeColumn(scalarColumn: error.column, line: error.line, in: text)
      return .failure(InputDiagnostic(kind: .syntax, message: error.reason, line: error.line, column: column))
    } catch {
      return .failure(InputDiagnostic(kind: .syntax, message: String(describing: error)))
    }
    guard let validator else { return .success(value) }
    let violations = validator.validate(value)
    guard let first = violations.first else { return .success(value) }
    let position = JSONPathLocator.position(ofPath: first.path, in: text)
    return .failure(
      InputDiagnostic(
        kind: .schema, message: first.description, line: position.line, column: position.column, path: first.path,
        additionalProblems: violations.count - 1))
  }

  /// Converts the parser's column (counted in Unicode scalars, 1-based) to grapheme clusters (1-based).
  static func graphemeColumn(scalarColumn: Int, line: Int, in text: String) -> Int {
    let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
    guard line >= 1, line <= lines.count else { return max(scalarColumn, 1) }
    var prefix = String.UnicodeScalarView()
    prefix.append(contentsOf: lines[line - 1].prefix(max(scalarColumn - 1, 0)))
    return String(prefix).count + 1
  }
}
