import Flows

/// A flow as the debugger lists it.
public struct FlowEntry: Sendable, Equatable {
  public var name: String
  public var key: String
  public var description: String?
  public var inputSchema: JSONValue?
  public var outputSchema: JSONValue?
  /// Whether the flow streams chunks (shown with ⇣).
  public var streams: Bool
  /// Tools the flow may call (shown with 🔧 when not empty).
  public var tools: [String]

  public init(
    name: String, key: String? = nil, description: String? = nil, inputSchema: JSONValue? = nil,
    outputSchema: JSONValue? = nil, streams: Bool = false, tools: [String] = []
  ) {
    self.name = name
    self.key = key ?? "/flow/\(name)"
    self.description = description
    self.inputSchema = inputSchema
    self.outputSchema = outputSchema
    self.streams = streams
    self.tools = tools
  }

  /// The entry for a registered flow.
  public init(_ descriptor: ActionDescriptor) {
    let tools = descriptor.metadata["tools"]?.arrayValue?.compactMap(\.stringValue) ?? []
    self.init(
      name: descriptor.name, key: descriptor.key, description: descriptor.description,
      inputSchema: descriptor.inputSchema, outputSchema: descriptor.outputSchema, streams: descriptor.streams,
      tools: tools)
  }

  /// `{subject: string}`-style summary of the input schema.
  public var inputSummary: String { SchemaSummary.describe(inputSchema) }
}
