/// Renders span values for people: Genkit messages as chat lines, other values as compact JSON,
/// base64 data URLs shortened.
public enum ValueFormatting {
  /// Chat-style lines for a value that holds Genkit messages (a GenerateRequest, a GenerateResponse,
  /// a message list or a single message); nil when the value is not message-shaped.
  public static func messageLines(_ value: JSONValue) -> [String]? {
    if let messages = value["messages"]?.arrayValue, messages.allSatisfy(isMessage) {
      return messages.flatMap(messageLines(forMessage:))
    }
    if let message = value["message"], isMessage(message) { return messageLines(forMessage: message) }
    if let candidates = value["candidates"]?.arrayValue, let message = candidates.first?["message"], isMessage(message)
    {
      return messageLines(forMessage: message)
    }
    if let list = value.arrayValue, !list.isEmpty, list.allSatisfy(isMessage) {
      return list.flatMap(messageLines(forMessage:))
    }
    if isMessage(value) { return messageLines(forMessage: value) }
    return nil
  }

  static func isMessage(_ value: JSONValue) -> Bool {
    value["role"]?.stringValue != nil && value["content"]?.arrayValue != nil
  }

  static func messageLines(forMessage message: JSONValue) -> [String] {
    let role = message["role"]?.stringValue ?? "unknown"
    let speaker: String
    switch role {
    case "user": speaker = "User"
    case "model": speaker = "Model"
    case "system": speaker = "System"
    case "tool": speaker = "Tool"
    default: speaker = role.capitalized
    }
    var lines: [String] = []
    for part in message["content"]?.arrayValue ?? [] {
      if let text = part["text"]?.stringValue {
        lines.append("\(speaker): \(JSONValue.string(text).serialized())")
      } else if let request = part["toolRequest"] {
        let name = request["name"]?.stringValue ?? "?"
        lines.append("Tool Call: \(name)(\(compact(request["input"] ?? .null)))")
      } else if let response = part["toolResponse"] {
        let name = response["name"]?.stringValue ?? "?"
        lines.append("Tool Output [\(name)]: \(compact(response["output"] ?? .null))")
      } else if let media = part["media"] {
        lines.append(
          "\(speaker): [media \(media["contentType"]?.stringValue ?? "") \(shortenDataURL(media["url"]?.stringValue ?? ""))]"
        )
      } else if let data = part["data"] {
        lines.append("\(speaker): [data] \(compact(data))")
      } else {
        lines.append("\(speaker): \(compact(part))")
      }
    }
    return lines
  }

  /// Compact JSON with data URLs shortened.
  public static func compact(_ value: JSONValue) -> String { stripDataURLs(value).serialized() }

  /// Replaces `data:<mime>;base64,<payload>` strings by a short placeholder with the payload size.
  public static func stripDataURLs(_ value: JSONValue) -> JSONValue {
    switch value {
    case .string(let s) where s.hasPrefix("data:") && s.contains(";base64,"):
      return .string(shortenDataURL(s))
    case .array(let items): return .array(items.map(stripDataURLs))
    case .object(let object):
      return .object(JSONObject(object.entries.map { ($0.key, stripDataURLs($0.value)) }))
    default: return value
    }
  }

  static func shortenDataURL(_ s: String) -> String {
    guard s.hasPrefix("data:"), let range = s.range(of: ";base64,") else { return s }
    let mime = s[s.index(s.startIndex, offsetBy: 5)..<range.lowerBound]
    let bytes = s[range.upperBound...].count * 3 / 4
    return "data:\(mime);base64,<\(bytes) bytes>"
  }

  /// `0.4 ms`, `41.7 ms`, `2.31 s`, `1 m 04 s`.
  public static func duration(milliseconds ms: Double) -> String {
    if ms < 1000 { return ms < 10 ? String(format1(ms)) + " ms" : "\(Int(ms.rounded())) ms" }
    let seconds = ms / 1000
    if seconds < 60 { return format2(seconds) + " s" }
    let whole = Int(seconds)
    return "\(whole / 60) m \(whole % 60 < 10 ? "0" : "")\(whole % 60) s"
  }

  static func format1(_ v: Double) -> String {
    let tenths = Int((v * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
  }

  static func format2(_ v: Double) -> String {
    let hundredths = Int((v * 100).rounded())
    let frac = hundredths % 100
    return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
  }

  /// Cuts a single-line text to `limit` characters with an ellipsis.
  public static func truncate(_ text: String, to limit: Int) -> String {
    guard limit > 1, text.count > limit else { return text }
    return String(text.prefix(limit - 1)) + "…"
  }
}
