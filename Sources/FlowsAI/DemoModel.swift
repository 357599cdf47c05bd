import Flows
import Foundation

/// An offline, deterministic stand-in for a real model, for demos and tests. It is not a language
/// model: it answers from templates, streams word by word at a configurable pace, calls the tools
/// it is offered (once each, with arguments taken from the prompt), then writes an answer that
/// uses the tool results. With an output schema it returns JSON that fits the schema.
public enum DemoModel {
  /// The registered name of the demo model.
  public static let name = "demo/assistant"

  /// Registers `demo/assistant`. `paceMilliseconds` is the delay between streamed words.
  @discardableResult
  public static func register(in runtime: FlowRuntime, paceMilliseconds: Int = 30) -> Model {
    runtime.defineModel(
      name, info: ModelInfo(label: "Demo assistant (offline, scripted; not a real model)")
    ) { request, streamer in
      let reply = respond(to: request)
      let started = ContinuousClock.now
      if streamer.isStreaming, case .text(let text)? = reply.content.first, reply.content.count == 1 {
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        for (i, word) in words.enumerated() {
          try Task.checkCancellation()
          streamer.send(GenerateResponseChunk(content: [.text((i == 0 ? "" : " ") + word)]))
          if paceMilliseconds > 0 { try await Task.sleep(for: .milliseconds(paceMilliseconds)) }
        }
      } else if paceMilliseconds > 0 {
        try await Task.sleep(for: .milliseconds(paceMilliseconds * 3))
      }
      let inputTokens = request.messages.reduce(0) { $0 + tokenCount(of: $1) }
      let outputTokens = tokenCount(of: reply)
      let elapsed = started.duration(to: .now)
      return GenerateResponse(
        message: reply, finishReason: .stop,
        usage: GenerationUsage(inputTokens: inputTokens, outputTokens: outputTokens),
        latencyMs: Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
    }
  }

  static func tokenCount(of message: Message) -> Int {
    message.content.reduce(0) { total, part in
      switch part {
      case .text(let text): return total + max(text.split(separator: " ").count, 1)
      case .toolRequest(let request): return total + 4 + (request.input?.serialized().count ?? 0) / 4
      case .toolResponse(let response): return total + 4 + (response.output?.serialized().count ?? 0) / 4
      default: return total + 8
      }
    }
  }

  /// The scripted reply to a request.
  static func respond(to request: GenerateRequest) -> Message {
    // Only the exchange since the latest user message counts: an earlier question's tool calls
    // must not stop a new question from calling the tools again.
    let lastUser = request.messages.lastIndex(where: { $0.role == .user })
    let prompt = lastUser.map { request.messages[$0].text } ?? ""
    let results = request.messages[(lastUser ?? request.messages.startIndex)...].flatMap {
      $0.content.compactMap(\.toolResponse)
    }
    let answered = Set(results.map(\.name))
    if let tools = request.tools, request.toolChoice != "none",
      let next = tools.first(where: { !answered.contains($0.name) })
    {
      return Message(
        role: .model, content: [.toolRequest(ToolRequest(name: next.name, input: arguments(for: next, prompt: prompt)))]
      )
    }
    if let schema = request.output?.schema {
      return .model(sample(for: schema, prompt: prompt, key: "").serialized())
    }
    if !results.isEmpty { return .model(summary(of: results, prompt: prompt)) }
    return .model(chatReply(to: prompt, turn: request.messages.filter { $0.role == .user }.count))
  }

  /// Arguments for a tool from its input schema: city-like fields get the city in the prompt,
  /// other strings a topic word, numbers small defaults.
  static func arguments(for tool: ToolDefinition, prompt: String) -> JSONValue {
    guard let properties = tool.inputSchema?["properties"]?.objectValue else { return .object([:]) }
    var object = JSONObject()
    for (name, schema) in properties.entries {
      let lower = name.lowercased()
      if lower.contains("city") || lower.contains("location") || lower.contains("place") {
        object[name] = .string(city(in: prompt))
      } else {
        object[name] = sample(for: schema, prompt: prompt, key: lower)
      }
    }
    return .object(object)
  }

  static let knownCities = [
    "Paris", "London", "Tokyo", "Berlin", "Oslo", "Rome", "Madrid", "Lisbon", "Vienna", "Prague", "Sydney", "Toronto",
    "New York", "San Francisco", "Amsterdam", "Dublin", "Seoul", "Istanbul",
  ]

  /// The city named in the text: a known city, else the capitalised word after "in", else Paris.
  static func city(in text: String) -> String {
    let words = text.split(whereSeparator: { !$0.isLetter && $0 != "-" }).map(String.init)
    // Whole words only: "Rome" is not in "chromebook".
    let lowered = " " + words.joined(separator: " ").lowercased() + " "
    if let known = knownCities.first(where: { lowered.contains(" " + $0.lowercased() + " ") }) { return known }
    for (i, word) in words.enumerated() where word.lowercased() == "in" && i + 1 < words.count {
      let candidate = words[i + 1]
      if candidate.first?.isUppercase == true { return candidate }
    }
    return "Paris"
  }

  /// A value that satisfies `schema`, seeded from the prompt.
  static func sample(for schema: JSONValue, prompt: String, key: String) -> JSONValue {
    if let options = schema["enum"]?.arrayValue, let first = options.first { return first }
    let type = schema["type"]?.stringValue ?? schema["type"]?.arrayValue?.first?.stringValue ?? "string"
    switch type {
    case "object":
      var object = JSONObject()
      for (name, child) in schema["properties"]?.objectValue?.entries ?? [] {
        object[name] = sample(for: child, prompt: prompt, key: name.lowercased())
      }
      return .object(object)
    case "array":
      let itemSchema = schema["items"] ?? ["type": "string"]
      if itemSchema["type"]?.stringValue == "string" && itemSchema["enum"] == nil {
        return .array([.string(topic(of: prompt)), "salt", "water"])
      }
      return .array([sample(for: itemSchema, prompt: prompt, key: key)])
    case "integer": return .integer(key.contains("age") ? 30 : key.contains("minute") ? 20 : 3)
    case "number": return .number(key.contains("price") ? 12.5 : 4.5)
    case "boolean": return .bool(true)
    case "null": return .null
    default:
      if key.contains("city") { return .string(city(in: prompt)) }
      if key.contains("name") || key.contains("title") { return .string(topic(of: prompt).capitalized) }
      if key.contains("cuisine") { return "local" }
      return .string(topic(of: prompt))
    }
  }

  /// A rough topic: the word after "for", "about" or "of" when there is one, else the longest word.
  static func topic(of prompt: String) -> String {
    let words = prompt.split(whereSeparator: { !$0.isLetter }).map(String.init)
    for (i, word) in words.enumerated() where ["for", "about", "of"].contains(word.lowercased()) && i + 1 < words.count
    {
      let next = words[i + 1]
      if next.count > 2 && !["the", "a", "an", "my", "your"].contains(next.lowercased()) { return next.lowercased() }
    }
    return words.filter { $0.count > 3 }.max { $0.count < $1.count }?.lowercased() ?? "something"
  }

  static func summary(of results: [ToolResponse], prompt: String) -> String {
    var sentences = ["Here is what I found for \"\(prompt)\"."]
    for result in results {
      let output = result.output ?? .null
      if let error = output["error"]?.stringValue {
        sentences.append("The \(result.name) tool failed (\(error)), so I cannot use it.")
        continue
      }
      sentences.append("From \(result.name): \(describe(output)).")
    }
    sentences.append("Enjoy your day!")
    return sentences.joined(separator: " ")
  }

  /// A short human description of a tool result.
  static func describe(_ value: JSONValue) -> String {
    switch value {
    case .object(let object):
      return object.entries.prefix(6).map { "\($0.key) \(describe($0.value))" }.joined(separator: ", ")
    case .array(let items):
      return items.prefix(5).map(describe).joined(separator: "; ")
    case .string(let text): return text
    default: return value.serialized()
    }
  }

  static func chatReply(to prompt: String, turn: Int) -> String {
    let lower = prompt.lowercased()
    if lower.isEmpty { return "Hello! Ask me anything — I am the offline demo model, so my answers are scripted." }
    let words = Set(lower.split(whereSeparator: { !$0.isLetter }).map(String.init))
    if !words.isDisjoint(with: ["hello", "hi", "hey"]) {
      return "Hello! I am the offline demo assistant. I stream my answers word by word so you can watch them arrive."
    }
    if lower.contains("joke") {
      return "Why do programmers prefer dark mode? Because light attracts bugs."
    }
    if lower.contains("weather") {
      return "I cannot see the sky from here, but with a weather tool I could look up \(city(in: prompt)) for you."
    }
    return
      "You asked about \(topic(of: prompt)). This is the offline demo model (turn \(turn)): it answers from a script, "
      + "streams each word with a small delay, and calls the tools it is offered so traces show real tool spans."
  }
}
