import Flows

/// Builds the `FlowError`s `ReflectionClient` throws from what a Genkit runtime answered.
enum ReflectionErrors {
  /// The longest excerpt of a runtime's text put into an error message.
  static let excerptLimit = 300

  /// The error for a reflection error object, `{"code", "message", "details": {"stack", "traceId"}}`
  /// (the value of a final `{"error": …}` line or body).
  ///
  /// `code` is the canonical number (0–16) in every runtime; a status name (`"NOT_FOUND"`), a
  /// numeric string, or a `status` member are accepted too, and an HTTP code (older Go runtimes)
  /// is mapped like an HTTP status. Without a usable code the error is `INTERNAL`. `details` are
  /// kept whole (with `stack`); the trace id is `details.traceId`, else `fallbackTraceId` (the
  /// response header).
  static func runtimeError(_ object: JSONValue, fallbackTraceId: String?) -> FlowError {
    let status = status(of: object) ?? .internal
    let message: String
    switch object["message"] {
    case .string(let text)?: message = text
    case let other? where !other.isNull: message = other.serialized()
    default: message = "the runtime reported an error without a message: \(excerpt(object.serialized()))"
    }
    let details = object["details"].flatMap { $0.isNull ? nil : $0 }
    var error = FlowError(status, message, details: details)
    error.traceId = details?["traceId"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? fallbackTraceId
    return error
  }

  /// The status an error object names, if any (never `OK`).
  static func status(of object: JSONValue) -> StatusCode? {
    let named = status(from: object["code"]) ?? status(from: object["status"])
    return named == .ok ? nil : named
  }

  private static func status(from value: JSONValue?) -> StatusCode? {
    switch value {
    case .string(let text)?:
      if let number = Int(text) { return status(fromNumber: number) }
      return StatusCode(name: text)
    case let number? where number.int64Value != nil:
      return number.int64Value.flatMap { status(fromNumber: Int(clamping: $0)) }
    default:
      return nil
    }
  }

  private static func status(fromNumber number: Int) -> StatusCode? {
    (100..<600).contains(number) ? HTTPStatusMapping.status(forHTTPStatus: number) : StatusCode(code: number)
  }

  /// The error for a response other than 200 (or a 200 whose body is not the protocol's).
  ///
  /// An `{"error": {…}}` body gives the runtime's own error; `{"error": "text"}` (Genkit Python's
  /// unknown key) and `{"message": "text"}` give their text with the status of the HTTP code (404:
  /// `NOT_FOUND`); any other body (Genkit JS's plain-text 404, an ASGI `Internal Server Error`) gives
  /// the status of the HTTP code and a message with the code, the URL and a sanitized excerpt.
  static func httpError(status code: Int, body: [UInt8], url: String, traceId: String?) -> FlowError {
    let httpStatus = HTTPStatusMapping.status(forHTTPStatus: code)
    if let json = try? JSONValue(parsing: body), json.objectValue != nil {
      if let inner = json["error"], inner.objectValue != nil {
        return runtimeError(inner, fallbackTraceId: traceId)
      }
      if json["code"] != nil || json["status"] != nil, json["message"] != nil {
        return runtimeError(json, fallbackTraceId: traceId)
      }
      if let text = json["error"]?.stringValue ?? json["message"]?.stringValue ?? json["detail"]?.stringValue {
        var error = FlowError(httpStatus, sanitized(text), details: httpDetails(code, url))
        error.traceId = traceId
        return error
      }
    }
    var error = FlowError(
      httpStatus, "HTTP \(code) from \(url): \(excerpt(String(decoding: body, as: UTF8.self)))",
      details: httpDetails(code, url))
    error.traceId = traceId
    return error
  }

  /// A line of a streamed answer that is not JSON (or a final line that is not an object).
  static func malformedLine(_ number: Int, bytes: [UInt8], url: String, reason: String) -> FlowError {
    FlowError(
      .internal,
      "malformed line \(number) in the runAction stream from \(url) (\(reason)): "
        + excerpt(String(decoding: bytes, as: UTF8.self)))
  }

  /// A body that is not the JSON the protocol expects.
  static func malformedBody(_ what: String, bytes: [UInt8], url: String, reason: String) -> FlowError {
    FlowError(
      .internal, "malformed \(what) from \(url) (\(reason)): \(excerpt(String(decoding: bytes, as: UTF8.self)))")
  }

  /// A run whose response ended normally but without a final object. Genkit Python ends a run it
  /// cancelled this way (`cancelAction`, or the client going away), so the status is `CANCELLED`;
  /// `knownCancelled` says this client asked for it.
  static func endedWithoutResult(url: String, chunks: Int, traceId: String?, knownCancelled: Bool) -> FlowError {
    let received = chunks == 1 ? "1 chunk" : "\(chunks) chunks"
    let message =
      knownCancelled
      ? "Action was cancelled"
      : "the runtime at \(url) ended the run after \(received) without a result "
        + "(Genkit Python ends a run this way when it is cancelled)"
    var error = FlowError(.cancelled, message)
    error.traceId = traceId
    return error
  }

  /// A connection lost in the middle of a run's answer.
  static func connectionLost(url: String, chunks: Int, reason: String, traceId: String?) -> FlowError {
    let received = chunks == 1 ? "1 chunk" : "\(chunks) chunks"
    var error = FlowError(
      .unavailable, "the connection to the Genkit runtime at \(url) was lost after \(received) (\(reason))")
    error.traceId = traceId
    return error
  }

  /// `{"httpStatus": code, "url": url}`.
  static func httpDetails(_ code: Int, _ url: String) -> JSONValue {
    ["httpStatus": .integer(Int64(code)), "url": .string(url)]
  }

  /// At most `excerptLimit` characters of `text`, sanitized and trimmed; `(empty body)` for none.
  static func excerpt(_ text: String) -> String {
    let clean = sanitized(text, limit: excerptLimit)
    return clean.isEmpty ? "(empty body)" : clean
  }

  /// `text` on one line without control characters (a terminal must never receive a runtime's
  /// escape sequences inside an error message), trimmed, cut at `limit` characters with `…`.
  static func sanitized(_ text: String, limit: Int = 4_000) -> String {
    var result = ""
    var count = 0
    var pendingSpace = false
    for scalar in text.unicodeScalars {
      let isControl = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
      if isControl || scalar == " " {
        pendingSpace = !result.isEmpty
        continue
      }
      if count == limit {
        result += "…"
        break
      }
      if pendingSpace {
        result.unicodeScalars.append(" ")
        count += 1
        pendingSpace = false
      }
      result.unicodeScalars.append(scalar)
      count += 1
    }
    return result
  }
}
