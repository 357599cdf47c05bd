import Flows

extension GenAIAttributes {
  /// Attributes of a tool span.
  static func toolAttributes(_ span: SpanData, call: ToolCall?) -> JSONObject {
    var attributes = JSONObject()
    attributes[Key.operationName] = "execute_tool"
    let name = span.attributes["genkit:name"]?.stringValue ?? span.displayName
    attributes[Key.toolName] = .string(name)
    attributes[Key.toolType] = "function"
    if let id = call?.id, !id.isEmpty { attributes[Key.toolCallId] = .string(id) }
    if let description = call?.description, !description.isEmpty {
      attributes[Key.toolDescription] = .string(description)
    }
    return attributes
  }
}
