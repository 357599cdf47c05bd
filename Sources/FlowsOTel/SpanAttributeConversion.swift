import Flows
import Tracing

/// JSON attribute values (Genkit's attribute model) as OpenTelemetry attribute values.
enum SpanAttributeConversion {
  /// `value` as an OTel attribute: strings, booleans, integers and doubles as such; arrays of one
  /// primitive type as typed arrays (integers and doubles mixed become doubles); anything else
  /// (objects, nested or mixed arrays) as its compact JSON text; `null` as nothing. Strings longer
  /// than `lengthLimit` characters are cut to it, as OTel's attribute value length limit does.
  static func attribute(_ value: JSONValue, lengthLimit: Int?) -> SpanAttribute? {
    func cut(_ text: String) -> String {
      guard let lengthLimit, text.count > lengthLimit else { return text }
      return String(text.prefix(max(lengthLimit, 0)))
    }
    switch value {
    case .null: return nil
    case .bool(let bool): return .bool(bool)
    case .integer(let integer): return .int64(integer)
    case .number(let number): return .double(number)
    case .string(let string): return .string(cut(string))
    case .object: return .string(cut(value.serialized()))
    case .array(let elements):
      if let strings = all(elements, \.stringValue) { return .stringArray(strings.map(cut)) }
      if let bools = all(elements, \.boolValue) { return .boolArray(bools) }
      if let integers = all(
        elements,
        { element -> Int64? in
          if case .integer(let integer) = element { return integer }
          return nil
        })
      {
        return .int64Array(integers)
      }
      if let doubles = all(elements, \.doubleValue) { return .doubleArray(doubles) }
      return .string(cut(value.serialized()))
    }
  }

  /// Every element mapped, or nil when one does not map.
  static func all<T>(_ elements: [JSONValue], _ transform: (JSONValue) -> T?) -> [T]? {
    var result: [T] = []
    result.reserveCapacity(elements.count)
    for element in elements {
      guard let mapped = transform(element) else { return nil }
      result.append(mapped)
    }
    return result
  }

  /// An object's entries as OTel attributes (`null` entries left out).
  static func attributes(_ object: JSONObject, lengthLimit: Int?) -> SpanAttributes {
    var attributes = SpanAttributes()
    for (key, value) in object.entries {
      if let attribute = attribute(value, lengthLimit: lengthLimit) { attributes.set(key, value: attribute) }
    }
    return attributes
  }
}
