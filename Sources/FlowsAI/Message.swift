import Flows

/// Who speaks in a conversation, as Genkit names the roles.
public enum Role: String, Codable, Sendable, Hashable, CaseIterable {
  case user, model, system, tool
}

/// A request from the model to call a tool (`toolRequest` part).
public struct ToolRequest: Codable, Sendable, Hashable {
  public var name: String
  /// Correlates the request with its response; models that give no id get one assigned.
  public var ref: String?
  public var input: JSONValue?

  public init(name: String, ref: String? = nil, input: JSONValue? = nil) {
    self.name = name
    self.ref = ref
    self.input = input
  }
}

/// A tool's answer to a `ToolRequest` (`toolResponse` part).
public struct ToolResponse: Codable, Sendable, Hashable {
  public var name: String
  public var ref: String?
  public var output: JSONValue?

  public init(name: String, ref: String? = nil, output: JSONValue? = nil) {
    self.name = name
    self.ref = ref
    self.output = output
  }
}

/// Media referenced by URL (often a `data:` URL).
public struct Media: Codable, Sendable, Hashable {
  public var url: String
  public var contentType: String?

  public init(url: String, contentType: String? = nil) {
    self.url = url
    self.contentType = contentType
  }
}

/// One piece of message content, encoded exactly as Genkit does: an object with one of `text`,
/// `media`, `toolRequest`, `toolResponse` or `data` (plus optional `metadata`).
public enum Part: Sendable, Hashable {
  case text(String)
  case media(Media)
  case toolRequest(ToolRequest)
  case toolResponse(ToolResponse)
  case data(JSONValue)
}

extension Part: Codable {
  enum CodingKeys: String, CodingKey { case text, media, toolRequest, toolResponse, data }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if let text = try container.decodeIfPresent(String.self, forKey: .text) {
      self = .text(text)
    } else if let request = try container.decodeIfPresent(ToolRequest.self, forKey: .toolRequest) {
      self = .toolRequest(request)
    } else if let response = try container.decodeIfPresent(ToolResponse.self, forKey: .toolResponse) {
      self = .toolResponse(response)
    } else if let media = try container.decodeIfPresent(Media.self, forKey: .media) {
      self = .media(media)
    } else if container.contains(.data) {
      self = .data(try container.decode(JSONValue.self, forKey: .data))
    } else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: container.codingPath,
          debugDescription: "expected a part with text, media, toolRequest, toolResponse or data"))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    switch self {
    case .text(let text): try container.encode(text, forKey: .text)
    case .media(let media): try container.encode(media, forKey: .media)
    case .toolRequest(let request): try container.encode(request, forKey: .toolRequest)
    case .toolResponse(let response): try container.encode(response, forKey: .toolResponse)
    case .data(let data): try container.encode(data, forKey: .data)
    }
  }
}

extension Part: JSONSchemaProviding {
  /// Genkit's part union, one object shape per kind (derivation cannot see the alternatives of the
  /// hand-written decoder, and would require `data` on every part).
  public static var jsonSchema: JSONValue {
    func kind(_ key: String, _ schema: JSONValue) -> JSONValue {
      ["type": "object", "properties": [key: schema, "metadata": ["type": "object"]], "required": [.string(key)]]
    }
    func call(_ payload: String) -> JSONValue {
      [
        "type": "object", "properties": ["name": ["type": "string"], "ref": ["type": "string"], payload: [:]],
        "required": ["name"],
      ]
    }
    return [
      "anyOf": [
        kind("text", ["type": "string"]),
        kind(
          "media",
          [
            "type": "object", "properties": ["url": ["type": "string"], "contentType": ["type": "string"]],
            "required": ["url"],
          ]),
        kind("toolRequest", call("input")),
        kind("toolResponse", call("output")),
        kind("data", [:]),
      ]
    ]
  }
}

extension Part {
  public var text: String? { if case .text(let t) = self { return t } else { return nil } }
  public var toolRequest: ToolRequest? { if case .toolRequest(let r) = self { return r } else { return nil } }
  public var toolResponse: ToolResponse? { if case .toolResponse(let r) = self { return r } else { return nil } }
}

/// A message of a conversation.
public struct Message: Codable, Sendable, Hashable {
  public var role: Role
  public var content: [Part]
  public var metadata: JSONValue?

  public init(role: Role, content: [Part], metadata: JSONValue? = nil) {
    self.role = role
    self.content = content
    self.metadata = metadata
  }

  public static func user(_ text: String) -> Message { Message(role: .user, content: [.text(text)]) }
  public static func system(_ text: String) -> Message { Message(role: .system, content: [.text(text)]) }
  public static func model(_ text: String) -> Message { Message(role: .model, content: [.text(text)]) }

  /// All text parts joined.
  public var text: String { content.compactMap(\.text).joined() }

  /// The tool requests in this message.
  public var toolRequests: [ToolRequest] { content.compactMap(\.toolRequest) }
}
