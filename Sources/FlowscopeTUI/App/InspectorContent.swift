import Flows

/// Builds the inspector's sections for a span.
enum InspectorContent {
  static func sections(for span: SpanData, logs: [JSONObject] = []) -> [InspectorState.Section] {
    var sections: [InspectorState.Section] = []
    sections.append(summary(span))
    if let error = errorSection(span) { sections.append(error) }
    var chat: [String] = []
    if let input = span.input, let lines = ValueFormatting.messageLines(input) { chat += lines }
    if let output = span.output, let lines = ValueFormatting.messageLines(output) { chat += lines }
    if !chat.isEmpty {
      let lines = chat.map { TextSanitizer.sanitize(chatWording($0), keepNewlines: false) }
      sections.append(
        InspectorState.Section(
          title: "Chat", content: .lines(lines.map(chatLine)), isCollapsed: false,
          fullText: chat.joined(separator: "\n")))
    }
    if !logs.isEmpty { sections.append(InspectorLogs.section(logs, spanStart: span.startTime)) }
    if let input = span.input { sections.append(json("Input", input)) }
    if let output = span.output { sections.append(json("Output", output)) }
    var attributes = span.attributes
    attributes["genkit:input"] = nil
    attributes["genkit:output"] = nil
    var attributesSection = json("Attributes", .object(attributes))
    attributesSection.isCollapsed = true
    sections.append(attributesSection)
    return sections
  }

  static func json(_ title: String, _ value: JSONValue) -> InspectorState.Section {
    InspectorState.Section(
      title: title, content: .json(JSONOutline(value)), isCollapsed: false,
      fullText: value.serialized(.prettyPrinted))
  }

  static func summary(_ span: SpanData) -> InspectorState.Section {
    var lines: [StyledLine] = []
    let status: (String, ColorRole) =
      span.isRunning ? ("running", .running) : (span.isError ? ("✖ error", .failure) : ("✔ ok", .success))
    var first = StyledLine()
    first.append(TextSanitizer.sanitize(span.displayName, keepNewlines: false), TextStyle(bold: true))
    first.append("  \(span.kindLabel)  ", TextStyle(foreground: .muted))
    first.append(status.0, TextStyle(foreground: status.1, bold: true))
    if let duration = span.durationMilliseconds {
      first.append("  \(ValueFormatting.duration(milliseconds: duration))", TextStyle(foreground: .muted))
    }
    lines.append(first)
    if let usage = TraceTree(TraceData(traceId: span.traceId, spans: [span])).roots.first?.usage,
      usage.totalTokens > 0 || usage.outputTokens > 0
    {
      var tokens = StyledLine()
      tokens.append("tokens ", TextStyle(foreground: .muted))
      tokens.append("\(usage.inputTokens) in → \(usage.outputTokens) out (\(usage.totalTokens) total)")
      lines.append(tokens)
    }
    var ids = StyledLine()
    ids.append("span ", TextStyle(foreground: .muted))
    ids.append(span.spanId)
    ids.append("  trace ", TextStyle(foreground: .muted))
    ids.append(span.traceId)
    lines.append(ids)
    if let path = span.attributes["genkit:path"]?.stringValue {
      var line = StyledLine()
      line.append("path ", TextStyle(foreground: .muted))
      line.append(TextSanitizer.sanitize(GenkitPath.displayPath(path), keepNewlines: false))
      lines.append(line)
    }
    return InspectorState.Section(
      title: "Span", content: .lines(lines), isCollapsed: false, fullText: lines.map(\.text).joined(separator: "\n"))
  }

  static func errorSection(_ span: SpanData) -> InspectorState.Section? {
    guard span.isError else { return nil }
    let message = span.errorMessage ?? "failed"
    var lines = [
      StyledLine([
        .init("✖ " + TextSanitizer.sanitize(message, keepNewlines: false), TextStyle(foreground: .failure, bold: true))
      ])
    ]
    if span.attributes["genkit:isFailureSource"] == .bool(true) {
      lines.append(StyledLine([.init("this span is where the failure started", TextStyle(foreground: .muted))]))
    }
    var full = message
    let stack = span.timeEvents?.compactMap { $0.attributes["exception.stacktrace"]?.stringValue }.first
    if let stack, !stack.isEmpty {
      full += "\n\n" + stack
      for line in stack.split(separator: "\n", omittingEmptySubsequences: false).prefix(200) {
        lines.append(
          StyledLine([.init(TextSanitizer.sanitize(String(line), keepNewlines: false), TextStyle(foreground: .muted))]))
      }
    }
    return InspectorState.Section(title: "Error", content: .lines(lines), isCollapsed: false, fullText: full)
  }

  /// `Tool call: name({…})` and `Tool result [name]: …`.
  static func chatWording(_ line: String) -> String {
    if line.hasPrefix("Tool Call: ") { return "Tool call: " + line.dropFirst("Tool Call: ".count) }
    if line.hasPrefix("Tool Output ") { return "Tool result " + line.dropFirst("Tool Output ".count) }
    return line
  }

  static func chatLine(_ text: String) -> StyledLine {
    let role: ColorRole
    if text.hasPrefix("User:") || text.hasPrefix("System:") {
      role = .userMessage
    } else if text.hasPrefix("Model:") {
      role = .modelMessage
    } else {
      role = .toolMessage
    }
    guard let colon = text.firstIndex(of: ":") else { return StyledLine([.init(text)]) }
    let speaker = String(text[...colon])
    return StyledLine([
      .init(speaker, TextStyle(foreground: role, bold: true)), .init(String(text[text.index(after: colon)...])),
    ])
  }
}
