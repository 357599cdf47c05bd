extension FlowRuntime {
  /// Defines and registers a flow without streaming.
  ///
  /// - Parameters:
  ///   - name: The flow name; its key is `/flow/<name>`.
  ///   - description: Shown in flow lists and the reflection API.
  ///   - inputSchema: A JSON Schema to use instead of the one derived from `Input`.
  ///   - outputSchema: A JSON Schema to use instead of the one derived from `Output`.
  ///   - metadata: Extra descriptor metadata.
  @discardableResult
  public func defineFlow<Input: Codable & Sendable, Output: Codable & Sendable>(
    _ name: String, description: String? = nil, inputSchema: JSONValue? = nil, outputSchema: JSONValue? = nil,
    metadata: JSONObject = JSONObject(),
    _ body: @escaping @Sendable (Input) async throws -> Output
  ) -> Flow<Input, Output, Never> {
    register(
      name, description: description, inputSchema: inputSchema, outputSchema: outputSchema, streaming: false,
      metadata: metadata
    ) { (input: Input, _: FlowContext<Never>) in try await body(input) }
  }

  /// Defines and registers a flow that streams chunks through its `FlowContext`.
  @discardableResult
  public func defineStreamingFlow<Input: Codable & Sendable, Output: Codable & Sendable, Chunk: Codable & Sendable>(
    _ name: String, description: String? = nil, inputSchema: JSONValue? = nil, outputSchema: JSONValue? = nil,
    metadata: JSONObject = JSONObject(),
    _ body: @escaping @Sendable (Input, FlowContext<Chunk>) async throws -> Output
  ) -> Flow<Input, Output, Chunk> {
    register(
      name, description: description, inputSchema: inputSchema, outputSchema: outputSchema, streaming: true,
      metadata: metadata, body)
  }

  private func register<Input, Output, Chunk>(
    _ name: String, description: String?, inputSchema: JSONValue?, outputSchema: JSONValue?, streaming: Bool,
    metadata: JSONObject, _ body: @escaping @Sendable (Input, FlowContext<Chunk>) async throws -> Output
  ) -> Flow<Input, Output, Chunk> {
    var metadata = metadata
    metadata["streaming"] = .bool(streaming)
    let descriptor = ActionDescriptor(
      key: "/flow/" + name, name: name, actionType: "flow", description: description,
      inputSchema: inputSchema ?? (try? JSONSchemaDerivation.schema(for: Input.self)),
      outputSchema: outputSchema ?? (try? JSONSchemaDerivation.schema(for: Output.self)),
      streamSchema: streaming ? ((try? JSONSchemaDerivation.schema(for: Chunk.self)) ?? [:]) : nil,
      metadata: metadata)
    let flow = Flow<Input, Output, Chunk>(descriptor: descriptor, runtime: self, body: body)
    registry.register(flow.anyAction)
    return flow
  }
}
