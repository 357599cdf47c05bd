import Flows
import Synchronization

/// A tool the model can call: typed input and output, a description, a derived JSON Schema;
/// registered as `/tool/<name>` and traced as a span of subtype `tool`.
public struct Tool<Input: Codable & Sendable, Output: Codable & Sendable>: Sendable {
  public let definition: ToolDefinition
  public let runtime: FlowRuntime
  let body: @Sendable (Input) async throws -> Output

  public var name: String { definition.name }

  /// Calls the tool directly (traced).
  public func callAsFunction(_ input: Input) async throws -> Output {
    try await callTraced(input, onSpan: nil)
  }

  /// Calls the tool in its span, handing the span to `onSpan` as soon as it starts.
  func callTraced(_ input: Input, onSpan: (@Sendable (SpanInfo) -> Void)?) async throws -> Output {
    let body = self.body
    return try await runtime.traced(
      name, kind: .tool, input: .encodable(input), actionKey: "/tool/" + name, recordOutput: { .encodable($0) }
    ) { span in
      onSpan?(span)
      return try await body(input)
    }
  }

  /// The tool with JSON input and output, as the generate loop calls it.
  public var erased: AnyTool {
    let tool = self
    return AnyTool(definition: definition) { input, onSpan in
      let typed: Input
      do {
        typed = try JSONValueDecoder().decode(Input.self, from: input)
      } catch let error as DecodingError {
        // Record the rejected call as a tool span too, so the trace shows what the model sent.
        return try await tool.runtime.traced(
          tool.name, kind: .tool, input: .json(input), actionKey: "/tool/" + tool.name, recordOutput: { .json($0) }
        ) { span in
          onSpan?(span)
          throw FlowError(.invalidArgument, "tool \(tool.name): \(error.pathMessage)")
        }
      }
      let output = try await tool.callTraced(typed, onSpan: onSpan)
      return try JSONValueEncoder().encode(output)
    }
  }
}

/// A tool with JSON input and output.
public struct AnyTool: Sendable {
  public let definition: ToolDefinition
  let invoke: @Sendable (JSONValue, (@Sendable (SpanInfo) -> Void)?) async throws -> JSONValue

  /// A tool from a definition and a JSON function; `onSpan`, when given, receives the tool's span
  /// as soon as it starts.
  public init(
    definition: ToolDefinition,
    invoke:
      @escaping @Sendable (_ input: JSONValue, _ onSpan: (@Sendable (SpanInfo) -> Void)?) async throws -> JSONValue
  ) {
    self.definition = definition
    self.invoke = invoke
  }

  public var name: String { definition.name }

  /// Calls the tool with JSON input (traced).
  public func call(_ input: JSONValue) async throws -> JSONValue { try await invoke(input, nil) }
}

extension FlowRuntime {
  /// Defines and registers a tool.
  @discardableResult
  public func defineTool<Input: Codable & Sendable, Output: Codable & Sendable>(
    _ name: String, description: String, inputSchema: JSONValue? = nil,
    _ body: @escaping @Sendable (Input) async throws -> Output
  ) -> Tool<Input, Output> {
    let definition = ToolDefinition(
      name: name, description: description,
      inputSchema: inputSchema ?? (try? JSONSchemaDerivation.schema(for: Input.self)),
      outputSchema: try? JSONSchemaDerivation.schema(for: Output.self))
    let tool = Tool(definition: definition, runtime: self, body: body)
    let erased = tool.erased
    aiRegistry.register(erased)
    registry.register(
      AnyAction(
        descriptor: ActionDescriptor(
          key: "/tool/" + name, name: name, actionType: "tool", description: description,
          inputSchema: definition.inputSchema, outputSchema: definition.outputSchema)
      ) { input, options in
        let started = Mutex<SpanInfo?>(nil)
        let output: JSONValue
        do {
          output = try await erased.invoke(input) { span in
            started.withLock { $0 = span }
            options.onTraceStarted?(span.traceId.hex, span.spanId.hex)
          }
        } catch {
          var flowError = FlowError(wrapping: error)
          flowError.traceId = flowError.traceId ?? started.withLock { $0?.traceId.hex }
          throw flowError
        }
        let span = started.withLock { $0 }
        return ActionRunResult(result: output, traceId: span?.traceId.hex ?? "", spanId: span?.spanId.hex ?? "")
      })
    return tool
  }
}
