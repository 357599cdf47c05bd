import Flows
import Foundation

/// What to do when a tool throws during `generate`.
public enum ToolErrorHandling: Sendable, Hashable {
  /// Give the model a tool response `{"error": "STATUS: message"}` so it can react (the tool span
  /// still records the failure).
  case reportToModel
  /// Fail the whole generate call with the tool's error.
  case fail
}

/// The outcome of `generate`: the final response, the whole conversation, and totals.
public struct GenerateResult: Sendable {
  /// The model's final response (the one without tool requests).
  public var response: GenerateResponse
  /// Every message: the request's, each model turn, each tool turn, and the final answer.
  public var messages: [Message]
  /// Token usage summed over all model calls.
  public var usage: GenerationUsage
  /// Number of model calls made.
  public var turns: Int

  /// The final text.
  public var text: String { response.text }
}

/// Runs the generate loop: call the model; if it asks for tools, run them (in parallel), append
/// their results and call the model again; stop at a final answer or after `maxTurns` model calls.
///
/// Traced like Genkit: each turn is a `generate` span (type `util`) holding the model span, the
/// tool spans and the next turn's `generate` span.
///
/// - Parameters:
///   - model: The model to call.
///   - prompt: A user message appended after `messages`.
///   - system: A system message put first.
///   - tools: Tools the model may call.
///   - maxTurns: Upper bound on model calls; exceeding it is an `ABORTED` error.
///   - toolErrors: Whether a failing tool is reported to the model or fails the call.
///   - onChunk: Receives streamed chunks; `index` is the model turn.
public func generate(
  model: Model, prompt: String? = nil, system: String? = nil, messages: [Message] = [], tools: [AnyTool] = [],
  config: GenerationConfig? = nil, output: OutputConfig? = nil, toolChoice: String? = nil, maxTurns: Int = 5,
  toolErrors: ToolErrorHandling = .reportToModel, onChunk: (@Sendable (GenerateResponseChunk) -> Void)? = nil
) async throws -> GenerateResult {
  try await generate(
    model: model, prompt: prompt, system: system, messages: messages, tools: tools, config: config, output: output,
    toolChoice: toolChoice, maxTurns: maxTurns, toolErrors: toolErrors, onChunk: onChunk, validateFinal: nil)
}

func generate(
  model: Model, prompt: String?, system: String?, messages: [Message], tools: [AnyTool], config: GenerationConfig?,
  output: OutputConfig?, toolChoice: String?, maxTurns: Int, toolErrors: ToolErrorHandling,
  onChunk: (@Sendable (GenerateResponseChunk) -> Void)?, validateFinal: (@Sendable (GenerateResponse) throws -> Void)?
) async throws -> GenerateResult {
  var conversation: [Message] = []
  if let system { conversation.append(.system(system)) }
  conversation += messages
  if let prompt { conversation.append(.user(prompt)) }
  guard !conversation.isEmpty else { throw FlowError(.invalidArgument, "generate needs a prompt or messages") }
  let loop = GenerateLoop(
    model: model, tools: tools, config: config, output: output, toolChoice: toolChoice,
    maxTurns: max(maxTurns, 1), toolErrors: toolErrors, onChunk: onChunk, validateFinal: validateFinal)
  return try await loop.turn(0, messages: conversation)
}

/// `generate` with structured output: the model is asked for JSON matching `T`'s schema, and its
/// answer is validated and decoded (a mismatch is `INVALID_ARGUMENT` naming the field and quoting
/// the model's text).
public func generate<T: Decodable & Sendable>(
  _ type: T.Type, model: Model, prompt: String? = nil, system: String? = nil, messages: [Message] = [],
  tools: [AnyTool] = [], config: GenerationConfig? = nil, schema: JSONValue? = nil, maxTurns: Int = 5,
  toolErrors: ToolErrorHandling = .reportToModel, onChunk: (@Sendable (GenerateResponseChunk) -> Void)? = nil
) async throws -> T {
  let outputSchema = try schema ?? JSONSchemaDerivation.schema(for: T.self)
  let result = try await generate(
    model: model, prompt: prompt, system: system, messages: messages, tools: tools, config: config,
    output: OutputConfig(format: "json", schema: outputSchema, constrained: true), toolChoice: nil, maxTurns: maxTurns,
    toolErrors: toolErrors, onChunk: onChunk,
    validateFinal: { response in _ = try StructuredOutput.decode(T.self, from: response.text, schema: outputSchema) })
  return try StructuredOutput.decode(T.self, from: result.text, schema: outputSchema)
}

struct GenerateLoop: Sendable {
  let model: Model
  let tools: [AnyTool]
  let config: GenerationConfig?
  let output: OutputConfig?
  let toolChoice: String?
  let maxTurns: Int
  let toolErrors: ToolErrorHandling
  let onChunk: (@Sendable (GenerateResponseChunk) -> Void)?
  let validateFinal: (@Sendable (GenerateResponse) throws -> Void)?

  /// The `generate` span's input, shaped like Genkit's GenerateActionOptions. Recorded as a value
  /// and encoded by trace consumers, not on the generate path.
  func options(_ messages: [Message]) -> GenerateActionOptions {
    GenerateActionOptions(
      model: model.name, messages: messages, tools: tools.isEmpty ? nil : tools.map(\.name), config: config,
      output: output, maxTurns: maxTurns)
  }

  func turn(_ index: Int, messages: [Message]) async throws -> GenerateResult {
    try await model.runtime.traced(
      "generate", kind: .util, input: .encodable(options(messages)), recordOutput: { .encodable($0.response) }
    ) { _ in
      let request = GenerateRequest(
        messages: messages, config: config, tools: tools.isEmpty ? nil : tools.map(\.definition),
        toolChoice: tools.isEmpty ? nil : toolChoice, output: output)
      var sink: (@Sendable (GenerateResponseChunk) -> Void)?
      if let onChunk {
        sink = { chunk in
          var indexed = chunk
          // Genkit numbers chunks by message: model turns are messages 0, 2, 4… (tool messages between).
          indexed.index = index * 2
          onChunk(indexed)
        }
      }
      let response = try await model.generate(request, onChunk: sink)
      guard var message = response.message else {
        throw FlowError(
          .internal,
          "model \(model.name) returned no message (finish reason: \(response.finishReason?.rawValue ?? "none"))")
      }
      var usedRefs = Set(message.toolRequests.compactMap(\.ref))
      message.content = message.content.enumerated().map { position, part in
        guard case .toolRequest(var request) = part, request.ref == nil else { return part }
        var ref = String(position)
        while usedRefs.contains(ref) { ref += "'" }
        usedRefs.insert(ref)
        request.ref = ref
        return .toolRequest(request)
      }
      var history = messages + [message]
      let requests = message.toolRequests
      let usage = response.usage ?? GenerationUsage()
      guard !requests.isEmpty, !tools.isEmpty else {
        try validateFinal?(response)
        return GenerateResult(response: response, messages: history, usage: usage, turns: 1)
      }
      guard index + 1 < maxTurns else {
        let names = requests.map(\.name).joined(separator: ", ")
        throw FlowError(
          .aborted, "exceeded the maximum of \(maxTurns) model turns: the model still asked for tools (\(names))")
      }
      history.append(Message(role: .tool, content: try await runTools(requests)))
      var result = try await turn(index + 1, messages: history)
      result.usage = usage + result.usage
      result.turns += 1
      return result
    }
  }

  /// Runs the requested tools concurrently; responses keep the order of the requests.
  func runTools(_ requests: [ToolRequest]) async throws -> [Part] {
    if requests.count == 1, let only = requests.first { return [try await runTool(only)] }
    return try await withThrowingTaskGroup(of: (Int, Part).self) { group in
      for (position, request) in requests.enumerated() {
        group.addTask { (position, try await runTool(request)) }
      }
      var parts: [(Int, Part)] = []
      for try await part in group { parts.append(part) }
      return parts.sorted { $0.0 < $1.0 }.map(\.1)
    }
  }

  func runTool(_ request: ToolRequest) async throws -> Part {
    guard let tool = tools.first(where: { $0.name == request.name }) else {
      let known = tools.map(\.name).joined(separator: ", ")
      let output: JSONValue = ["error": .string("NOT_FOUND: no tool named '\(request.name)' (available: \(known))")]
      return .toolResponse(ToolResponse(name: request.name, ref: request.ref, output: output))
    }
    do {
      let output = try await tool.call(request.input ?? .null)
      return .toolResponse(ToolResponse(name: request.name, ref: request.ref, output: output))
    } catch {
      try Task.checkCancellation()
      if toolErrors == .fail { throw error }
      let failure = FlowError(wrapping: error)
      let output: JSONValue = ["error": .string("\(failure.status.rawValue): \(failure.message)")]
      return .toolResponse(ToolResponse(name: request.name, ref: request.ref, output: output))
    }
  }
}

/// Extracting and checking structured output from model text.
enum StructuredOutput {
  /// Parses the JSON in `text` (tolerating code fences and text around one JSON value), validates it
  /// against `schema`, and decodes it.
  static func decode<T: Decodable>(_ type: T.Type, from text: String, schema: JSONValue) throws -> T {
    guard let value = extractJSON(text) else {
      throw FlowError(
        .invalidArgument, "model output is not JSON: \(excerpt(text))", details: ["text": .string(text)])
    }
    let violations = SchemaValidator(schema: schema).validate(value)
    if !violations.isEmpty {
      throw FlowError(
        .invalidArgument,
        "model output does not match the output schema: \(violations.map(\.description).joined(separator: "; ")) (output: \(excerpt(text)))",
        details: ["text": .string(text)])
    }
    do {
      return try JSONValueDecoder().decode(T.self, from: value)
    } catch let error as DecodingError {
      throw FlowError(.invalidArgument, "model output does not decode: \(error.pathMessage) (output: \(excerpt(text)))")
    }
  }

  static func extractJSON(_ text: String) -> JSONValue? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    if let value = try? JSONValue(parsing: trimmed) { return value }
    var body = Substring(trimmed)
    if let fence = body.range(of: "```") {
      body = body[fence.upperBound...]
      if let newline = body.firstIndex(of: "\n") { body = body[body.index(after: newline)...] }
      if let end = body.range(of: "```") { body = body[..<end.lowerBound] }
      if let value = try? JSONValue(parsing: String(body)) { return value }
    }
    guard let start = trimmed.firstIndex(where: { $0 == "{" || $0 == "[" }),
      let end = trimmed.lastIndex(where: { $0 == "}" || $0 == "]" }), start < end
    else { return nil }
    return try? JSONValue(parsing: String(trimmed[start...end]))
  }

  static func excerpt(_ text: String) -> String {
    let flat = text.replacingOccurrences(of: "\n", with: " ")
    return flat.count > 200 ? String(flat.prefix(200)) + "…" : flat
  }
}

/// What a `generate` span records as its input (Genkit's `GenerateActionOptions`).
struct GenerateActionOptions: Encodable, Sendable {
  var model: String
  var messages: [Message]
  var tools: [String]?
  var config: GenerationConfig?
  var output: OutputConfig?
  var maxTurns: Int
}
