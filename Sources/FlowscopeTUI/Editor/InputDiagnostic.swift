/// The first problem with the editor's input: where it is and what is wrong.
public struct InputDiagnostic: Error, Hashable, Sendable {
  /// What kind of problem it is.
  public enum Kind: Hashable, Sendable {
    /// The text is blank but the schema needs a value.
    case empty
    /// The text is not valid JSON.
    case syntax
    /// The JSON does not match the flow's input schema.
    case schema
  }

  /// What kind of problem it is.
  public var kind: Kind
  /// What is wrong: the parser's reason, or for schema problems `<JSON path>: <message>` such as
  /// `$.subject: expected string, got number`.
  public var message: String
  /// The line of the problem (1-based).
  public var line: Int
  /// The column of the problem in grapheme clusters (1-based).
  public var column: Int
  /// The JSON path of the offending value, for schema problems.
  public var path: String?
  /// How many further schema problems there are beyond this one.
  public var additionalProblems: Int

  /// A diagnostic at `line`/`column` (1-based).
  public init(
    kind: Kind, message: String, line: Int = 1, column: Int = 1, path: String? = nil, additionalProblems: Int = 0
  ) {
    self.kind = kind
    self.message = message
    self.line = max(line, 1)
    self.column = max(column, 1)
    self.path = path
    self.additionalProblems = max(additionalProblems, 0)
  }

  /// The 0-based position in the editor's text.
  public var position: TextPosition { TextPosition(line: line - 1, column: column - 1) }
}
