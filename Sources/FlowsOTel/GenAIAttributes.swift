import Flows

/// The OpenTelemetry GenAI semantic-convention attributes of a Flowscope span, derived from its
/// Genkit form (the `genkit:*` attributes and the recorded input and output).
///
/// - Model spans (`genkit:metadata:subtype` = `model`): `gen_ai.operation.name` = `chat`,
///   `gen_ai.provider.name` and `gen_ai.system` (from the `provider/model` name, see
///   `GenAIProvider`), `gen_ai.request.model` (the request's `config.version`, else the model part of
///   the name), `gen_ai.request.temperature`/`max_tokens`/`top_p`/`top_k`/`stop_sequences` from the
///   request config, `gen_ai.output.type` (`text` or `json`), and from the response
///   `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens` and `gen_ai.response.finish_reasons`.
/// - Tool spans (subtype `tool`): `gen_ai.operation.name` = `execute_tool`, `gen_ai.tool.name`,
///   `gen_ai.tool.type` = `function`, and `gen_ai.tool.call.id` / `gen_ai.tool.description` when the
///   call is known (see `toolCalls(requestedBy:)`).
/// - Failed model and tool spans also get `error.type` (the Genkit status, e.g. `INVALID_ARGUMENT`).
/// - Any other span (flows, steps, `generate` turns): no attributes.
///
/// Values are JSON: strings, integers, numbers and arrays of strings (finish reasons, stop sequences).
public enum GenAIAttributes {
  /// Attribute names used here.
  public enum Key {
    public static let operationName = "gen_ai.operation.name"
    public static let providerName = "gen_ai.provider.name"
    /// The older name of `gen_ai.provider.name`, still read by many backends.
    public static let system = "gen_ai.system"
    public static let requestModel = "gen_ai.request.model"
    public static let requestTemperature = "gen_ai.request.temperature"
    public static let requestMaxTokens = "gen_ai.request.max_tokens"
    public static let requestTopP = "gen_ai.request.top_p"
    public static let requestTopK = "gen_ai.request.top_k"
    public static let requestStopSequences = "gen_ai.request.stop_sequences"
    public static let outputType = "gen_ai.output.type"
    public static let usageInputTokens = "gen_ai.usage.input_tokens"
    public static let usageOutputTokens = "gen_ai.usage.output_tokens"
    public static let responseFinishReasons = "gen_ai.response.finish_reasons"
    public static let toolName = "gen_ai.tool.name"
    public static let toolType = "gen_ai.tool.type"
    public static let toolCallId = "gen_ai.tool.call.id"
    public static let toolDescription = "gen_ai.tool.description"
    public static let errorType = "error.type"
  }

  /// A tool call as the model asked for it.
  public struct ToolCall: Sendable, Hashable {
    /// The tool's name.
    public var name: String
    /// The model's id for the call (a `toolRequest`'s `ref`), when it gave one.
    public var id: String?
    /// The tool's description, as sent to the model.
    public var description: String?
    /// The arguments the model sent.
    public var arguments: JSONValue?

    /// A tool call.
    public init(name: String, id: String? = nil, description: String? = nil, arguments: JSONValue? = nil) {
      self.name = name
      self.id = id
      self.description = description
      self.arguments = arguments
    }
  }

  /// The GenAI attributes of a span in Genkit form.
  ///
  /// - Parameters:
  ///   - span: The span (ended or running: attributes from the output appear once it has ended).
  ///   - toolCall: For a tool span, the call the model made, when known.
  public static func attributes(for span: SpanData, toolCall: ToolCall? = nil) -> JSONObject {
    guard span.genkitType == "action" else { return JSONObject() }
    var attributes: JSONObject
    switch span.subtype {
    case "model": attributes = modelAttributes(span)
    case "tool": attributes = toolAttributes(span, call: toolCall)
    default: return JSONObject()
    }
    if span.isError {
      let status = span.attributes["flowscope:status"]?.stringValue
      let thrown = span.timeEvents?.first { $0.description == "exception" }?.attributes["exception.type"]?.stringValue
      attributes[Key.errorType] = .string(status ?? thrown ?? "_OTHER")
    }
    return attributes
  }

  /// The GenAI attributes of a local span, at start (`outcome` nil) or once ended.
  public static func attributes(for span: SpanInfo, outcome: SpanOutcome?, toolCall: ToolCall? = nil) -> JSONObject {
    attributes(for: SpanData(span, outcome: outcome), toolCall: toolCall)
  }

  /// The tool calls an ended model span asked for: its response's `toolRequest` parts, with the
  /// description of each tool from the request's tool definitions. Empty for other spans.
  public static func toolCalls(requestedBy modelSpan: SpanData) -> [ToolCall] {
    guard modelSpan.genkitType == "action", modelSpan.subtype == "model", let output = modelSpan.output else {
      return []
    }
    var descriptions: [String: String] = [:]
    for tool in modelSpan.input?["tools"]?.arrayValue ?? [] {
      if let name = tool["name"]?.stringValue, let description = tool["description"]?.stringValue {
        descriptions[name] = description
      }
    }
    return responseMessages(output).flatMap { message in
      (message["content"]?.arrayValue ?? []).compactMap { part -> ToolCall? in
        guard let request = part["toolRequest"], let name = request["name"]?.stringValue else { return nil }
        return ToolCall(
          name: name, id: request["ref"]?.stringValue, description: descriptions[name], arguments: request["input"])
      }
    }
  }

  /// The response's message (`message`, or each candidate's in the older `candidates` form).
  static func responseMessages(_ output: JSONValue) -> [JSONValue] {
    if let message = output["message"], !message.isNull { return [message] }
    return (output["candidates"]?.arrayValue ?? []).compactMap { $0["message"] }
  }
}
