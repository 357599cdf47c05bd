import Flows

/// The body of `POST /api/runAction`: `{key, input?, init?, context?, telemetryLabels?, runtimeId?}`.
///
/// `init` (bidi/agent sessions) and `runtimeId` are accepted and ignored. `context` becomes the
/// run's `ActionContext` (its `auth` member the context's auth); `telemetryLabels` are recorded on
/// the root span as-is (non-string values as their JSON text).
struct ReflectionRunRequest {
  var key: String
  var input: JSONValue
  var context: ActionContext?
  var labels: [String: String]

  /// A body that is not a run request.
  struct Invalid: Error {
    var message: String
  }

  init(json: JSONValue) throws(Invalid) {
    guard case .object(let body) = json else {
      throw Invalid(message: "runAction body must be a JSON object, got \(json.typeName)")
    }
    guard let key = body["key"]?.stringValue, !key.isEmpty else {
      throw Invalid(message: "runAction body needs \"key\", the action key (e.g. \"/flow/menuFlow\")")
    }
    self.key = key
    input = body["input"] ?? .null
    switch body["context"] {
    case nil, .null?:
      context = nil
    case .object(let object)?:
      var values: [String: JSONValue] = [:]
      for (name, value) in object.entries where name != "auth" { values[name] = value }
      context = ActionContext(auth: object["auth"].flatMap { $0.isNull ? nil : $0 }, values: values)
    case let other?:
      throw Invalid(message: "\"context\" must be an object, got \(other.typeName)")
    }
    labels = [:]
    switch body["telemetryLabels"] {
    case nil, .null?:
      break
    case .object(let object)?:
      for (name, value) in object.entries { labels[name] = value.stringValue ?? value.serialized() }
    case let other?:
      throw Invalid(message: "\"telemetryLabels\" must be an object of strings, got \(other.typeName)")
    }
  }
}

/// Reflection error bodies: Genkit's `Status` `{code, message, details: {stack, traceId}}`.
enum ReflectionErrorBody {
  /// `{"error": {"code": <canonical>, "message": …, "details": {…, "stack": …, "traceId"?: …}}}`.
  ///
  /// Object `details` of the `FlowError` (e.g. schema violations) are kept beside `stack` and
  /// `traceId`; other details go under `details.details`.
  static func wrapped(_ error: FlowError, traceId: String?) -> JSONValue {
    ["error": status(error, traceId: traceId)]
  }

  static func status(_ error: FlowError, traceId: String?) -> JSONValue {
    var details = JSONObject()
    switch error.details {
    case .object(let extra)?:
      for (name, value) in extra.entries { details[name] = value }
    case let other?:
      details["details"] = other
    case nil:
      break
    }
    details["stack"] = .string(error.description)
    if let traceId = error.traceId ?? traceId { details["traceId"] = .string(traceId) }
    return [
      "code": .integer(Int64(error.status.code)), "message": .string(error.message), "details": .object(details),
    ]
  }

  /// A request-level error (no run): `{"error": {"code": …, "message": …}}`.
  static func simple(_ status: StatusCode, _ message: String) -> JSONValue {
    ["error": ["code": .integer(Int64(status.code)), "message": .string(message)]]
  }
}
