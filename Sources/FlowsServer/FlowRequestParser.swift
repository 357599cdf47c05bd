import Flows

/// Reads a flow call the way Genkit's callable protocol sends it, and decides whether to stream.
///
/// The body is `{"data": <input>}`. Like the Python peer, `{"input": <input>}` is accepted as an
/// alias and `{}` means a `null` input; any other JSON is refused with `400 INVALID_ARGUMENT`.
enum FlowRequestParser {
  /// Media types accepted besides `application/json` and `*/*+json`: `text/plain` (what browsers
  /// send to skip a CORS preflight) and `application/x-www-form-urlencoded` (what `curl -d` sends;
  /// the peer parses the body as JSON whatever the type). A missing content type is accepted too.
  static let lenientMediaTypes: Set<String> = ["text/plain", "application/x-www-form-urlencoded"]

  /// Refuses content types that cannot carry the JSON body (`415`).
  static func checkContentType(_ value: String?) throws(FlowRequestError) {
    guard let value else { return }
    // What nearly every client sends, compared byte for byte before any parsing.
    if value.utf8.elementsEqual("application/json".utf8) { return }
    let mediaType = mediaTypeEssence(value)
    if mediaType.isEmpty || mediaType == "application/json" || mediaType.hasSuffix("+json")
      || lenientMediaTypes.contains(mediaType)
    {
      return
    }
    throw .unsupportedMediaType(value)
  }

  /// The flow input from the request body.
  static func input(fromBody bytes: some Collection<UInt8>) throws(FlowRequestError) -> JSONValue {
    guard bytes.contains(where: { !isJSONWhitespace($0) }) else { throw .emptyBody }
    let body: JSONValue
    do {
      body = try JSONValue(parsing: bytes)
    } catch let syntax as JSONSyntaxError {
      throw .malformedJSON(syntax)
    } catch {
      throw FlowRequestError(FlowError(.invalidArgument, "Request body is not valid JSON: \(error)"))
    }
    guard case .object(let object) = body else { throw .notWrapped }
    if let data = object["data"] { return data }
    if let input = object["input"] { return input }
    if object.isEmpty { return .null }
    throw .notWrapped
  }

  /// True when the client asked for a stream: `Accept` contains `text/event-stream`, or the query
  /// has `stream=true`.
  static func wantsStream(accept: String?, streamQuery: String?) -> Bool {
    if streamQuery == "true" { return true }
    guard let accept else { return false }
    return accept.lowercased().contains("text/event-stream")
  }

  /// `Application/JSON; charset=utf-8` → `application/json`.
  static func mediaTypeEssence(_ value: String) -> String {
    let essence = value.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    return essence.trimmingWhitespace().lowercased()
  }

  private static func isJSONWhitespace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs.
  func trimmingWhitespace() -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
    guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
      return ""
    }
    return String(self[start...end])
  }
}
