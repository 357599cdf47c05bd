import AsyncHTTPClient
import Flows
import FlowsAI
import FlowsOpenAI
import FlowsTestSupport
import Foundation
import Synchronization
import Testing

// MARK: - Fixtures

/// The text of a file in `Tests/FlowsOpenAITests/Fixtures` (captures of real llama-server answers).
func fixture(_ name: String) throws -> String {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
  return try String(contentsOf: url, encoding: .utf8)
}

// MARK: - Models over the stub

/// A runtime with an OpenAI-compatible model pointing at `server`.
func makeModel(
  _ server: StubServer, timeout: Duration = .seconds(30), apiKey: String? = nil,
  responseFormat: OpenAICompatibleConfiguration.ResponseFormat = .jsonSchema, includeUsage: Bool = true,
  extraHeaders: [String: String] = [:], runtime: FlowRuntime = FlowRuntime()
) -> Model {
  let configuration = OpenAICompatibleConfiguration(
    baseURL: server.baseURL, model: "stub-model", apiKey: apiKey, timeout: timeout, extraHeaders: extraHeaders,
    responseFormat: responseFormat, includeUsageInStream: includeUsage)
  return runtime.defineOpenAICompatibleModel(configuration: configuration)
}

/// Runs `body` against a stub started with `script`, stopping the stub afterwards.
func withStub<T>(
  _ script: @escaping @Sendable (StubRequest, Int) -> StubResponse, _ body: (StubServer) async throws -> T
) async throws -> T {
  let server = try await StubServer.start(script)
  do {
    let result = try await body(server)
    await server.stop()
    return result
  } catch {
    await server.stop()
    throw error
  }
}

func withStub<T>(_ responses: [StubResponse], _ body: (StubServer) async throws -> T) async throws -> T {
  try await withStub({ _, index in responses[min(index, responses.count - 1)] }, body)
}

func withStub<T>(_ response: StubResponse, _ body: (StubServer) async throws -> T) async throws -> T {
  try await withStub({ _, _ in response }, body)
}

// MARK: - SSE building

/// `data: <json>\n\n` frames for the given chunk objects, followed by `data: [DONE]`.
func sseFrames(_ chunks: [String], done: Bool = true, lineEnding: String = "\n") -> [String] {
  var frames = chunks.map { "data: \($0)\(lineEnding)\(lineEnding)" }
  if done { frames.append("data: [DONE]\(lineEnding)\(lineEnding)") }
  return frames
}

/// A `chat.completion.chunk` with a text delta.
func textChunk(_ text: String, finish: String? = nil) -> String {
  let delta = JSONValue.object(JSONObject([("content", .string(text))])).serialized()
  return chunk(delta: delta, finish: finish)
}

/// A `chat.completion.chunk` with the given delta JSON.
func chunk(delta: String, finish: String? = nil) -> String {
  let reason = finish.map { "\"\($0)\"" } ?? "null"
  return
    #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"stub","choices":[{"index":0,"delta":\#(delta),"finish_reason":\#(reason)}]}"#
}

/// A usage-only final chunk (`choices: []`).
func usageChunk(prompt: Int, completion: Int) -> String {
  #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"stub","choices":[],"usage":{"prompt_tokens":\#(prompt),"completion_tokens":\#(completion),"total_tokens":\#(prompt + completion)}}"#
}

/// A whole `chat.completion` body with text content.
func completion(_ text: String?, finish: String = "stop", usage: (Int, Int)? = (10, 5)) -> String {
  let content = text.map { JSONValue.string($0).serialized() } ?? "null"
  let usageJSON =
    usage.map { #","usage":{"prompt_tokens":\#($0.0),"completion_tokens":\#($0.1),"total_tokens":\#($0.0 + $0.1)}"# }
    ?? ""
  return
    #"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"stub","choices":[{"index":0,"message":{"role":"assistant","content":\#(content)},"finish_reason":"\#(finish)"}]\#(usageJSON)}"#
}

// MARK: - Errors

// MARK: - Synchronization helpers

// MARK: - Trace events

/// Collects every event published on a runtime's bus while `body` runs.
func collectEvents<T>(_ runtime: FlowRuntime, _ body: () async throws -> T) async throws -> (T, [TraceEvent]) {
  let subscription = runtime.bus.subscribe(name: "test")
  let result = try await body()
  runtime.bus.unsubscribe(subscription)
  var events: [TraceEvent] = []
  for await batch in subscription { events += batch }
  return (result, events)
}

/// A chunk sink that ignores chunks when `streaming`, else nil (a non-streaming call).
func ignoringChunks(_ streaming: Bool) -> (@Sendable (GenerateResponseChunk) -> Void)? {
  guard streaming else { return nil }
  return { (_: GenerateResponseChunk) in }
}
