/// A type that states its own JSON Schema instead of having it derived from `Decodable`.
///
/// Use it for what derivation cannot see: constraints (`minLength`, `pattern`, ranges), descriptions,
/// enums that are not `CaseIterable`, or types with hand-written `init(from:)`.
///
/// ```swift
/// struct Temperature: Codable, JSONSchemaProviding {
///   var celsius: Double
///   static var jsonSchema: JSONValue {
///     ["type": "object", "properties": ["celsius": ["type": "number", "minimum": -273.15]],
///      "required": ["celsius"], "additionalProperties": false]
///   }
/// }
/// ```
public protocol JSONSchemaProviding {
  /// The JSON Schema (draft-07) for values of this type.
  static var jsonSchema: JSONValue { get }
}

/// The draft-07 meta-schema URI that Genkit puts on action schemas.
public let jsonSchemaDraft07 = "http://json-schema.org/draft-07/schema#"

/// Internal marker that lets schema derivation see the value type of `[String: V]` dictionaries.
protocol StringKeyedDictionaryMarker {
  static var valueType: any Decodable.Type { get }
}

extension Dictionary: StringKeyedDictionaryMarker where Key == String, Value: Decodable {
  static var valueType: any Decodable.Type { Value.self }
}

/// Internal marker for `Optional`, so a top-level or array-element optional becomes nullable.
protocol OptionalMarker {
  static var wrappedType: any Decodable.Type { get }
  static var nilValue: Self { get }
}

extension Optional: OptionalMarker where Wrapped: Decodable {
  static var wrappedType: any Decodable.Type { Wrapped.self }
  static var nilValue: Self { nil }
}
