import Flows
import FlowsAI

/// Maps a Genkit `GenerateRequest` to an OpenAI chat-completions request body.
///
/// Choices made for the widest server compatibility: an assistant message with tool calls sends
/// `content: ""` (llama-cpp-python rejects `null`), `tool_choice` is always a string (llama-server
/// rejects the object form), and `$schema` is dropped from schemas.
struct ChatRequestEncoder: Sendable {
  let configuration: OpenAICompatibleConfiguration

  /// The request body. `stream` selects SSE streaming.
  func body(for request: GenerateRequest, stream: Bool) -> JSONValue {
    var body = JSONObject()
    body["model"] = .string(configuration.model)
    body["messages"] = .array(request.messages.flatMap(messages(for:)))
    if let tools = request.tools, !tools.isEmpty {
      body["tools"] = .array(tools.map(tool(for:)))
      if let choice = request.toolChoice { body["tool_choice"] = .string(choice) }
    }
    if let config = request.config {
      if let temperature = config.temperature { body["temperature"] = .number(temperature) }
      if let maxTokens = config.maxOutputTokens { body["max_tokens"] = .integer(Int64(maxTokens)) }
      if let topP = config.topP { body["top_p"] = .number(topP) }
      if let stop = config.stopSequences, !stop.isEmpty { body["stop"] = .array(stop.map { .string($0) }) }
      if let topK = config.topK { body["top_k"] = .integer(Int64(topK)) }
      // Other settings are provider options in the server's own names (seed, frequency_penalty, …).
      for (key, value) in config.custom.entries where body[key] == nil { body[key] = value }
    }
    if let format = responseFormat(for: request.output) { body["response_format"] = format }
    body["stream"] = .bool(stream)
    if stream, configuration.includeUsageInStream {
      body["stream_options"] = ["include_usage": true]
    }
    return .object(body)
  }

  /// One Genkit message as OpenAI messages: tool responses become one `tool` message each.
  func messages(for message: Message) -> [JSONValue] {
    var result: [JSONValue] = []
    let toolResponses = message.content.compactMap(\.toolResponse)
    let toolRequests = message.content.compactMap(\.toolRequest)
    let others = message.content.filter { $0.toolRequest == nil && $0.toolResponse == nil }

    for response in toolResponses {
      var object = JSONObject()
      object["role"] = "tool"
      object["tool_call_id"] = .string(response.ref ?? response.name)
      object["content"] = .string(Self.toolOutputText(response.output))
      result.append(.object(object))
    }

    let role = Self.role(for: message.role)
    if !toolRequests.isEmpty {
      var object = JSONObject()
      object["role"] = "assistant"
      object["content"] = .string(Self.text(of: others))
      object["tool_calls"] = .array(toolRequests.map(toolCall(for:)))
      result.append(.object(object))
    } else if !others.isEmpty {
      var object = JSONObject()
      object["role"] = .string(message.role == .tool ? "user" : role)
      object["content"] = Self.content(of: others, allowMedia: message.role == .user)
      result.append(.object(object))
    }
    return result
  }

  static func role(for role: Role) -> String {
    switch role {
    case .system: "system"
    case .user: "user"
    case .model: "assistant"
    case .tool: "tool"
    }
  }

  /// `content` for non-tool parts: a string, or an array of typed parts when a user message
  /// carries media.
  static func content(of parts: [Part], allowMedia: Bool) -> JSONValue {
    guard allowMedia, parts.contains(where: { if case .media = $0 { true } else { false } }) else {
      return .string(text(of: parts))
    }
    return .array(
      parts.map { part in
        switch part {
        case .media(let media):
          return ["type": "image_url", "image_url": ["url": .string(media.url)]]
        default:
          return ["type": "text", "text": .string(text(of: [part]))]
        }
      })
  }

  /// Text parts joined; data parts as JSON text; media as its URL.
  static func text(of parts: [Part]) -> String {
    var text = ""
    for part in parts {
      switch part {
      case .text(let value): text += value
      case .data(let value): text += value.serialized()
      case .media(let media): text += media.url
      case .toolRequest, .toolResponse: break
      }
    }
    return text
  }

  /// A tool result as message text: its JSON (`null` when missing).
  static func toolOutputText(_ output: JSONValue?) -> String {
    guard let output else { return "null" }
    return output.serialized()
  }

  func toolCall(for request: ToolRequest) -> JSONValue {
    let arguments: String
    switch request.input {
    case .none, .null?: arguments = "{}"
    // Arguments the model produced but that were not JSON are kept as raw text: send them back as they were.
    case .string(let raw)?: arguments = raw
    case let value?: arguments = value.serialized()
    }
    return [
      "id": .string(request.ref ?? request.name), "type": "function",
      "function": ["name": .string(request.name), "arguments": .string(arguments)],
    ]
  }

  func tool(for definition: ToolDefinition) -> JSONValue {
    var function = JSONObject()
    function["name"] = .string(definition.name)
    function["description"] = .string(definition.description)
    function["parameters"] = Self.schemaForServer(definition.inputSchema) ?? ["type": "object", "properties": [:]]
    return ["type": "function", "function": .object(function)]
  }

  func responseFormat(for output: OutputConfig?) -> JSONValue? {
    guard let output else { return nil }
    guard let schema = Self.schemaForServer(output.schema) else {
      return output.format == "json" ? ["type": "json_object"] : nil
    }
    switch configuration.responseFormat {
    case .jsonSchema:
      return ["type": "json_schema", "json_schema": ["name": "output", "schema": schema]]
    case .jsonObjectWithSchema:
      return ["type": "json_object", "schema": schema]
    }
  }

  /// A JSON Schema without its `$schema` key (some servers reject unknown keywords).
  static func schemaForServer(_ schema: JSONValue?) -> JSONValue? {
    guard let schema else { return nil }
    guard case .object(var object) = schema else { return schema }
    object["$schema"] = nil
    return .object(object)
  }
}
