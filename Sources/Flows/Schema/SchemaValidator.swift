import Foundation

/// One way a JSON value fails its schema, with the JSON path of the offending value.
public struct SchemaViolation: Sendable, Equatable, CustomStringConvertible {
  /// JSON path of the value, e.g. `$.items[2].qty`.
  public var path: String
  /// What is wrong, e.g. `expected string, got number`.
  public var message: String

  public init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  public var description: String { "\(path): \(message)" }
}

/// Validates JSON values against JSON Schema (draft-07 subset used by Genkit and derived schemas):
/// `type`, `properties`, `required`, `additionalProperties`, `items`, `enum`, `const`, `anyOf`, `oneOf`,
/// `allOf`, `not`, numeric and length bounds, `pattern`, and local `$ref`s (`#/definitions/…`, `#/$defs/…`).
public struct SchemaValidator: Sendable {
  public let schema: JSONValue

  public init(schema: JSONValue) { self.schema = schema }

  /// All violations, in document order (empty when the value is valid). At most `limit` are reported.
  public func validate(_ value: JSONValue, limit: Int = 20) -> [SchemaViolation] {
    var state = State(root: schema, limit: limit)
    state.check(value, against: schema, path: "$", depth: 0)
    return state.violations
  }

  struct State {
    let root: JSONValue
    let limit: Int
    var violations: [SchemaViolation] = []

    mutating func report(_ path: String, _ message: String) {
      if violations.count < limit { violations.append(SchemaViolation(path: path, message: message)) }
    }

    func resolve(_ ref: String) -> JSONValue? {
      guard ref.hasPrefix("#") else { return nil }
      var node = root
      for raw in ref.dropFirst().split(separator: "/") {
        let part = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        guard let next = node[part] else { return nil }
        node = next
      }
      return node
    }

    func matches(_ value: JSONValue, _ schema: JSONValue, depth: Int) -> Bool {
      var probe = State(root: root, limit: 1)
      probe.check(value, against: schema, path: "$", depth: depth)
      return probe.violations.isEmpty
    }

    static func typeMatches(_ value: JSONValue, _ type: String) -> Bool {
      switch type {
      case "integer": return value.typeName == "integer"
      case "number": return value.doubleValue != nil
      default: return value.typeName == type
      }
    }

    static func childPath(_ path: String, _ key: String) -> String {
      isPlainIdentifier(key) ? path + "." + key : path + "[" + JSONValue.string(key).serialized() + "]"
    }

    mutating func check(_ value: JSONValue, against schema: JSONValue, path: String, depth: Int) {
      guard depth < 64 else { return }
      if case .bool(let allowed) = schema {
        if !allowed { report(path, "no value is allowed here") }
        return
      }
      guard case .object(let s) = schema else { return }
      if let ref = s["$ref"]?.stringValue {
        if let target = resolve(ref) { check(value, against: target, path: path, depth: depth + 1) }
        return
      }

      if let type = s["type"] {
        let types = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
        if !types.isEmpty && !types.contains(where: { Self.typeMatches(value, $0) }) {
          let expected = types.joined(separator: " or ")
          let got = value.typeName == "integer" && !types.contains("integer") ? "number" : value.typeName
          report(path, "expected \(expected), got \(got)")
          return
        }
      }
      if let options = s["enum"]?.arrayValue, !options.contains(value) {
        let list = options.prefix(10).map { $0.serialized() }.joined(separator: ", ")
        report(path, "must be one of \(list), got \(value.serialized())")
      }
      if let constant = s["const"], constant != value {
        report(path, "must be \(constant.serialized()), got \(value.serialized())")
      }

      switch value {
      case .object(let object):
        checkObject(object, s, path: path, depth: depth)
      case .array(let array):
        if let items = s["items"] {
          if let tuple = items.arrayValue {
            for (i, (element, itemSchema)) in zip(array, tuple).enumerated() {
              check(element, against: itemSchema, path: "\(path)[\(i)]", depth: depth + 1)
            }
          } else {
            for (i, element) in array.enumerated() {
              check(element, against: items, path: "\(path)[\(i)]", depth: depth + 1)
            }
          }
        }
        if let min = s["minItems"]?.int64Value, array.count < min {
          report(path, "must have at least \(min) item\(min == 1 ? "" : "s"), got \(array.count)")
        }
        if let max = s["maxItems"]?.int64Value, array.count > max {
          report(path, "must have at most \(max) item\(max == 1 ? "" : "s"), got \(array.count)")
        }
      case .string(let string):
        let length = string.count
        if let min = s["minLength"]?.int64Value, length < min {
          report(path, "must be at least \(min) character\(min == 1 ? "" : "s") long, got \(length)")
        }
        if let max = s["maxLength"]?.int64Value, length > max {
          report(path, "must be at most \(max) character\(max == 1 ? "" : "s") long, got \(length)")
        }
        if let pattern = s["pattern"]?.stringValue, let regex = try? NSRegularExpression(pattern: pattern),
          regex.firstMatch(in: string, range: NSRange(string.startIndex..., in: string)) == nil
        {
          report(path, "must match pattern \(pattern)")
        }
      case .integer, .number:
        if let d = value.doubleValue { checkNumber(d, s, path: path) }
      default:
        break
      }

      if let all = s["allOf"]?.arrayValue {
        for sub in all { check(value, against: sub, path: path, depth: depth + 1) }
      }
      if let any = s["anyOf"]?.arrayValue, !any.contains(where: { matches(value, $0, depth: depth + 1) }) {
        reportAlternatives(value, any, path: path, depth: depth, keyword: "anyOf")
      }
      if let one = s["oneOf"]?.arrayValue {
        let count = one.filter { matches(value, $0, depth: depth + 1) }.count
        if count == 0 {
          reportAlternatives(value, one, path: path, depth: depth, keyword: "oneOf")
        } else if count > 1 {
          report(path, "matches \(count) schemas of oneOf, expected exactly one")
        }
      }
      if let not = s["not"], matches(value, not, depth: depth + 1) {
        report(path, "must not match the schema in 'not'")
      }
    }

    /// For a failed anyOf/oneOf, report the first alternative's own errors when there is a single
    /// non-null alternative (the common `T | null` case), else a summary of the accepted types.
    mutating func reportAlternatives(
      _ value: JSONValue, _ options: [JSONValue], path: String, depth: Int, keyword: String
    ) {
      let nonNull = options.filter { $0["type"]?.stringValue != "null" }
      if nonNull.count == 1, let only = nonNull.first {
        check(value, against: only, path: path, depth: depth + 1)
        return
      }
      let types = options.compactMap { $0["type"]?.stringValue }
      if types.count == options.count {
        report(path, "expected \(types.joined(separator: " or ")), got \(value.typeName)")
      } else {
        report(path, "does not match any of the \(options.count) allowed schemas (\(keyword))")
      }
    }

    mutating func checkObject(_ object: JSONObject, _ s: JSONObject, path: String, depth: Int) {
      let properties = s["properties"]?.objectValue ?? JSONObject()
      for case .string(let name) in s["required"]?.arrayValue ?? [] where object[name] == nil {
        report(Self.childPath(path, name), "missing required property")
      }
      for (key, child) in object.entries {
        let childPath = Self.childPath(path, key)
        if let propertySchema = properties[key] {
          check(child, against: propertySchema, path: childPath, depth: depth + 1)
        } else if let extra = s["additionalProperties"] {
          if case .bool(false) = extra {
            let known = properties.keys
            let hint = known.isEmpty ? "" : " (allowed: \(known.joined(separator: ", ")))"
            report(childPath, "unknown property\(hint)")
          } else {
            check(child, against: extra, path: childPath, depth: depth + 1)
          }
        }
      }
      if let min = s["minProperties"]?.int64Value, object.count < min {
        report(path, "must have at least \(min) properties")
      }
      if let max = s["maxProperties"]?.int64Value, object.count > max {
        report(path, "must have at most \(max) properties")
      }
    }

    mutating func checkNumber(_ d: Double, _ s: JSONObject, path: String) {
      func show(_ v: JSONValue) -> String { v.serialized() }
      if let min = s["minimum"], let m = min.doubleValue, d < m { report(path, "must be >= \(show(min))") }
      if let max = s["maximum"], let m = max.doubleValue, d > m { report(path, "must be <= \(show(max))") }
      if let min = s["exclusiveMinimum"], let m = min.doubleValue, d <= m { report(path, "must be > \(show(min))") }
      if let max = s["exclusiveMaximum"], let m = max.doubleValue, d >= m { report(path, "must be < \(show(max))") }
      if let multiple = s["multipleOf"], let step = multiple.doubleValue, step > 0 {
        // Decimal steps such as 0.1 are not exact in binary: allow for the rounding of the quotient.
        let quotient = d / step
        if abs(quotient - quotient.rounded()) > 1e-9 * Swift.max(1, abs(quotient)) {
          report(path, "must be a multiple of \(show(multiple))")
        }
      }
    }
  }
}
