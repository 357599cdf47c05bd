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
  /// | `POST /api/otlp` | the same for a trace request (`resourceSpans`); other payloads (Python Genkit's logs) `200 {}`, ignored |
  /// | `POST /api/otlp/v1/logs\|metrics` | `200 {}`, ignored |
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
    for path in ["/api/otlp/v1/logs", "/api/otlp/v1/metrics"] {
      post(RouterPath(path)) { request, _ in await routes.ignoreOTLP(request) }
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

  /// `POST /api/otlp/v1/logs|metrics`: accepted and ignored (`{}`), so runtimes that post OTLP logs
  /// or metrics get no errors.
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

  static func validate(_ raw: String?) -> Result<String, Invalid> {
    guard let raw else { return .failure(Invalid(description: "trace id is missing")) }
    let id = raw.removingPercentEncoding ?? raw
    if id.isEmpty || id == "." || id == ".." || id.contains("/") || id.contains("\\") || id.contains("\0")
      || id.utf8.count > 256
    {
      return .failure(Invalid(description: "invalid trace id \(JSONValue.string(id).serialized())"))
    }
    return .success(id)
  }
}
