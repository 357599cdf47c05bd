import AsyncHTTPClient
import Flows
import FlowsAI
import FlowsClient

/// A model served by an OpenAI-compatible chat-completions endpoint.
///
/// One call maps one Genkit `GenerateRequest` to one `POST {baseURL}/chat/completions` and back;
/// the generate loop (tools, turns, structured output) lives in FlowsAI. When the caller streams,
/// the request uses SSE and text deltas are forwarded as `GenerateResponseChunk`s.
///
/// Failures are `FlowError`s that keep the server's message: HTTP 400 → `INVALID_ARGUMENT`,
/// 401 → `UNAUTHENTICATED`, 403 → `PERMISSION_DENIED`, 404 → `NOT_FOUND`, 408/504 and timeouts →
/// `DEADLINE_EXCEEDED`, 429 → `RESOURCE_EXHAUSTED`, 500 → `INTERNAL`, 502/503 and connection
/// failures → `UNAVAILABLE`, an unexpected body → `INTERNAL`. Cancelling the calling task cancels
/// the HTTP request and throws `CancellationError`.
public struct OpenAICompatibleModel: Sendable {
  /// The server and model this talks to.
  public let configuration: OpenAICompatibleConfiguration
  /// The client that sends the requests.
  public let httpClient: HTTPClient

  /// A model for `configuration`, sending requests with `httpClient`.
  public init(
    configuration: OpenAICompatibleConfiguration, httpClient: HTTPClient = OpenAICompatibleModel.defaultHTTPClient
  ) {
    self.configuration = configuration
    self.httpClient = httpClient
  }

  /// A process-wide client suited to model servers: the same as `FlowClient.defaultHTTPClient` (a
  /// refused connection fails at once, connecting times out after 10 s, no read timeout: the
  /// configuration's `timeout` bounds each call). Never shut down.
  public static var defaultHTTPClient: HTTPClient { FlowClient.defaultHTTPClient }

  /// Sends `request` and returns the model's response; streams text chunks to `streamer` when it
  /// is streaming.
  public func generate(_ request: GenerateRequest, streamer: ModelStreamer) async throws -> GenerateResponse {
    let streaming = streamer.isStreaming
    let body = ChatRequestEncoder(configuration: configuration).body(for: request, stream: streaming)
    let call = ChatCompletionsCall(configuration: configuration, httpClient: httpClient)
    return try await call.perform(body: body.serializedBytes(), streaming: streaming, streamer: streamer)
  }

  /// The `ModelInfo` registered by default: a label naming the server and model.
  public var defaultInfo: ModelInfo {
    ModelInfo(label: "\(configuration.model) (OpenAI-compatible, \(configuration.normalizedBaseURL))")
  }
}

extension FlowRuntime {
  /// Registers a model served by an OpenAI-compatible chat-completions server, as
  /// `/model/<name>` (default name `openai/<configuration.model>`), traced as a `model` span.
  @discardableResult
  public func defineOpenAICompatibleModel(
    name: String? = nil, configuration: OpenAICompatibleConfiguration, info: ModelInfo? = nil,
    httpClient: HTTPClient = OpenAICompatibleModel.defaultHTTPClient
  ) -> Model {
    let model = OpenAICompatibleModel(configuration: configuration, httpClient: httpClient)
    return defineModel(name ?? "openai/" + configuration.model, info: info ?? model.defaultInfo) { request, streamer in
      try await model.generate(request, streamer: streamer)
    }
  }
}
