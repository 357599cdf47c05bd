import Flows
import FlowsAI

/// Builds a `GenerateResponse` from the `chat.completion.chunk` objects of a stream.
///
/// Text deltas are appended. Tool-call deltas are merged by `index`: `id`, `name` and `type` are
/// set whenever present (llama-cpp-python repeats them in every chunk, OpenAI sends them once) and
/// `arguments` pieces are appended. `usage` may come in a final chunk with no choices.
struct ChatStreamAccumulator: Sendable {
  struct PartialToolCall: Sendable {
    var index: Int
    var id: String?
    var name: String?
    var arguments = ""
  }

  private(set) var text = ""
  private(set) var toolCalls: [PartialToolCall] = []
  private(set) var finishReason: String?
  private(set) var usage: GenerationUsage?
  /// Chunks applied so far.
  private(set) var chunkCount = 0

  /// Applies one chunk and returns the text it adds (empty when none).
  mutating func apply(_ chunk: JSONValue) throws -> String {
    if let error = chunk["error"], !error.isNull {
      throw OpenAIErrorMapper.streamError(error)
    }
    chunkCount += 1
    if let usage = ChatResponseDecoder.usage(from: chunk["usage"]) { self.usage = usage }
    guard let choices = chunk["choices"]?.arrayValue, let choice = ChatResponseDecoder.firstChoice(choices) else {
      return ""
    }
    if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
    guard let delta = choice["delta"] else { return "" }
    for call in delta["tool_calls"]?.arrayValue ?? [] {
      mergeToolCall(call)
    }
    guard let piece = delta["content"]?.stringValue, !piece.isEmpty else { return "" }
    text += piece
    return piece
  }

  private mutating func mergeToolCall(_ delta: JSONValue) {
    let index = delta["index"]?.int64Value.map { Int($0) } ?? 0
    let position: Int
    if let existing = toolCalls.firstIndex(where: { $0.index == index }) {
      position = existing
    } else {
      toolCalls.append(PartialToolCall(index: index))
      position = toolCalls.count - 1
    }
    if let id = delta["id"]?.stringValue, !id.isEmpty { toolCalls[position].id = id }
    let function = delta["function"]
    if let name = function?["name"]?.stringValue, !name.isEmpty { toolCalls[position].name = name }
    switch function?["arguments"] {
    case .string(let piece)?: toolCalls[position].arguments += piece
    case .object(let object)?: toolCalls[position].arguments += JSONValue.object(object).serialized()
    default: break
    }
  }

  /// True once a chunk carried a finish reason.
  var finished: Bool { finishReason != nil }

  /// The response assembled so far.
  func response() -> GenerateResponse {
    var parts: [Part] = []
    if !text.isEmpty { parts.append(.text(text)) }
    for call in toolCalls.sorted(by: { $0.index < $1.index }) {
      guard let name = call.name else { continue }
      parts.append(
        .toolRequest(
          ToolRequest(name: name, ref: call.id, input: ChatResponseDecoder.toolArguments(.string(call.arguments)))))
    }
    return GenerateResponse(
      message: Message(role: .model, content: parts),
      finishReason: ChatResponseDecoder.finishReason(finishReason), usage: usage)
  }
}
