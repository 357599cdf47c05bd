/// One-line, human-readable summaries of JSON Schemas: `{subject: string, count?: integer}`.
public enum SchemaSummary {
  /// A compact TypeScript-like description of `schema`, nesting up to `depth` levels.
  public static func describe(_ schema: JSONValue?, depth: Int = 2) -> String {
    guard let schema, case .object(let s) = schema, !s.isEmpty else { return "any" }
    if let options = s["enum"]?.arrayValue {
      return options.prefix(6).map { $0.serialized() }.joined(separator: " | ") + (options.count > 6 ? " | …" : "")
    }
    if let alternatives = (s["anyOf"] ?? s["oneOf"])?.arrayValue {
      let described = alternatives.map { describe($0, depth: depth) }
      let distinct = described.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
      return distinct.joined(separator: " | ")
    }
    if let ref = s["$ref"]?.stringValue { return ref.split(separator: "/").last.map(String.init) ?? ref }
    let types = s["type"]?.arrayValue?.compactMap(\.stringValue) ?? [s["type"]?.stringValue].compactMap { $0 }
    let nonNull = types.filter { $0 != "null" }
    let suffix = types.contains("null") ? " | null" : ""
    switch nonNull.first {
    case "object":
      guard let properties = s["properties"]?.objectValue, !properties.isEmpty else {
        if let values = s["additionalProperties"], case .object = values {
          return "{[key]: \(describe(values, depth: depth - 1))}" + suffix
        }
        return "object" + suffix
      }
      guard depth > 0 else { return "{…}" + suffix }
      let required = Set(s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [])
      let fields = properties.entries.map { entry in
        "\(entry.key)\(required.contains(entry.key) ? "" : "?"): \(describe(entry.value, depth: depth - 1))"
      }
      return "{" + fields.joined(separator: ", ") + "}" + suffix
    case "array":
      let items = describe(s["items"], depth: depth)
      let isUnion = items.contains(" | ")
      return (isUnion ? "(\(items))" : items) + "[]" + suffix
    case .some(let type):
      return ([type] + nonNull.dropFirst()).joined(separator: " | ") + suffix
    case .none:
      return types.contains("null") ? "null" : "any"
    }
  }
}
