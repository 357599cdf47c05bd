extension SpanData {
  /// The Genkit form of a local span: at start (`outcome == nil`, `endTime` 0) or once ended.
  public init(_ span: SpanInfo, outcome: SpanOutcome?) {
    var attributes = JSONObject(minimumCapacity: 11 + span.metadata.count + span.labels.count)
    attributes["genkit:type"] = .string(span.kind.type)
    if let subtype = span.kind.subtype { attributes["genkit:metadata:subtype"] = .string(subtype) }
    if let key = span.actionKey { attributes["genkit:key"] = .string(key) }
    attributes["genkit:name"] = .string(span.name)
    if span.isRoot { attributes["genkit:isRoot"] = true }
    attributes["genkit:path"] = .string(span.path)
    if let input = span.input { attributes["genkit:input"] = .string(input.jsonString) }
    if let context = span.context, span.isRoot {
      attributes["genkit:metadata:context"] = .string(context.redactedJSON.serialized())
    }
    for key in span.metadata.keys.sorted() {
      attributes["genkit:metadata:" + key] = span.metadata[key].map { .string($0) }
    }
    for key in span.labels.keys.sorted() { attributes[key] = span.labels[key].map { .string($0) } }

    var status = SpanStatus(code: 0)
    var events: [TimeEvent] = []
    if let outcome {
      if let error = outcome.error {
        attributes["genkit:state"] = "error"
        if error.isFailureSource { attributes["genkit:isFailureSource"] = true }
        attributes["flowscope:status"] = .string(error.status.rawValue)
        status = SpanStatus(code: 2, message: error.message)
        events.append(
          TimeEvent(
            time: outcome.endTime, description: "exception",
            attributes: [
              "exception.type": .string(error.errorType),
              "exception.message": .string(error.message),
              "exception.stacktrace": .string(error.stack),
            ]))
      } else {
        if let output = outcome.output { attributes["genkit:output"] = .string(output.jsonString) }
        attributes["genkit:state"] = "success"
      }
    }
    self.init(
      spanId: span.spanId.hex, traceId: span.traceId.hex, parentSpanId: span.parentSpanId?.hex,
      startTime: span.startTime, endTime: outcome?.endTime ?? 0, attributes: attributes, displayName: span.name,
      status: status, timeEvents: events)
  }
}

extension SpanData {
  /// `genkit:state` when present; otherwise derived from the status code (2 means error in JS and
  /// Python, 1 in Go exports, so an error message decides there).
  ///
  /// A Genkit span that ended with neither `genkit:state` nor an OK status did not finish its
  /// work: Python's runtime ends a cancelled run's spans that way. It counts as failed.
  public var isError: Bool {
    if let state = attributes["genkit:state"]?.stringValue { return state == "error" }
    if endedWithoutOutcome { return true }
    guard let status else { return false }
    return status.code == 2 || (status.code == 1 && status.message != nil)
  }

  /// An ended Genkit span (it has `genkit:type`) without `genkit:state`, output, or an error or
  /// OK status: interrupted (Python's runtime exports cancelled spans so).
  public var endedWithoutOutcome: Bool {
    guard !isRunning, attributes["genkit:state"] == nil, attributes["genkit:type"] != nil,
      attributes["genkit:output"] == nil
    else { return false }
    return (status?.code ?? 0) == 0 && (status?.message ?? "").isEmpty
  }

  /// True while the span has not ended.
  public var isRunning: Bool { endTime == 0 }

  /// Duration in ms (nil while running).
  public var durationMilliseconds: Double? { endTime > 0 ? endTime - startTime : nil }

  /// `genkit:type`, e.g. `action`, `flowStep`, `util`.
  public var genkitType: String? { attributes["genkit:type"]?.stringValue }

  /// `genkit:metadata:subtype`, e.g. `flow`, `model`, `tool`.
  public var subtype: String? { attributes["genkit:metadata:subtype"]?.stringValue }

  /// The label a tree shows for the span's kind: the subtype if any, else the type.
  public var kindLabel: String { subtype ?? genkitType ?? "span" }

  /// The error message: the status message, or the first `exception` event's message.
  public var errorMessage: String? {
    guard isError else { return nil }
    if let message = status?.message, !message.isEmpty { return message }
    if let message = attributes["genkit:error"]?.stringValue { return message }
    if endedWithoutOutcome { return "ended without an outcome (cancelled or interrupted)" }
    return timeEvents?.first { $0.description == "exception" }?.attributes["exception.message"]?.stringValue ?? "Error"
  }

  /// `genkit:input` parsed as JSON (a string that is not JSON is returned as a string).
  public var input: JSONValue? { Self.parsedAttribute(attributes["genkit:input"]) }

  /// `genkit:output` parsed as JSON.
  public var output: JSONValue? { Self.parsedAttribute(attributes["genkit:output"]) }

  static func parsedAttribute(_ value: JSONValue?) -> JSONValue? {
    guard let value else { return nil }
    guard case .string(let text) = value else { return value }
    return (try? JSONValue(parsing: text)) ?? .string(text)
  }
}
