import AsyncHTTPClient
import Flows
import FlowsAI
import FlowsClient
import NIOCore
import NIOHTTP1

/// One HTTP exchange with `/chat/completions`: send, check the status, then read a JSON body or
/// an SSE stream, all within the configured timeout and cancellable.
struct ChatCompletionsCall: Sendable {
  let configuration: OpenAICompatibleConfiguration
  let httpClient: HTTPClient

  /// Largest JSON body accepted (a chat completion is far smaller).
  static let maxBodyBytes = 32 << 20
  /// Largest error body read.
  static let maxErrorBodyBytes = 1 << 20

  var baseURL: String { configuration.normalizedBaseURL }

  func perform(body: [UInt8], streaming: Bool, streamer: ModelStreamer) async throws -> GenerateResponse {
    let timeout = configuration.timeout
    let baseURL = self.baseURL
    return try await withTimeout(
      timeout,
      onTimeout: {
        FlowError(.deadlineExceeded, "the model server at \(baseURL) did not finish within \(timeout)")
      }
    ) {
      try await exchange(body: body, streaming: streaming, streamer: streamer)
    }
  }

  func makeRequest(body: [UInt8], streaming: Bool) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: configuration.chatCompletionsURL)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "Accept", value: streaming ? "text/event-stream" : "application/json")
    request.headers.add(name: "User-Agent", value: "flowscope")
    if let apiKey = configuration.apiKey { request.headers.add(name: "Authorization", value: "Bearer " + apiKey) }
    for (name, value) in configuration.extraHeaders.sorted(by: { $0.key < $1.key }) {
      request.headers.replaceOrAdd(name: name, value: value)
    }
    request.body = .bytes(ByteBuffer(bytes: body))
    return request
  }

  func exchange(body: [UInt8], streaming: Bool, streamer: ModelStreamer) async throws -> GenerateResponse {
    let response = try await send(makeRequest(body: body, streaming: streaming))
    let status = Int(response.status.code)
    guard (200..<300).contains(status) else {
      let bytes = try await collect(response.body, limit: Self.maxErrorBodyBytes)
      throw OpenAIErrorMapper.httpError(
        status: status, body: bytes, url: configuration.chatCompletionsURL,
        retryAfter: response.headers.first(name: "retry-after"))
    }
    let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
    if contentType.contains("text/event-stream") || (streaming && !contentType.contains("json")) {
      return try await ChatStreamReader(baseURL: baseURL, streamer: streamer).read(response.body)
    }
    let bytes = try await collect(response.body, limit: Self.maxBodyBytes)
    let json: JSONValue
    do {
      json = try JSONValue(parsing: bytes)
    } catch {
      throw FlowError(
        .internal,
        "malformed response from the model server (\(error)): "
          + OpenAIErrorMapper.excerpt(String(decoding: bytes, as: UTF8.self)))
    }
    let result = try ChatResponseDecoder.response(from: json, rawText: String(decoding: bytes, as: UTF8.self))
    if streaming, let message = result.message, !message.content.isEmpty {
      // The server answered in one piece although a stream was asked for: pass it on as one chunk.
      streamer.send(GenerateResponseChunk(role: .model, content: message.content))
    }
    return result
  }

  /// Sends the request and returns once the response head arrived. A request that fails because
  /// a pooled keep-alive connection was closed under it is sent once more on a fresh connection:
  /// servers such as llama-server close the connection after each streamed response although they
  /// announce keep-alive, and the pool may hand that connection out before it sees the close.
  func send(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
    var attempt = 1
    while true {
      do {
        return try await httpClient.execute(request, timeout: TimeAmount(configuration.timeout))
      } catch {
        if attempt == 1, !Task.isCancelled, OpenAIErrorMapper.isStaleConnection(error) {
          attempt += 1
          continue
        }
        throw OpenAIErrorMapper.transportError(error, baseURL: baseURL, duringStream: false)
      }
    }
  }

  /// The whole body, up to `limit` bytes (more is an `INTERNAL` error).
  func collect(_ body: HTTPClientResponse.Body, limit: Int) async throws -> [UInt8] {
    var bytes: [UInt8] = []
    do {
      for try await buffer in body {
        try Task.checkCancellation()
        bytes.append(contentsOf: buffer.readableBytesView)
        if bytes.count > limit {
          throw FlowError(.internal, "the model server's response is larger than \(limit) bytes")
        }
      }
    } catch {
      throw OpenAIErrorMapper.transportError(error, baseURL: baseURL, duringStream: false)
    }
    return bytes
  }
}

extension TimeAmount {
  /// The same span of time (saturating at the largest `TimeAmount`).
  init(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    let (total, overflowAdding) = nanos.addingReportingOverflow(attoseconds / 1_000_000_000)
    self = .nanoseconds(overflow || overflowAdding ? .max : total)
  }
}
