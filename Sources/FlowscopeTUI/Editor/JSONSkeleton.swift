import Flows

/// A starting input for a flow: a pretty-printed JSON value shaped by its JSON Schema (draft-07).
///
/// Objects list all properties (required first, then optional, each group in declared order); strings
/// are `""`, numbers `0` (or their minimum), booleans `false`, arrays `[]` (one item when `minItems` ≥ 1).
/// `default`, `const`, the first `enum` value and `examples[0]` win, in that order. `$ref` is resolved
/// locally, and `anyOf`/`oneOf`/`allOf` use their first alternative that is not `null`.
public enum JSONSkeleton {
  /// Nesting deeper than this becomes an empty object or array.
  public static let maxDepth = 8

  /// The skeleton text for `schema`; `{}` when there is no schema or it accepts anything.
  public static func make(schema: JSONValue?) -> String {
    value(for: schema).serialized(.prettyPrinted)
  }

  /// The skeleton value for `schema`; an empty object when there is no schema or it accepts anything.
  public static func value(for schema: JSONValue?) -> JSONValue {
    guard let schema, !acceptsAnything(schema) else { return .object(JSONObject()) }
    return build(schema, root: schema, depth: 0)
  }

  static let constraintKeys = [
    "type", "properties", "items", "enum", "const", "$ref", "anyOf", "oneOf", "allOf", "default", "examples",
  ]

  static func acceptsAnything(_ schema: JSONValue) -> Bool {
    switch schema {
    case .bool(true): return true
    case .object(let s): return !constraintKeys.contains { s[$0] != nil }
    default: return false
    }
  }

  static func build(_ schema: JSONValue, root: JSONValue, depth: Int) -> JSONValue {
    guard depth <= maxDepth * 2, case .object(let s) = schema else { return .null }
    if let ref = s["$ref"]?.stringValue {
      guard let target = resolve(ref, in: root) else { return .null }
      return build(target, root: root, depth: depth + 1)
    }
    if let value = s["default"] ?? s["const"] { return value }
    if let options = s["enum"]?.arrayValue, let first = options.first(where: { !$0.isNull }) ?? options.first {
      return first
    }
    if let example = s["examples"]?.arrayValue?.first { return example }
    if let alternatives = (s["anyOf"] ?? s["oneOf"] ?? s["allOf"])?.arrayValue,
      let chosen = alternatives.first(where: { !isNullSchema($0) }) ?? alternatives.first
    {
      return build(chosen, root: root, depth: depth + 1)
    }
    switch primaryType(s) {
    case "object": return object(s, root: root, depth: depth)
    case "array": return array(s, root: root, depth: depth)
    case "string": return .string("")
    case "integer": return .integer(clampedZero(s)?.int64Value ?? 0)
    case "number": return clampedZero(s) ?? .integer(0)
    case "boolean": return .bool(false)
    default: return .null
    }
  }

  static func object(_ s: JSONObject, root: JSONValue, depth: Int) -> JSONValue {
    var out = JSONObject()
    guard depth < maxDepth else { return .object(out) }
    let properties = s["properties"]?.objectValue ?? JSONObject()
    let required = s["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
    let requiredSet = Set(required)
    let ordered =
      properties.keys.filter { requiredSet.contains($0) } + required.filter { properties[$0] == nil }
      + properties.keys.filter { !requiredSet.contains($0) }
    for key in ordered {
      out[key] = properties[key].map { build($0, root: root, depth: depth + 1) } ?? .null
    }
    return .object(out)
  }

  static func array(_ s: JSONObject, root: JSONValue, depth: Int) -> JSONValue {
    guard depth < maxDepth, let minItems = s["minItems"]?.int64Value, minItems >= 1, let items = s["items"] else {
      return .array([])
    }
    let itemSchema = items.arrayValue?.first ?? items
    return .array([build(itemSchema, root: root, depth: depth + 1)])
  }

  /// The first non-null type; `object`/`array` when only `properties`/`items` say so.
  static func primaryType(_ s: JSONObject) -> String? {
    let types = s["type"]?.arrayValue?.compactMap(\.stringValue) ?? [s["type"]?.stringValue].compactMap { $0 }
    if let type = types.first(where: { $0 != "null" }) ?? types.first { return type }
    if s["properties"] != nil { return "object" }
    if s["items"] != nil { return "array" }
    return nil
  }

  /// 0 moved into the `minimum`…`maximum` range, or `nil` when 0 is already inside it.
  static func clampedZero(_ s: JSONObject) -> JSONValue? {
    if let minimum = s["minimum"], let m = minimum.doubleValue, m > 0 { return minimum }
    if let maximum = s["maximum"], let m = maximum.doubleValue, m < 0 { return maximum }
    return nil
  }

  static func isNullSchema(_ schema: JSONValue) -> Bool {
    schema["type"]?.stringValue == "null"
  }

  /// The schema at a local reference such as `#/definitions/Item` or `#/$defs/Item`.
  static func resolve(_ ref: String, in root: JSONValue) -> JSONValue? {
    guard ref.hasPrefix("#") else { return nil }
    var node = root
    for raw in ref.dropFirst().split(separator: "/") {
      let part = String(raw).replacing("~1", with: "/").replacing("~0", with: "~")
      guard let next = node[part] else { return nil }
      node = next
    }
    return node
  }
}
