/// Values that travel with a run: auth and anything else a caller or an HTTP context provider supplies.
///
/// The context reaches nested steps and actions through Swift task-locals. It is recorded on the root
/// span as `genkit:metadata:context`, with `auth` and every value marked secret replaced by
/// `"<redacted>"`.
public struct ActionContext: Sendable, Equatable {
  /// Authentication data (for example decoded token claims). Always redacted in traces.
  public var auth: JSONValue?
  /// Other values by name.
  public private(set) var values: [String: JSONValue] = [:]
  /// Names of values that must never reach a trace.
  public private(set) var secretKeys: Set<String> = []

  public init(auth: JSONValue? = nil, values: [String: JSONValue] = [:]) {
    self.auth = auth
    self.values = values
  }

  /// The placeholder written in traces instead of a secret.
  public static let redactedMarker = "<redacted>"

  public subscript(key: String) -> JSONValue? { values[key] }

  /// Sets a value; `secret: true` keeps it out of every trace.
  public mutating func set(_ key: String, _ value: JSONValue, secret: Bool = false) {
    values[key] = value
    if secret { secretKeys.insert(key) } else { secretKeys.remove(key) }
  }

  /// Returns a copy with the value set (see `set(_:_:secret:)`).
  public func with(_ key: String, _ value: JSONValue, secret: Bool = false) -> ActionContext {
    var copy = self
    copy.set(key, value, secret: secret)
    return copy
  }

  /// Merges `other` over this context (other's values and auth win).
  public func merging(_ other: ActionContext) -> ActionContext {
    var merged = self
    if let auth = other.auth { merged.auth = auth }
    for (key, value) in other.values { merged.set(key, value, secret: other.secretKeys.contains(key)) }
    return merged
  }

  public var isEmpty: Bool { auth == nil && values.isEmpty }

  /// The context as recorded in traces, secrets redacted. Keys are sorted for stable output.
  public var redactedJSON: JSONValue {
    var object = JSONObject()
    if auth != nil { object["auth"] = .string(Self.redactedMarker) }
    for key in values.keys.sorted() {
      object[key] = secretKeys.contains(key) ? .string(Self.redactedMarker) : values[key]
    }
    return .object(object)
  }

  /// The context of the run the calling task is in (empty outside a run).
  public static var current: ActionContext { SpanInfo.current?.scope.context ?? ActionContext() }
}
