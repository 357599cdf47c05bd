import Flows
import Foundation
import HTTPTypes
import Hummingbird
import TraceStore

/// Settings of the telemetry API routes.
public struct TelemetryAPIOptions: Sendable {
  /// Mount `GET /api/__health` too. Turn off when the reflection API is on the same router
  /// (both define it, and a router takes one handler per route).
  public var includesHealthCheck: Bool
  /// How often an idle trace stream sends a `: keep-alive` comment.
  public var keepAliveInterval: Duration
  /// The largest accepted `POST /api/traces` body (Genkit's server allows 100 MB).
  public var maxBodySize: Int

  /// Options.
  public init(
    includesHealthCheck: Bool = true, keepAliveInterval: Duration = .seconds(15), maxBodySize: Int = 100 << 20
  ) {
    self.includesHealthCheck = includesHealthCheck
    self.keepAliveInterval = keepAliveInterval
    self.maxBodySize = maxBodySize
  }
}

extension RouterMethods {
  /// Mounts Genkit's telemetry server API over a `TraceStore`, so other Genkit runtimes can export
  /// to this process (`GENKIT_TELEMETRY_SERVER=http://127.0.0.1:<port>`) and Genkit tooling can
  /// read its traces:
  ///
  /// | route | answer |
  /// |---|---|
  /// | `GET /api/__health` | `200 OK` |
  /// | `GET /api/traces?limit=&continuationToken=&filter=` | `{"traces": [...], "continuationToken"?}`, newest first, root span only, string attributes over 1000 characters cut; bad filter or token 400 |
  /// | `GET /api/traces/:traceId` | the full `TraceData`; 404 `{"code":5,…}` when unknown (Genkit sends an empty 200) |
  /// | `GET /api/traces/:traceId/stream` | SSE: snapshot, then `span_start`/`span_end` events until the root span ends |
  /// | `POST /api/traces` | ingests a (partial) `TraceData`, merged by span id; `200 OK`; malformed 400 |
  /// | `POST /api/otlp/v1/traces` | OTLP/JSON `ExportTraceServiceRequest`, converted to Genkit spans (`OTLPJSONTraceConverter`) and ingested like `POST /api/traces`; `200 {"partialSuccess":{…}}`; malformed 400, protobuf or compressed 415 |
  /// | `POST /api/otlp/v1/logs` | OTLP/JSON `ExportLogsServiceRequest`, stored as Genkit `LogRecordData` (`OTLPJSONLogConverter`); `200 {"partialSuccess":{}}`; malformed 400 |
  /// | `POST /api/otlp` | Genkit's catch-all: the trace records (`resourceSpans`) and the log records (`resourceLogs`, what Python Genkit sends) of a request; `200 {"partialSuccess":{…}}` with traces, else `{}` |
  /// | `POST /api/otlp/v1/metrics` | `200 {}`, ignored |
  /// | `GET /api/logs?limit=&continuationToken=` | `{"logs": [LogRecordData…], "continuationToken"?}`, newest first, 100 by default |
  /// | `GET /api/traces/:traceId/logs`, `GET /api/traces/:traceId/spans/:spanId/logs` | the same, for one trace or one span |
  ///
  /// Trace ids in paths must not be empty, `.`, `..`, or contain `/`, `\` or NUL (400).
  /// Ingested spans are also published on `bus` as `.spanReceived`, which is what live streams
  /// (and any other bus subscriber, such as the debugger) see; local runs on the same bus stream
  /// live too. Without a bus the routes use a private one.
  ///
  /// Errors of the store answer 500 `{"code": 13, "message": …, "details": {"stack": …}}`, as Genkit's.
  public func addTelemetryAPI(
    store: TraceStore, bus: EventBus? = nil, options: TelemetryAPIOptions = TelemetryAPIOptions()
  ) {
    let routes = TelemetryRoutes(store: store, bus: bus ?? EventBus(), options: options)
    if options.includesHealthCheck {
      get("/api/__health") { _, _ in ReflectionHTTP.text("OK") }
    }
    get("/api/traces") { request, _ in routes.list(request) }
    post("/api/traces") { request, _ in await routes.ingest(request) }
    get("/api/traces/:traceId") { _, context in routes.trace(context.parameters.get("traceId")) }
    get("/api/traces/:traceId/stream") { _, context in routes.stream(context.parameters.get("traceId")) }
    post("/api/otlp") { request, _ in await routes.ingestOTLP(request, endpoint: .any) }
    post("/api/otlp/v1/traces") { request, _ in await routes.ingestOTLP(request, endpoint: .traces) }
    post("/api/otlp/v1/logs") { request, _ in await routes.ingestOTLP(request, endpoint: .logs) }
    post("/api/otlp/v1/metrics") { request, _ in await routes.ignoreOTLP(request) }
    get("/api/logs") { request, _ in routes.logs(request, trace: nil, span: nil) }
    get("/api/traces/:traceId/logs") { request, context in
      routes.logs(request, trace: .some(context.parameters.get("traceId")), span: nil)
    }
    get("/api/traces/:traceId/spans/:spanId/logs") { request, context in
      routes.logs(
        request, trace: .some(context.parameters.get("traceId")), span: .some(context.parameters.get("spanId")))
    }
  }
}

/// The telemetry route handlers.
struct TelemetryRoutes: Sendable {
  let store: TraceStore
  let bus: EventBus
  let options: TelemetryAPIOptions

  /// `GET /api/traces`.
  func list(_ request: Request) -> Response {
    let query = request.uri.queryParameters
    let limit = query.get("limit").flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 10
    let filter: TelemetryTraceFilter
    do {
      filter = try query.get("filter").map { try TelemetryTraceFilter(parsing: $0) } ?? TelemetryTraceFilter()
    } catch {
      return Self.failure(.invalidArgument, "\(error)", status: .badRequest)
    }
    let token = query.get("continuationToken").flatMap { $0.isEmpty ? nil : $0 }
    do {
      let page = try store.listTelemetryTraces(filter: filter, limit: limit, continuationToken: token)
      return ReflectionHTTP.json(page.json)
    } catch TraceStoreError.invalidContinuationToken(let token) {
      return Self.failure(.invalidArgument, "invalid continuationToken '\(token)'", status: .badRequest)
    } catch {
      return Self.failure(.internal, "\(error)", status: .internalServerError)
    }
  }

  /// `GET /api/traces/:traceId`.
  func trace(_ rawId: String?) -> Response {
    let traceId: String
    switch TelemetryTraceId.validate(rawId) {
    case .success(let id): traceId = id
    case .failure(let error): return Self.failure(.invalidArgument, error.description, status: .badRequest)
    }
    do {
      guard let trace = try store.trace(id: traceId) else {
        return Self.failure(.notFound, "trace \(traceId) not found", status: .notFound)
      }
      return ReflectionHTTP.json(trace.json)
    } catch {
      return Self.failure(.internal, "\(error)", status: .internalServerError)
    }
  }

  /// `GET /api/traces/:traceId/stream`.
  func stream(_ rawId: String?) -> Response {
    switch TelemetryTraceId.validate(rawId) {
    case .success(let traceId):
      return TelemetryTraceStream(store: store, bus: bus, keepAlive: options.keepAliveInterval).respond(
        traceId: traceId)
    case .failure(let error):
      return Self.failure(.invalidArgument, error.description, status: .badRequest)
    }
  }

  /// `POST /api/traces`.
  func ingest(_ request: Request) async -> Response {
    let body: JSONValue
    do {
      body = try await ReflectionHTTP.readJSON(request, limit: options.maxBodySize)
    } catch {
      return Self.failure(.invalidArgument, error.description, status: ReflectionHTTP.status(for: error))
    }
    do {
      try TelemetryIngest(store: store, bus: bus).ingest(body)
      return ReflectionHTTP.text("OK")
    } catch let error as TelemetryIngest.Invalid {
      return Self.failure(.invalidArgument, error.description, status: .badRequest)
    } catch {
      return Self.failure(.internal, "\(error)", status: .internalServerError)
    }
  }

  /// `GET /api/logs`, and the same for one trace (`trace`) or one of its spans (`span`): a `.some`
  /// id is taken from the path (and checked); `nil` means no such filter.
  func logs(_ request: Request, trace: String??, span: String??) -> Response {
    var traceId: String?
    var spanId: String?
    if let trace {
      switch TelemetryTraceId.validate(trace) {
      case .success(let id): traceId = id
      case .failure(let error): return Self.failure(.invalidArgument, error.description, status: .badRequest)
      }
    }
    if let span {
      switch TelemetryTraceId.validate(span, kind: "span") {
      case .success(let id): spanId = id
      case .failure(let error): return Self.failure(.invalidArgument, error.description, status: .badRequest)
      }
    }
    let query = request.uri.queryParameters
    let limit: Int
    let offset: Int
    switch (Self.count(query.get("limit"), default: 100), Self.count(query.get("continuationToken"), default: 0)) {
    case (let l?, let o?):
      limit = l
      offset = o
    case (nil, _):
      return Self.failure(.invalidArgument, "invalid limit '\(query.get("limit") ?? "")'", status: .badRequest)
    case (_, nil):
      return Self.failure(
        .invalidArgument, "invalid continuationToken '\(query.get("continuationToken") ?? "")'", status: .badRequest)
    }
    do {
      let page = try store.logs(traceId: traceId, spanId: spanId, limit: limit, offset: offset)
      var body: JSONObject = ["logs": .array(page.logs.map { .object($0) })]
      if let next = page.nextOffset { body["continuationToken"] = .string(String(next)) }
      return ReflectionHTTP.json(.object(body))
    } catch {
      return Self.failure(.internal, "\(error)", status: .internalServerError)
    }
  }

  /// A non-negative count from a query value (`default` when absent or empty); nil when malformed.
  static func count(_ text: String?, default fallback: Int) -> Int? {
    guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return fallback }
    guard let value = Int(text), value >= 0 else { return nil }
    return value
  }

  /// `POST /api/otlp/v1/metrics`: accepted and ignored (`{}`), so runtimes that post OTLP metrics
  /// get no errors.
  func ignoreOTLP(_ request: Request) async -> Response {
    _ = try? await request.body.collect(upTo: options.maxBodySize)
    return ReflectionHTTP.json([:])
  }

  /// A Genkit `Status` error body `{"code": …, "message": …, "details": {"stack": …}}`.
  static func failure(_ code: StatusCode, _ message: String, status: HTTPResponse.Status) -> Response {
    ReflectionHTTP.json(
      [
        "code": .integer(Int64(code.code)), "message": .string(message),
        "details": ["stack": .string("\(code.rawValue): \(message)")],
      ], status: status)
  }
}

/// Trace ids taken from URLs: percent-decoded, then refused when they could name a path
/// (Genkit's `resolveTracePath` rule: empty, `.`, `..`, or containing `/`, `\` or NUL).
enum TelemetryTraceId {
  struct Invalid: Error, CustomStringConvertible {
    var description: String
  }

  /// The id, or why it is refused; `kind` names it in the message (`trace`, `span`).
  static func validate(_ raw: String?, kind: String = "trace") -> Result<String, Invalid> {
    guard let raw else { return .failure(Invalid(description: "\(kind) id is missing")) }
    let id = raw.removingPercentEncoding ?? raw
    if id.isEmpty || id == "." || id == ".." || id.contains("/") || id.contains("\\") || id.contains("\0")
      || id.utf8.count > 256
    {
      return .failure(Invalid(description: "invalid \(kind) id \(JSONValue.string(id).serialized())"))
    }
    return .success(id)
  }
}
