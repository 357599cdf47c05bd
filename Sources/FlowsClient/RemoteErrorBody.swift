import Flows

/// The useful fields of an error a flow server sent, in any of the shapes seen: Genkit's
/// `{"status": "NOT_FOUND", "message": …, "details"?: …}` (also inside `{"error": …}`), the
/// reflection shape `{"code": 5, "message": …}`, FastAPI `{"detail": "text" | [{"msg": …}]}`,
/// and `{"error": "text"}`.
struct RemoteErrorBody {
  /// The status the server named, when it named a valid one other than `OK`.
  var status: StatusCode?
  /// The server's message.
  var message: String?
  /// The server's `details`, when present and not null.
  var details: JSONValue?

  /// Reads an error value; `value` may be the error object itself or wrap it in `"error"`.
  init(_ value: JSONValue) {
    if let inner = value["error"], inner.objectValue != nil {
      self.init(object: inner)
      return
    }
    self.init(object: value)
    if message == nil, let text = value["error"]?.stringValue { message = text }
  }

  private init(object value: JSONValue) {
    status = Self.status(in: value)
    switch value["message"] {
    case .string(let text)?: message = text
    case let other? where !other.isNull: message = other.serialized()
    default: message = Self.fastAPIDetail(in: value)
    }
    if let details = value["details"], !details.isNull { self.details = details }
  }

  /// The status named by `status` (a name) or `code` (a canonical code, or an HTTP code as older
  /// Go servers sent).
  private static func status(in value: JSONValue) -> StatusCode? {
    var status: StatusCode?
    if let name = value["status"]?.stringValue {
      status = StatusCode(name: name)
    } else if let code = value["code"]?.int64Value.map({ Int($0) }) ?? value["status"]?.int64Value.map({ Int($0) }) {
      status = (100..<600).contains(code) ? HTTPStatusMapping.status(forHTTPStatus: code) : StatusCode(code: code)
    }
    return status == .ok ? nil : status
  }

  private static func fastAPIDetail(in value: JSONValue) -> String? {
    switch value["detail"] {
    case .string(let text)?: return text
    case .array(let items)?: return items.map { $0["msg"]?.stringValue ?? $0.serialized() }.joined(separator: "; ")
    case let other? where !other.isNull: return other.serialized()
    default: return nil
    }
  }
}
