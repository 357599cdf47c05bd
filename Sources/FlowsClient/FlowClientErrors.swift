import Flows

/// Builds the `FlowError`s the client throws from what a flow server answered.
enum FlowClientErrors {
  /// The longest excerpt of a server's text put into an error message.
  static let excerptLimit = 500

  /// The error for a response other than 200, from its body.
  ///
  /// A Genkit error body (`{"status", "message", "details"}`) gives its own status, message and
  /// details unchanged. Any other body (plain text, HTML, FastAPI's `{"detail": …}`) gives the
  /// status mapped from the HTTP code and a message with the code, the URL and the server's text;
  /// `details` then hold `httpStatus` and `url`.
  static func httpError(status code: Int, body: [UInt8], url: String, traceId: String?) -> FlowError {
    var error: FlowError
    if let json = try? JSONValue(parsing: body), json.objectValue != nil {
      let parsed = RemoteErrorBody(json)
      if let status = parsed.status {
        error = FlowError(status, parsed.message ?? "", details: parsed.details)
      } else {
        let text = parsed.message ?? excerpt(String(decoding: body, as: UTF8.self))
        error = FlowError(
          HTTPStatusMapping.status(forHTTPStatus: code), "HTTP \(code) from \(url): \(text)",
          details: parsed.details ?? httpDetails(code, url))
      }
    } else {
      let text = excerpt(String(decoding: body, as: UTF8.self))
      error = FlowError(
        HTTPStatusMapping.status(forHTTPStatus: code), "HTTP \(code) from \(url): \(text)",
        details: httpDetails(code, url))
    }
    error.traceId = traceId
    return error
  }

  /// The error for an `{"error": …}` the server sent in a 200 body or a stream frame
  /// (`INTERNAL` when it names no status).
  static func remoteError(_ value: JSONValue, traceId: String?) -> FlowError {
    let parsed = RemoteErrorBody(value)
    var error = FlowError(
      parsed.status ?? .internal, parsed.message ?? "the flow server reported an error: \(value.serialized())",
      details: parsed.details)
    error.traceId = traceId
    return error
  }

  /// The error for a body or frame that is not the JSON the protocol expects.
  static func malformed(_ what: String, bytes: some Collection<UInt8>, url: String, reason: String) -> FlowError {
    FlowError(
      .internal, "malformed \(what) from \(url) (\(reason)): \(excerpt(String(decoding: bytes, as: UTF8.self)))")
  }

  /// The error for a stream that ended without a `result` frame: `UNAVAILABLE` when the
  /// connection was lost (`lostConnection` describes how), `INTERNAL` when the server ended the
  /// response normally.
  static func streamEndedEarly(url: String, chunks: Int, lostConnection: String?, traceId: String?) -> FlowError {
    let received = chunks == 1 ? "1 chunk" : "\(chunks) chunks"
    let how =
      lostConnection.map { "the connection to \(url) was lost (\($0))" } ?? "\(url) ended the response"
    var error = FlowError(
      lostConnection == nil ? .internal : .unavailable, "stream ended before the result: \(how) after \(received)")
    error.traceId = traceId
    return error
  }

  /// `{"httpStatus": code, "url": url}`.
  static func httpDetails(_ code: Int, _ url: String) -> JSONValue {
    ["httpStatus": .integer(Int64(code)), "url": .string(url)]
  }

  /// At most `excerptLimit` characters of `text`, on one line, trimmed.
  static func excerpt(_ text: String) -> String {
    var flat = ""
    flat.reserveCapacity(min(text.utf8.count, excerptLimit * 4))
    var count = 0
    for character in text {
      if count == excerptLimit {
        flat += "…"
        break
      }
      flat.append(character.isNewline ? " " : character)
      count += 1
    }
    let trimmed = flat.trimmingSpaces()
    return trimmed.isEmpty ? "(empty body)" : trimmed
  }
}

extension String {
  /// The string without leading and trailing whitespace.
  fileprivate func trimmingSpaces() -> String {
    guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
    else { return "" }
    return String(self[first...last])
  }
}
