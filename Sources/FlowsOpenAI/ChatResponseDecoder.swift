import Flows
import FlowsAI

/// Maps OpenAI chat-completions responses to Genkit types. Unknown keys (`timings`,
/// `system_fingerprint`, `prompt_tokens_details`, …) are ignored.
enum ChatResponseDecoder {
  /// A whole (non-streamed) `chat.completion` body.
  static func response(from body: JSONValue, rawText: @autoclosure () -> String) throws -> GenerateResponse {
    if let error = body["error"], !error.isNull {
      throw OpenAIErrorMapper.streamError(error)
    }
    guard let choices = body["choices"]?.arrayValue, let choice = firstChoice(choices) else {
      throw FlowError(
        .internal, "unexpected response from the model server (no choices): \(OpenAIErrorMapper.excerpt(rawText()))")
    }
    guard let message = choice["message"], message.objectValue != nil else {
      throw FlowError(
        .internal, "unexpected response from the model server (no message): \(OpenAIErrorMapper.excerpt(rawText()))")
    }
    var parts: [Part] = []
    if let text = message["content"]?.stringValue, !text.isEmpty { parts.append(.text(text)) }
    for call in message["tool_calls"]?.arrayValue ?? [] {
      guard let function = call["function"], let name = function["name"]?.stringValue else { continue }
      parts.append(
        .toolRequest(
          ToolRequest(
            name: name, ref: call["id"]?.stringValue,
            input: toolArguments(function["arguments"]))))
    }
    return GenerateResponse(
      message: Message(role: .model, content: parts),
      finishReason: finishReason(choice["finish_reason"]?.stringValue),
      usage: usage(from: body["usage"]))
  }

  /// The choice with index 0, or the first one.
  static func firstChoice(_ choices: [JSONValue]) -> JSONValue? {
    choices.first { $0["index"]?.int64Value == 0 } ?? choices.first
  }

  /// Tool-call arguments: JSON text parsed; text that is not JSON kept as a JSON string.
  static func toolArguments(_ value: JSONValue?) -> JSONValue? {
    switch value {
    case .none, .null?: return nil
    case .string(let text)?:
      if text.allSatisfy(\.isWhitespace) { return .object([:]) }
      return (try? JSONValue(parsing: text)) ?? .string(text)
    case let other?:
      // Some servers send the arguments as an object already.
      return other
    }
  }

  /// `finish_reason` as Genkit's `FinishReason`.
  static func finishReason(_ raw: String?) -> FinishReason {
    switch raw {
    case nil: .unknown
    case "stop", "tool_calls", "function_call", "eos": .stop
    case "length": .length
    case "content_filter": .blocked
    default: .other
    }
  }

  /// `usage` as `GenerationUsage` (nil when absent).
  static func usage(from value: JSONValue?) -> GenerationUsage? {
    guard let value, value.objectValue != nil else { return nil }
    func int(_ key: String) -> Int? { value[key]?.int64Value.map { Int($0) } }
    let input = int("prompt_tokens")
    let output = int("completion_tokens")
    let total = int("total_tokens")
    if input == nil && output == nil && total == nil { return nil }
    return GenerationUsage(inputTokens: input, outputTokens: output, totalTokens: total)
  }
}
