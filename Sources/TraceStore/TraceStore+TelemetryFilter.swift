import Flows

/// A trace list filter in Genkit's telemetry-server syntax (`TraceQueryFilterSchema`):
/// `{"eq": {...}, "neq": {...}, "gt": {...}, "gte": {...}, "lt": {...}, "lte": {...}, "contains": {...}}`,
/// each a map from an index field to a value (or, for `eq`, `neq` and `contains`, an array of values).
///
/// Index fields, all taken from the trace's root span as Genkit's file trace store indexes them:
/// `id`, `type` (`genkit:metadata:subtype`, else `genkit:type`, else `UNKNOWN`), `name` (display
/// name), `start` and `end` (ms; `end` is absent while running), `status` (the root's
/// `status.code`: 0 ok, 2 error), `sessionId` (`genkit:metadata:agent:sessionId`) and every
/// `genkitx:*` attribute (as a string).
///
/// Matching follows Genkit (`isFilterMatch`): all conditions must hold; `neq` passes when the field
/// is absent; range operators need a numeric field; `contains` is a case-insensitive substring
/// match on a string field. Equality is slightly more lenient than Genkit's `===`: a number also
/// equals its decimal string (`2` and `"2"`) and a boolean its `"true"`/`"false"` spelling.
///
/// Unlike Genkit (whose schema silently drops unknown operators and matches nothing on unknown
/// fields), an unknown operator, an unknown field or a value of the wrong type is an error.
public struct TelemetryTraceFilter: Sendable, Equatable {
  /// A filter operator.
  public enum Operator: String, Sendable, CaseIterable {
    case eq, neq, gt, gte, lt, lte, contains

    /// True for the operators that compare numbers.
    var isRange: Bool { self == .gt || self == .gte || self == .lt || self == .lte }
  }

  /// One condition: `field <operator> any of values`.
  public struct Condition: Sendable, Equatable {
    public var op: Operator
    public var field: String
    /// Scalars (string, number or boolean); more than one only for `eq`, `neq` and `contains`.
    public var values: [JSONValue]

    /// A condition.
    public init(_ op: Operator, _ field: String, _ values: [JSONValue]) {
      self.op = op
      self.field = field
      self.values = values
    }
  }

  /// The fields Genkit indexes besides `genkitx:*` labels.
  public static let indexFields: Set<String> = ["id", "type", "name", "start", "end", "status", "sessionId"]

  /// The conditions, all of which must hold.
  public var conditions: [Condition]

  /// A filter from conditions (no validation).
  public init(conditions: [Condition] = []) {
    self.conditions = conditions
  }

  /// Parses the filter JSON text (the `filter` query parameter of `GET /api/traces`).
  public init(parsing text: String) throws(TelemetryFilterError) {
    let json: JSONValue
    do {
      json = try JSONValue(parsing: text)
    } catch {
      throw TelemetryFilterError(description: "filter is not valid JSON: \(error)")
    }
    try self.init(json: json)
  }

  /// Reads and validates a filter object.
  public init(json: JSONValue) throws(TelemetryFilterError) {
    guard case .object(let root) = json else {
      throw TelemetryFilterError(description: "filter must be a JSON object, got \(json.typeName)")
    }
    var conditions: [Condition] = []
    for (name, body) in root.entries {
      guard let op = Operator(rawValue: name) else {
        let known = Operator.allCases.map(\.rawValue).joined(separator: ", ")
        throw TelemetryFilterError(description: "unknown filter operator '\(name)' (expected one of \(known))")
      }
      guard case .object(let fields) = body else {
        throw TelemetryFilterError(description: "filter '\(name)' must be an object of field: value")
      }
      for (field, value) in fields.entries {
        guard Self.isKnownField(field) else {
          throw TelemetryFilterError(
            description:
              "unknown filter field '\(field)' (expected id, type, name, start, end, status, sessionId or genkitx:*)"
          )
        }
        conditions.append(Condition(op, field, try Self.values(value, for: op, field: field)))
      }
    }
    self.init(conditions: conditions)
  }

  /// True for the index fields and `genkitx:*` labels.
  public static func isKnownField(_ field: String) -> Bool {
    indexFields.contains(field) || (field.hasPrefix("genkitx:") && field.count > "genkitx:".count)
  }

  private static func values(_ value: JSONValue, for op: Operator, field: String) throws(TelemetryFilterError)
    -> [JSONValue]
  {
    let list: [JSONValue]
    if case .array(let array) = value {
      guard !op.isRange else {
        throw TelemetryFilterError(description: "filter '\(op.rawValue).\(field)' takes one number, not an array")
      }
      list = array
    } else {
      list = [value]
    }
    for item in list where !isAccepted(item, by: op) {
      let expected = op.isRange ? "a number" : "a string, number or boolean"
      throw TelemetryFilterError(
        description: "filter '\(op.rawValue).\(field)' must be \(expected), got \(item.typeName)")
    }
    return list
  }

  private static func isAccepted(_ value: JSONValue, by op: Operator) -> Bool {
    switch value {
    case .integer, .number: return true
    case .string, .bool: return !op.isRange
    default: return false
    }
  }

  /// True when every condition holds for a trace's index fields.
  public func matches(_ fields: [String: JSONValue]) -> Bool {
    conditions.allSatisfy { Self.holds($0, fields[$0.field]) }
  }

  static func holds(_ condition: Condition, _ value: JSONValue?) -> Bool {
    switch condition.op {
    case .eq:
      guard let value else { return false }
      return condition.values.contains { looselyEqual(value, $0) }
    case .neq:
      guard let value else { return true }
      return !condition.values.contains { looselyEqual(value, $0) }
    case .gt, .gte, .lt, .lte:
      guard let number = value?.doubleValue, let bound = condition.values.first?.doubleValue else { return false }
      switch condition.op {
      case .gt: return number > bound
      case .gte: return number >= bound
      case .lt: return number < bound
      default: return number <= bound
      }
    case .contains:
      guard let text = value?.stringValue?.lowercased() else { return false }
      return condition.values.contains { text.contains(scalarText($0).lowercased()) }
    }
  }

  static func looselyEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
    if a == b { return true }
    switch (a, b) {
    case (.string, .string): return false
    case (.string(let text), _): return text == scalarText(b)
    case (_, .string(let text)): return scalarText(a) == text
    default: return false
    }
  }

  /// A scalar as JavaScript's template literal would print it (`2`, `2.5`, `true`, `text`).
  static func scalarText(_ value: JSONValue) -> String {
    switch value {
    case .string(let text): return text
    case .bool(let flag): return flag ? "true" : "false"
    case .integer(let number): return String(number)
    case .number(let number):
      if number.rounded() == number, abs(number) < 9e15 { return String(Int64(number)) }
      return String(number)
    case .null: return "null"
    case .array, .object: return value.serialized()
    }
  }

  /// The Genkit index fields of a trace, from its root span (see the type's documentation).
  public static func indexFields(traceId: String, root: SpanData) -> [String: JSONValue] {
    var fields: [String: JSONValue] = ["id": .string(traceId)]
    let attributes = root.attributes
    let subtype = attributes["genkit:metadata:subtype"].map(scalarText) ?? ""
    let type = attributes["genkit:type"].map(scalarText) ?? ""
    fields["type"] = .string(!subtype.isEmpty ? subtype : (!type.isEmpty ? type : "UNKNOWN"))
    if root.startTime != 0 { fields["start"] = .number(root.startTime) }
    if !root.displayName.isEmpty {
      fields["name"] = .string(root.displayName)
      fields["status"] = root.status.map { .integer(Int64($0.code)) } ?? .string("UNKNOWN")
    }
    if root.endTime != 0 { fields["end"] = .number(root.endTime) }
    if let session = attributes["genkit:metadata:agent:sessionId"], !session.isNull {
      fields["sessionId"] = .string(scalarText(session))
    }
    for (key, value) in attributes.entries where key.hasPrefix("genkitx:") {
      fields[key] = .string(scalarText(value))
    }
    return fields
  }
}

/// A `TelemetryTraceFilter` that cannot be parsed or uses an unknown operator or field.
public struct TelemetryFilterError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, for the 400 response.
  public var description: String

  /// An error with a message.
  public init(description: String) {
    self.description = description
  }
}
