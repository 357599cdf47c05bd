import Flows

/// The `traces` row columns derived from a root span (or, before the root arrives, from any span).
struct TraceRootSummary {
  static let previewLength = 200

  var name: String
  var startTime: Double
  var endTime: Double
  var status: TraceStatus
  var errorMessage: String?
  var inputPreview: String?
  var outputPreview: String?
  var labels: String?

  init(root span: SpanData) {
    name = span.displayName.isEmpty ? (span.attributes["genkit:name"]?.stringValue ?? "") : span.displayName
    startTime = span.startTime
    endTime = span.endTime
    status = Self.status(of: span)
    errorMessage = status == .error ? span.errorMessage : nil
    inputPreview = Self.preview(span.attributes["genkit:input"])
    outputPreview = Self.preview(span.attributes["genkit:output"])
    var labelObject = JSONObject()
    for (key, value) in span.attributes.entries where key.hasPrefix("genkitx:") { labelObject[key] = value }
    labels = labelObject.isEmpty ? nil : JSONValue.object(labelObject).serialized()
  }

  static func status(of span: SpanData) -> TraceStatus {
    if span.isRunning { return .running }
    return span.isError ? .error : .ok
  }

  /// True for a span that starts a trace: no parent, or marked `genkit:isRoot` (a flow called from
  /// another process has a remote parent but is still the root of its trace).
  static func isRoot(_ span: SpanData) -> Bool {
    span.parentSpanId == nil || span.attributes["genkit:isRoot"]?.boolValue == true
  }

  /// The trace name a non-root span implies: the first segment of its `genkit:path`
  /// (`/{menuFlow,t:flow}/{step,t:flowStep}` → `menuFlow`), else its own name.
  static func impliedTraceName(_ span: SpanData) -> String {
    if let path = span.attributes["genkit:path"]?.stringValue, path.hasPrefix("/{") {
      let body = path.dropFirst(2)
      if let end = body.firstIndex(where: { $0 == "," || $0 == "}" }), end > body.startIndex {
        return String(body[body.startIndex..<end])
      }
    }
    return span.displayName
  }

  /// A JSON attribute cut to `previewLength` characters (with an ellipsis when cut).
  static func preview(_ value: JSONValue?) -> String? {
    guard let value else { return nil }
    let text = value.stringValue ?? value.serialized()
    guard text.utf8.count > previewLength else { return text }
    let cut = text.prefix(previewLength)
    return cut.endIndex < text.endIndex ? cut + "…" : text
  }
}
