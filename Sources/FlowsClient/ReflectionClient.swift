import AsyncHTTPClient
import Flows

/// Talks to a Genkit runtime's reflection API v1 (what `genkit start` and the Dev UI use), so that
/// Flowscope can list and run the actions of JS, Go, Python and Swift runtimes.
///
/// The base URL is the runtime's `reflectionServerUrl` (from its runtime file, see
/// `RuntimeDiscovery`), for example `http://127.0.0.1:3100`; requests go exactly there.
///
/// Errors are `FlowError`s: a runtime's error object keeps its canonical status, message and
/// `details` (`stack`, `traceId`); other answers get the status of their HTTP code; a runtime that
/// cannot be reached is `UNAVAILABLE` ("cannot reach the reflection server at …"); a request that
/// takes longer than its timeout is `DEADLINE_EXCEEDED`. Cancelling the calling task closes the
/// request and throws `CancellationError`.
///
/// ```swift
/// let client = ReflectionClient(baseURL: runtime.reflectionServerUrl)
/// try await client.health(id: runtime.id)
/// let flows = try await client.actions().filter { $0.type == "flow" }
/// let run = try await client.runAction(
///   key: "/flow/menu", input: "pirate",
///   onTraceStarted: { traceId, _ in print("trace", traceId) },
///   onChunk: { chunk in print(chunk.serialized()) })
/// print(run.result.serialized())
/// ```
public struct ReflectionClient: Sendable {
  /// The reflection server's URL, without trailing slashes.
  public let baseURL: String
  /// The HTTP client requests go through.
  public let httpClient: HTTPClient
  /// The longest `health`, `actions`, `cancelAction` and `notify` may take.
  public var timeout: Duration
  /// The longest a `runAction` may take, from sending the request to reading the final object.
  public var runTimeout: Duration
  private let cancellations: ReflectionCancellations

  /// A client for the runtime whose reflection server is at `baseURL`.
  ///
  /// The default `httpClient` is `FlowClient.defaultHTTPClient`: a refused connection fails at
  /// once (a runtime that is gone is reported immediately) and there is no read timeout (a run may
  /// be silent for a long time before its first chunk; `runTimeout` bounds it instead).
  public init(
    baseURL: String, httpClient: HTTPClient = FlowClient.defaultHTTPClient, timeout: Duration = .seconds(10),
    runTimeout: Duration = .seconds(3600)
  ) {
    var base = Substring(baseURL)
    while base.hasSuffix("/") { base = base.dropLast() }
    self.baseURL = String(base)
    self.httpClient = httpClient
    self.timeout = timeout
    self.runTimeout = runTimeout
    self.cancellations = ReflectionCancellations()
  }

  private var transport: ReflectionTransport { ReflectionTransport(httpClient: httpClient) }

  /// `baseURL` + `path` (which starts with `/`).
  public func url(_ path: String) -> String { baseURL + path }

  /// Checks that the runtime answers `GET /api/__health`; with `id`, that it is that runtime (a JS,
  /// Go or Swift runtime answers 503 `Invalid runtime ID` for another id; Genkit Python ignores it).
  ///
  /// - Throws: `FlowError` `UNAVAILABLE` when nothing answers at the URL, the status of the HTTP
  ///   code for any other answer than 2xx, `DEADLINE_EXCEEDED` after `timeout`.
  public func health(id: String? = nil) async throws {
    let path = "/api/__health" + (id.flatMap { $0.isEmpty ? nil : "?id=" + Self.percentEncoded($0) } ?? "")
    let url = url(path)
    let transport = self.transport
    try await ReflectionTransport.withDeadline(timeout, "GET \(url)") { [timeout] in
      let response = try await transport.send(ReflectionTransport.request(.GET, url: url), url: url, timeout: timeout)
      guard (200..<300).contains(response.status.code) else {
        var error = try await transport.errorResponse(response, url: url)
        if let id, response.status.code == 503 {
          error.message = "the reflection server at \(baseURL) is not runtime \(id): \(error.message)"
        }
        throw error
      }
      _ = try await transport.collect(response.body, url: url, limit: ReflectionTransport.maxErrorBodyBytes)
    }
  }

  /// The runtime's actions (`GET /api/actions`), sorted by key.
  ///
  /// - Throws: `FlowError` for an error answer or a body that is not a JSON object (`INTERNAL`),
  ///   besides the transport errors `health` lists.
  public func actions() async throws -> [RemoteAction] {
    let url = url("/api/actions")
    let transport = self.transport
    let bytes = try await ReflectionTransport.withDeadline(timeout, "GET \(url)") { [timeout] in
      let response = try await transport.send(ReflectionTransport.request(.GET, url: url), url: url, timeout: timeout)
      guard response.status.code == 200 else { throw try await transport.errorResponse(response, url: url) }
      return try await transport.collect(response.body, url: url, limit: ReflectionTransport.maxBodyBytes)
    }
    let json: JSONValue
    do {
      json = try JSONValue(parsing: bytes)
    } catch {
      throw ReflectionErrors.malformedBody("action list", bytes: bytes, url: url, reason: "\(error)")
    }
    guard let object = json.objectValue else {
      throw ReflectionErrors.malformedBody(
        "action list", bytes: bytes, url: url, reason: "expected an object of actions, got \(json.typeName)")
    }
    return object.entries.map { RemoteAction(key: $0.key, descriptor: $0.value) }.sorted { $0.key < $1.key }
  }

  /// Runs the action `key` (`POST /api/runAction`) and returns its result.
  ///
  /// With `onChunk` the run streams (`?stream=true`): each chunk is passed to `onChunk` as it
  /// arrives, in order, before this returns. `onTraceStarted` gets the trace and root span ids as
  /// soon as the response head arrives (runtimes send it once the root span exists), before any
  /// chunk; it is not called when the runtime sends no trace id (an input rejected before the run).
  ///
  /// Cancelling the calling task closes the request; whether that stops the run depends on the
  /// runtime (Genkit Python cancels it), so call `cancelAction(traceId:)` to stop it for sure.
  ///
  /// - Parameters:
  ///   - key: The action key, for example `/flow/menu`.
  ///   - input: The action's input.
  ///   - context: The action context (`auth` and other members), sent as `context`.
  ///   - telemetryLabels: Attributes the runtime records on the root span.
  /// - Throws: the runtime's error as a `FlowError` (its canonical status, message, `details` with
  ///   `stack`, and `traceId`), `NOT_FOUND` for an unknown key, `CANCELLED` for a run that was
  ///   cancelled, `INTERNAL` for an answer that is not the protocol's (naming the bad line),
  ///   `UNAVAILABLE` when the runtime cannot be reached or the connection is lost,
  ///   `DEADLINE_EXCEEDED` after `runTimeout`; `CancellationError` when the task is cancelled.
  public func runAction(
    key: String, input: JSONValue = .null, context: JSONObject? = nil, telemetryLabels: [String: String]? = nil,
    onTraceStarted: (@Sendable (_ traceId: String, _ spanId: String?) -> Void)? = nil,
    onChunk: (@Sendable (JSONValue) -> Void)? = nil
  ) async throws -> ReflectionRunResult {
    var body: JSONObject = ["key": .string(key), "input": input]
    if let context { body["context"] = .object(context) }
    if let telemetryLabels {
      body["telemetryLabels"] = .object(
        JSONObject(telemetryLabels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
    }
    let streaming = onChunk != nil
    let call = ReflectionRunCall(
      transport: transport, url: url(streaming ? "/api/runAction?stream=true" : "/api/runAction"),
      body: .object(body), streaming: streaming, cancellations: cancellations, onTraceStarted: onTraceStarted,
      onChunk: onChunk)
    let runTimeout = self.runTimeout
    return try await ReflectionTransport.withDeadline(runTimeout, "the run of \(key) at \(baseURL)") {
      // The transport's own deadline comes later, so the message that names the run wins the race.
      try await call.run(timeout: runTimeout + .seconds(1))
    }
  }

  /// Asks the runtime to cancel the run with this trace id (`POST /api/cancelAction`): true when it
  /// did, false when it knows no such run in progress (404). The run then ends with a `CANCELLED`
  /// error.
  ///
  /// - Throws: `FlowError` for any other answer, besides the transport errors `health` lists.
  public func cancelAction(traceId: String) async throws -> Bool {
    let url = url("/api/cancelAction")
    let transport = self.transport
    // Recorded before asking: the runtime may end the run (and its response) before this call
    // has read the answer.
    let isNew = cancellations.record(traceId)
    do {
      let cancelled = try await ReflectionTransport.withDeadline(timeout, "POST \(url)") { [timeout] in
        let request = ReflectionTransport.request(.POST, url: url, json: ["traceId": .string(traceId)])
        let response = try await transport.send(request, url: url, timeout: timeout)
        switch response.status.code {
        case 200..<300:
          _ = try await transport.collect(response.body, url: url, limit: ReflectionTransport.maxErrorBodyBytes)
          return true
        case 404:
          _ = try await transport.collect(response.body, url: url, limit: ReflectionTransport.maxErrorBodyBytes)
          return false
        default:
          throw try await transport.errorResponse(response, url: url)
        }
      }
      if !cancelled, isNew { cancellations.remove(traceId) }
      return cancelled
    } catch {
      if isNew { cancellations.remove(traceId) }
      throw error
    }
  }

  /// Tells the runtime where the telemetry server is (`POST /api/notify`), as the Genkit CLI does
  /// after discovering it. Runtimes started with `GENKIT_TELEMETRY_SERVER` keep that one, and Genkit
  /// Python ignores the call.
  ///
  /// - Throws: `FlowError` for an answer other than 2xx, besides the transport errors `health` lists.
  public func notify(telemetryServerURL: String?, reflectionApiSpecVersion: Int = 1) async throws {
    let url = url("/api/notify")
    var body: JSONObject = ["reflectionApiSpecVersion": .integer(Int64(reflectionApiSpecVersion))]
    if let telemetryServerURL { body["telemetryServerUrl"] = .string(telemetryServerURL) }
    let transport = self.transport
    try await ReflectionTransport.withDeadline(timeout, "POST \(url)") { [timeout, body] in
      let response = try await transport.send(
        ReflectionTransport.request(.POST, url: url, json: .object(body)), url: url, timeout: timeout)
      guard (200..<300).contains(response.status.code) else {
        throw try await transport.errorResponse(response, url: url)
      }
      _ = try await transport.collect(response.body, url: url, limit: ReflectionTransport.maxErrorBodyBytes)
    }
  }

  /// Asks the runtime to quit (`GET /api/__quitquitquit`, which every Genkit runtime answers
  /// before it stops). Returns once the runtime has answered, not once it has exited.
  ///
  /// - Throws: `FlowError` for an answer other than 2xx, besides the transport errors `health` lists.
  public func quit() async throws {
    let url = url("/api/__quitquitquit")
    let transport = self.transport
    try await ReflectionTransport.withDeadline(timeout, "GET \(url)") { [timeout] in
      let response = try await transport.send(ReflectionTransport.request(.GET, url: url), url: url, timeout: timeout)
      guard (200..<300).contains(response.status.code) else {
        throw try await transport.errorResponse(response, url: url)
      }
      _ = try await transport.collect(response.body, url: url, limit: ReflectionTransport.maxErrorBodyBytes)
    }
  }

  /// `value` with every byte but the unreserved ones (`A-Z a-z 0-9 - . _ ~`) percent-encoded.
  static func percentEncoded(_ value: String) -> String {
    var encoded = ""
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
        UInt8(ascii: "~"):
        encoded.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        encoded += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
      }
    }
    return encoded
  }
}
