import Flows

/// Pairs a tool span with the tool call the model asked for, among the calls of the model span
/// that preceded it in the same `generate` turn.
enum OTelToolCallMatcher {
  /// Removes and returns the call of `toolSpan` from `calls`: the only pending call of that tool, or
  /// the one whose arguments equal the span's input. When several calls of the tool are pending and
  /// none matches the input, only the tool's description is known (no call id is guessed).
  static func take(from calls: inout [GenAIAttributes.ToolCall], for toolSpan: SpanData) -> GenAIAttributes.ToolCall? {
    let name = toolSpan.attributes["genkit:name"]?.stringValue ?? toolSpan.displayName
    let candidates = calls.indices.filter { calls[$0].name == name }
    guard let first = candidates.first else { return nil }
    if candidates.count == 1 { return calls.remove(at: first) }
    if let input = toolSpan.input, let index = candidates.first(where: { calls[$0].arguments == input }) {
      return calls.remove(at: index)
    }
    return GenAIAttributes.ToolCall(name: name, description: calls[first].description)
  }
}
