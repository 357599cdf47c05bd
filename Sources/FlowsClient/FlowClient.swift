import AsyncHTTPClient
import Flows

/// Calls flows served over HTTP with Genkit's callable protocol (any Genkit server: JS, Go,
/// Python, or Flowscope's own).
///
/// `run` POSTs `{"data": input}` to `<baseURL>/<flow>` and returns the `result`; `stream` asks for
/// `text/event-stream` and delivers the chunks as they arrive, then the result. Server errors
/// become `FlowError`s with the server's status and message; transport failures become
/// `UNAVAILABLE` (naming the URL), an exceeded `timeout` `DEADLINE_EXCEEDED`, and cancelling the
/// calling task closes the request.
///
/// ```swift
/// let client = FlowClient(baseURL: "http://127.0.0.1:3400", timeout: .seconds(60))
/// let greeting = try await client.run(flow: "greet", input: ["name": "Ada"]).result
/// let countdown = client.stream(flow: "countdown", input: 3)
/// for try await tick in countdown { print(tick) }
/// print(try await countdown.output)
/// ```
public struct FlowClient: Sendable {
  /// The flow server's base URL; a flow's URL is this plus `/<flow name>`.
  public let baseURL: String
  /// The HTTP client requests go through.
  public let httpClient: HTTPClient
  /// Headers sent with every request (for example `Authorization`); a call's own headers win.
  public var headers: [String: String]
  /// The longest a whole call may take, from sending the request to reading the result (for a
  /// stream: the last frame). A call that takes longer fails with `DEADLINE_EXCEEDED`.
  public var timeout: Duration

  /// A client for the flows served under `baseURL` (for example `http://127.0.0.1:3400` or
  /// `https://example.com/api/`).
  ///
  /// The default `httpClient` is `FlowClient.defaultHTTPClient`. `HTTPClient.shared` works too,
  /// but it retries a refused connection until its 90-second connect timeout, so an unreachable
  /// server then fails with `DEADLINE_EXCEEDED` after `timeout` instead of `UNAVAILABLE` at once.
  public init(
    baseURL: String, httpClient: HTTPClient = FlowClient.defaultHTTPClient, headers: [String: String] = [:],
    timeout: Duration = .seconds(300)
  ) {
    self.baseURL = baseURL
    self.httpClient = httpClient
    self.headers = headers
    self.timeout = timeout
  }

  /// A process-wide HTTP client suited to flow servers (never shut down): a refused connection
  /// fails at once instead of being retried, connecting times out after 10 s, redirects are
  /// followed (at most 5), and there is no read timeout (a flow may work for a long time before
  /// its first byte; each call's `timeout` bounds it instead).
  public static let defaultHTTPClient: HTTPClient = {
    var pool = HTTPClient.Configuration.ConnectionPool()
    pool.retryConnectionEstablishment = false
    let configuration = HTTPClient.Configuration(
      redirectConfiguration: .follow(max: 5, allowCycles: false),
      timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10)),
      connectionPool: pool)
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
  }()

  /// The URL a flow is served at: the base URL, a `/`, and the flow name (percent-encoded where
  /// it is not a valid path).
  public func url(for flow: String) -> String {
    FlowRequest.url(base: baseURL, flow: flow)
  }

  /// Runs `flow` with `input` and returns its result and the server's trace id.
  ///
  /// - Throws: `FlowError` with the server's status and message for an error response (or the
  ///   status matching the HTTP code when the body is not a Genkit error), `INTERNAL` for a
  ///   malformed answer, `UNAVAILABLE` when the server cannot be reached, `DEADLINE_EXCEEDED`
  ///   after `timeout`; `CancellationError` when the calling task is cancelled.
  public func run(flow: String, input: JSONValue, headers: [String: String] = [:]) async throws -> FlowRunResult {
    let request = FlowRequest(
      url: url(for: flow), input: input, clientHeaders: self.headers, callHeaders: headers, streaming: false)
    let exchange = FlowExchange(httpClient: httpClient, request: request, timeout: timeout)
    return try await exchange.withDeadline { try await exchange.run() }
  }

  /// Runs `flow` with `input`, streaming: iterate the returned stream for the chunks, then await
  /// its `output` for the result (or await `output` alone).
  ///
  /// The request is sent when the stream is first used (iterated, or `output` or `traceId`
  /// awaited). Cancelling the task that iterates it or awaits its `output`, abandoning the
  /// iteration before the end, or dropping the stream closes the request.
  public func stream(flow: String, input: JSONValue, headers: [String: String] = [:]) -> FlowClientStream {
    let request = FlowRequest(
      url: url(for: flow), input: input, clientHeaders: self.headers, callHeaders: headers, streaming: true)
    return stream(request)
  }

  /// Comes back to a durable stream of `flow` (a server started with durable streams sends its id,
  /// `FlowClientStream.streamId`): the stream again from its first chunk, then the rest as it
  /// comes, then the result.
  ///
  /// - Throws: (from the stream and its `output`) `NOT_FOUND` "Stream not found." when the server
  ///   does not have the stream (unknown, expired, or durable streams are off), besides the
  ///   errors of `stream(flow:input:headers:)`.
  public func resume(flow: String, streamId: String, headers: [String: String] = [:]) -> FlowClientStream {
    var callHeaders = headers
    callHeaders["x-genkit-stream-id"] = streamId
    let request = FlowRequest(
      url: url(for: flow), input: .null, clientHeaders: self.headers, callHeaders: callHeaders, streaming: true)
    return stream(request)
  }

  private func stream(_ request: FlowRequest) -> FlowClientStream {
    let exchange = FlowExchange(httpClient: httpClient, request: request, timeout: timeout)
    let call = FlowStreamCall { call in
      do {
        try await exchange.withDeadline { try await exchange.stream(into: call) }
      } catch {
        call.finish(.failure(error))
      }
    }
    return FlowClientStream(url: request.url, call: call)
  }
}
