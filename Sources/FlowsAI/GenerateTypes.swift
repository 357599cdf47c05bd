import Flows

/// Why the model stopped, as Genkit names it.
public enum FinishReason: String, Codable, Sendable, Hashable, CaseIterable {
  case stop, length, blocked, interrupted, other, unknown

  public init(from decoder: any Decoder) throws {
    let raw = try decoder.singleValueContainer().decode(String.self)
    self = FinishReason(rawValue: raw) ?? .unknown
  }
}

/// Token counts of one model call.
public struct GenerationUsage: Codable, Sendable, Hashable {
  public var inputTokens: Int?
  public var outputTokens: Int?
  public var totalTokens: Int?

  public init(inputTokens: Int? = nil, outputTokens: Int? = nil, totalTokens: Int? = nil) {
    self.inputTokens = inputTokens
    self.outputTokens = outputTokens
    self.totalTokens = totalTokens ?? inputTokens.flatMap { i in outputTokens.map { i + $0 } }
  }

  public static func + (lhs: GenerationUsage, rhs: GenerationUsage) -> GenerationUsage {
    func add(_ a: Int?, _ b: Int?) -> Int? { a == nil && b == nil ? nil : (a ?? 0) + (b ?? 0) }
    // A usage decoded without `totalTokens` still has a total: input + output.
    func total(_ u: GenerationUsage) -> Int? {
      u.totalTokens ?? u.inputTokens.flatMap { i in u.outputTokens.map { i + $0 } }
    }
    return GenerationUsage(
      inputTokens: add(lhs.inputTokens, rhs.inputTokens), outputTokens: add(lhs.outputTokens, rhs.outputTokens),
      totalTokens: add(total(lhs), total(rhs)))
  }
}

/// Sampling and length settings passed to the model.
public struct GenerationConfig: Codable, Sendable, Hashable, JSONSchemaProviding {
  public var temperature: Double?
  public var maxOutputTokens: Int?
  public var topK: Int?
  public var topP: Double?
  public var stopSequences: [String]?
  /// Any other settings (provider-specific options, `version`, …), kept and passed through as given.
  public var custom: JSONObject

  public init(
    temperature: Double? = nil, maxOutputTokens: Int? = nil, topK: Int? = nil, topP: Double? = nil,
    stopSequences: [String]? = nil, custom: JSONObject = JSONObject()
  ) {
    self.temperature = temperature
    self.maxOutputTokens = maxOutputTokens
    self.topK = topK
    self.topP = topP
    self.stopSequences = stopSequences
    self.custom = custom
  }

  enum Known: String, CaseIterable { case temperature, maxOutputTokens, topK, topP, stopSequences }

  public init(from decoder: any Decoder) throws {
    let object = try JSONValue(from: decoder).objectValue ?? JSONObject()
    let values = JSONValueDecoder()
    func field<T: Decodable>(_ key: Known, _ type: T.Type) throws -> T? {
      guard let value = object[key.rawValue], !value.isNull else { return nil }
      return try values.decode(T.self, from: value)
    }
    temperature = try field(.temperature, Double.self)
    maxOutputTokens = try field(.maxOutputTokens, Int.self)
    topK = try field(.topK, Int.self)
    topP = try field(.topP, Double.self)
    stopSequences = try field(.stopSequences, [String].self)
    custom = JSONObject(object.entries.filter { Known(rawValue: $0.key) == nil }.map { ($0.key, $0.value) })
  }

  public func encode(to encoder: any Encoder) throws {
    var object = JSONObject()
    if let temperature { object["temperature"] = .number(temperature) }
    if let maxOutputTokens { object["maxOutputTokens"] = .integer(Int64(maxOutputTokens)) }
    if let topK { object["topK"] = .integer(Int64(topK)) }
    if let topP { object["topP"] = .number(topP) }
    if let stopSequences { object["stopSequences"] = .array(stopSequences.map { .string($0) }) }
    for (key, value) in custom.entries { object[key] = value }
    try JSONValue.object(object).encode(to: encoder)
  }

  /// Known settings are typed; any other key is allowed (Genkit passes provider options through).
  public static var jsonSchema: JSONValue {
    [
      "type": "object",
      "properties": [
        "temperature": ["type": "number"], "maxOutputTokens": ["type": "integer"], "topK": ["type": "integer"],
        "topP": ["type": "number"], "stopSequences": ["type": "array", "items": ["type": "string"]],
      ],
      "additionalProperties": true,
    ]
  }
}

/// A tool as described to the model.
public struct ToolDefinition: Codable, Sendable, Hashable {
  public var name: String
  public var description: String
  public var inputSchema: JSONValue?
  public var outputSchema: JSONValue?

  public init(name: String, description: String, inputSchema: JSONValue? = nil, outputSchema: JSONValue? = nil) {
    self.name = name
    self.description = description
    self.inputSchema = inputSchema
    self.outputSchema = outputSchema
  }
}

/// The requested output format (structured output when `schema` is set).
public struct OutputConfig: Codable, Sendable, Hashable {
  public var format: String?
  public var schema: JSONValue?
  public var constrained: Bool?

  public init(format: String? = nil, schema: JSONValue? = nil, constrained: Bool? = nil) {
    self.format = format
    self.schema = schema
    self.constrained = constrained
  }
}

/// What a model action receives (Genkit's `GenerateRequest`).
public struct GenerateRequest: Codable, Sendable, Hashable {
  public var messages: [Message]
  public var config: GenerationConfig?
  public var tools: [ToolDefinition]?
  /// `auto`, `required` or `none`.
  public var toolChoice: String?
  public var output: OutputConfig?

  public init(
    messages: [Message], config: GenerationConfig? = nil, tools: [ToolDefinition]? = nil, toolChoice: String? = nil,
    output: OutputConfig? = nil
  ) {
    self.messages = messages
    self.config = config
    self.tools = tools
    self.toolChoice = toolChoice
    self.output = output
  }
}

/// What a model action returns (Genkit's `GenerateResponse`).
public struct GenerateResponse: Codable, Sendable, Hashable {
  public var message: Message?
  public var finishReason: FinishReason?
  public var finishMessage: String?
  public var usage: GenerationUsage?
  public var latencyMs: Double?

  public init(
    message: Message?, finishReason: FinishReason? = nil, finishMessage: String? = nil,
    usage: GenerationUsage? = nil, latencyMs: Double? = nil
  ) {
    self.message = message
    self.finishReason = finishReason
    self.finishMessage = finishMessage
    self.usage = usage
    self.latencyMs = latencyMs
  }

  /// The text of the message.
  public var text: String { message?.text ?? "" }
  /// Tool requests in the message.
  public var toolRequests: [ToolRequest] { message?.toolRequests ?? [] }
}

/// A streamed piece of a model response (Genkit's `GenerateResponseChunk`).
public struct GenerateResponseChunk: Codable, Sendable, Hashable {
  public var role: Role?
  /// Index of the message within a multi-turn generate (0 for the first model turn).
  public var index: Int?
  public var content: [Part]

  public init(role: Role? = .model, index: Int? = nil, content: [Part]) {
    self.role = role
    self.index = index
    self.content = content
  }

  public var text: String { content.compactMap(\.text).joined() }
}
