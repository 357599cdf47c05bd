import Flows
import Synchronization

/// What a model can do, published in its action metadata (`metadata.model` as Genkit does).
public struct ModelInfo: Sendable, Hashable {
  public var label: String?
  public var supportsTools: Bool
  public var supportsSystemRole: Bool
  public var supportsStructuredOutput: Bool

  public init(
    label: String? = nil, supportsTools: Bool = true, supportsSystemRole: Bool = true,
    supportsStructuredOutput: Bool = true
  ) {
    self.label = label
    self.supportsTools = supportsTools
    self.supportsSystemRole = supportsSystemRole
    self.supportsStructuredOutput = supportsStructuredOutput
  }

  var metadata: JSONObject {
    var supports = JSONObject()
    supports["multiturn"] = true
    supports["tools"] = .bool(supportsTools)
    supports["systemRole"] = .bool(supportsSystemRole)
    supports["output"] = supportsStructuredOutput ? ["text", "json"] : ["text"]
    var model = JSONObject()
    if let label { model["label"] = .string(label) }
    model["supports"] = .object(supports)
    return ["model": .object(model)]
  }
}

/// Hands streamed chunks from a model implementation to whoever asked for a stream.
public struct ModelStreamer: Sendable {
  let sink: (@Sendable (GenerateResponseChunk) -> Void)?

  public init(sink: (@Sendable (GenerateResponseChunk) -> Void)?) { self.sink = sink }

  /// True when the caller wants chunks (a model may then stream; it must still return the whole response).
  public var isStreaming: Bool { sink != nil }

  public func send(_ chunk: GenerateResponseChunk) { sink?(chunk) }
}

/// A model: an action (`/model/<provider>/<name>`) from `GenerateRequest` to `GenerateResponse`,
/// traced as a span of subtype `model`, streaming chunks when asked.
public struct Model: Sendable {
  public let name: String
  public let info: ModelInfo
  public let runtime: FlowRuntime
  let handler: @Sendable (GenerateRequest, ModelStreamer) async throws -> GenerateResponse

  public var key: String { "/model/" + name }

  /// Calls the model in its own span. `latencyMs` is filled in when the implementation left it out.
  public func generate(
    _ request: GenerateRequest, onChunk: (@Sendable (GenerateResponseChunk) -> Void)? = nil
  ) async throws -> GenerateResponse {
    try await generateTraced(request, onChunk: onChunk).response
  }

  func generateTraced(
    _ request: GenerateRequest, onChunk: (@Sendable (GenerateResponseChunk) -> Void)?,
    onStart: (@Sendable (SpanInfo) -> Void)? = nil
  ) async throws -> (response: GenerateResponse, span: SpanInfo) {
    let handler = self.handler
    return try await runtime.traced(
      name, kind: .model, input: .encodable(request), actionKey: key, recordOutput: { .encodable($0.response) }
    ) { span in
      onStart?(span)
      var response = try await handler(request, ModelStreamer(sink: onChunk))
      if response.latencyMs == nil {
        response.latencyMs = ((TraceClock.nowMilliseconds() - span.startTime) * 10).rounded() / 10
      }
      return (response, span)
    }
  }

  var anyAction: AnyAction {
    let model = self
    let descriptor = ActionDescriptor(
      key: key, name: name, actionType: "model", description: info.label,
      inputSchema: try? JSONSchemaDerivation.schema(for: GenerateRequest.self),
      outputSchema: try? JSONSchemaDerivation.schema(for: GenerateResponse.self), metadata: info.metadata)
    return AnyAction(descriptor: descriptor) { input, options in
      let request: GenerateRequest
      do {
        request = try JSONValueDecoder().decode(GenerateRequest.self, from: input)
      } catch let error as DecodingError {
        throw FlowError(.invalidArgument, error.pathMessage)
      }
      var sink: (@Sendable (GenerateResponseChunk) -> Void)?
      if let deliver = options.onChunk {
        sink = { chunk in deliver((try? JSONValueEncoder().encode(chunk)) ?? .null) }
      }
      let started = Mutex<String?>(nil)
      let notify = options.onTraceStarted
      let response: GenerateResponse
      let span: SpanInfo
      do {
        (response, span) = try await model.generateTraced(request, onChunk: sink) { span in
          started.withLock { $0 = span.traceId.hex }
          notify?(span.traceId.hex, span.spanId.hex)
        }
      } catch {
        var flowError = FlowError(wrapping: error)
        flowError.traceId = flowError.traceId ?? started.withLock { $0 }
        throw flowError
      }
      return ActionRunResult(
        result: try JSONValueEncoder().encode(response), traceId: span.traceId.hex, spanId: span.spanId.hex)
    }
  }
}

extension FlowRuntime {
  /// Defines and registers a model under `/model/<name>` (use `provider/model` names).
  @discardableResult
  public func defineModel(
    _ name: String, info: ModelInfo = ModelInfo(),
    _ handler: @escaping @Sendable (GenerateRequest, ModelStreamer) async throws -> GenerateResponse
  ) -> Model {
    let model = Model(name: name, info: info, runtime: self, handler: handler)
    aiRegistry.register(model)
    registry.register(model.anyAction)
    return model
  }

  /// A registered model by name (`provider/model`), or `NOT_FOUND` listing the known ones.
  public func model(named name: String) throws -> Model {
    if let model = aiRegistry.model(named: name) { return model }
    let known = aiRegistry.modelNames
    throw FlowError(
      .notFound,
      "model '\(name)' not found (\(known.isEmpty ? "no models are registered" : "known models: " + known.joined(separator: ", ")))"
    )
  }
}
