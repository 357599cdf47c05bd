import Foundation

/// Where and how to reach an OpenAI-compatible chat-completions server (OpenAI, Ollama,
/// llama.cpp's `llama-server`, vLLM, llama-cpp-python, …).
public struct OpenAICompatibleConfiguration: Sendable, Hashable {
  /// How structured output (`GenerateRequest.output.schema`) is requested.
  public enum ResponseFormat: Sendable, Hashable {
    /// `{"type": "json_schema", "json_schema": {"name": "output", "schema": …}}`: OpenAI, vLLM,
    /// Ollama, llama-server.
    case jsonSchema
    /// `{"type": "json_object", "schema": …}`: llama-cpp-python, which rejects `json_schema`.
    case jsonObjectWithSchema
  }

  /// The API root including the version, e.g. `http://127.0.0.1:8080/v1` (a trailing `/` is fine).
  public var baseURL: String
  /// The model id the server knows (`model` in the request body).
  public var model: String
  /// Sent as `Authorization: Bearer <apiKey>` when set.
  public var apiKey: String?
  /// Upper bound for one model call, from sending the request to the end of the response
  /// (including a whole stream). Exceeding it is `DEADLINE_EXCEEDED`.
  public var timeout: Duration
  /// Headers added to every request (e.g. `OpenAI-Organization`).
  public var extraHeaders: [String: String]
  /// How structured output is requested.
  public var responseFormat: ResponseFormat
  /// Asks for a final usage chunk when streaming (`stream_options.include_usage`).
  public var includeUsageInStream: Bool

  /// A configuration; only `baseURL` and `model` are required.
  public init(
    baseURL: String, model: String, apiKey: String? = nil, timeout: Duration = .seconds(120),
    extraHeaders: [String: String] = [:], responseFormat: ResponseFormat = .jsonSchema,
    includeUsageInStream: Bool = true
  ) {
    self.baseURL = baseURL
    self.model = model
    self.apiKey = apiKey
    self.timeout = timeout
    self.extraHeaders = extraHeaders
    self.responseFormat = responseFormat
    self.includeUsageInStream = includeUsageInStream
  }

  /// The default API root when neither an argument nor `OPENAI_BASE_URL` gives one.
  public static let defaultBaseURL = "https://api.openai.com/v1"

  /// A configuration from arguments, falling back to the environment: `OPENAI_BASE_URL` (default
  /// `https://api.openai.com/v1`) and `OPENAI_API_KEY` (empty values count as unset).
  public static func fromEnvironment(
    model: String, baseURL: String? = nil, apiKey: String? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> OpenAICompatibleConfiguration {
    func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
    return OpenAICompatibleConfiguration(
      baseURL: nonEmpty(baseURL) ?? nonEmpty(environment["OPENAI_BASE_URL"]) ?? defaultBaseURL,
      model: model,
      apiKey: nonEmpty(apiKey) ?? nonEmpty(environment["OPENAI_API_KEY"]))
  }

  /// `baseURL` without trailing slashes.
  var normalizedBaseURL: String {
    var url = Substring(baseURL.trimmingCharacters(in: .whitespaces))
    while url.hasSuffix("/") { url = url.dropLast() }
    return String(url)
  }

  /// The chat-completions endpoint.
  var chatCompletionsURL: String { normalizedBaseURL + "/chat/completions" }
}
