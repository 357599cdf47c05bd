import Flows
import HTTPTypes
import Hummingbird

extension RouterMethods {
  /// Mounts Genkit's reflection API v1 for `runtime`, so the Genkit CLI and Dev UI (and
  /// Flowscope's own debugger) can list and run its actions:
  ///
  /// | route | answer |
  /// |---|---|
  /// | `GET /api/__health[?id=]` | `200 OK`; `503 Invalid runtime ID` when `id` is not ours |
  /// | `GET /api/actions` | `{key: descriptor}` with JSON Schemas |
  /// | `POST /api/runAction[?stream=true]` | see `ReflectionRunAction`; unknown key 404, bad body 400 |
  /// | `POST /api/cancelAction {traceId}` | 200 / 404 / 400 |
  /// | `POST /api/notify {telemetryServerUrl, reflectionApiSpecVersion}` | `200 OK` |
  /// | `GET /api/envs` | `["dev"]` |
  /// | `GET /api/values?type=defaultModel\|middleware` | `{name: value}`; 400 without a supported type |
  /// | `GET` or `POST /api/__quitquitquit` | `200 OK`, then the state's `quit` (by default a graceful shutdown of the process) |
  ///
  /// Every response carries `x-genkit-version: swift/<version>`. There is no authentication:
  /// serve it on loopback only (as `ReflectionServer` does).
  ///
  /// - Parameters:
  ///   - runtime: The runtime whose registry is exposed.
  ///   - state: Runtime id, runs in progress and the telemetry exporter; a default one otherwise.
  /// - Returns: The state, to inspect runs or the telemetry URL `/api/notify` set.
  @discardableResult
  public func addReflectionAPI(runtime: FlowRuntime, state: ReflectionState = ReflectionState()) -> ReflectionState {
    let routes = ReflectionRoutes(runtime: runtime, state: state)
    let group = self.group().add(
      middleware: ReflectionVersionMiddleware<Context>(version: ReflectionVersion.genkitVersion))
    group.get("/api/__health") { request, _ in routes.health(request) }
    group.get("/api/actions") { _, _ in routes.actions() }
    group.post("/api/runAction") { request, _ in
      await ReflectionRunAction(runtime: runtime, state: state).respond(to: request)
    }
    group.post("/api/cancelAction") { request, _ in await routes.cancel(request) }
    group.post("/api/notify") { request, _ in await routes.notify(request) }
    group.get("/api/envs") { _, _ in ReflectionHTTP.json(.array(state.environments.map { .string($0) })) }
    group.get("/api/values") { request, _ in routes.values(request) }
    // JS, Go and Dart answer GET, Python GET and POST.
    group.get("/api/__quitquitquit") { _, _ in routes.quit() }
    group.post("/api/__quitquitquit") { _, _ in routes.quit() }
    return state
  }
}

/// The small reflection endpoints.
struct ReflectionRoutes: Sendable {
  let runtime: FlowRuntime
  let state: ReflectionState

  /// `GET /api/__health[?id=]`: Genkit answers text `OK`, or 503 `Invalid runtime ID`.
  func health(_ request: Request) -> Response {
    if let id = request.uri.queryParameters.get("id"), !id.isEmpty, id != state.runtimeId {
      return ReflectionHTTP.text("Invalid runtime ID", status: .serviceUnavailable)
    }
    return ReflectionHTTP.text("OK")
  }

  /// `/api/__quitquitquit`: answers `OK`, then quits. With the default (`SIGTERM`), the graceful
  /// shutdown still lets this answer and any run in progress finish.
  func quit() -> Response {
    state.logger.info("quitting: /api/__quitquitquit")
    state.quit()
    return ReflectionHTTP.text("OK")
  }

  /// `GET /api/actions`: every registered action by key, in Genkit's descriptor shape.
  func actions() -> Response {
    var object = JSONObject()
    for action in runtime.registry.all { object[action.key] = action.descriptor.json }
    return ReflectionHTTP.json(.object(object))
  }

  /// `POST /api/cancelAction {traceId}`, with Genkit JS's answers.
  func cancel(_ request: Request) async -> Response {
    let traceId: String?
    do {
      traceId = try await ReflectionHTTP.readJSON(request, limit: 1 << 20)["traceId"]?.stringValue
    } catch {
      return ReflectionHTTP.json(["error": .string(error.description)], status: ReflectionHTTP.status(for: error))
    }
    guard let traceId, !traceId.isEmpty else {
      return ReflectionHTTP.json(["error": "traceId is required"], status: .badRequest)
    }
    guard state.activeRuns.cancel(traceId: traceId) else {
      return ReflectionHTTP.json(["message": "Action not found or already completed"], status: .notFound)
    }
    return ReflectionHTTP.json(["message": "Action cancelled"])
  }

  /// `POST /api/notify {telemetryServerUrl, reflectionApiSpecVersion}`: answers `OK`.
  func notify(_ request: Request) async -> Response {
    let body: JSONValue
    do {
      body = try await ReflectionHTTP.readJSON(request, limit: 1 << 20)
    } catch {
      return ReflectionHTTP.json(["error": .string(error.description)], status: ReflectionHTTP.status(for: error))
    }
    guard case .object = body else {
      return ReflectionHTTP.json(["error": "notify body must be a JSON object"], status: .badRequest)
    }
    let version = body["reflectionApiSpecVersion"]?.int64Value.map { Int($0) }
    state.notify(telemetryServerURL: body["telemetryServerUrl"]?.stringValue, reflectionApiSpecVersion: version)
    return ReflectionHTTP.text("OK")
  }

  /// The value types Genkit's `/api/values` knows.
  static let valueTypes: Set<String> = ["defaultModel", "middleware"]

  /// `GET /api/values?type=defaultModel|middleware`.
  func values(_ request: Request) -> Response {
    guard let type = request.uri.queryParameters.get("type"), !type.isEmpty else {
      return ReflectionHTTP.json(["error": "Query parameter \"type\" is required."], status: .badRequest)
    }
    guard Self.valueTypes.contains(type) else {
      return ReflectionHTTP.json(
        ["error": .string("'type' \(type) is not supported. Only 'defaultModel' and 'middleware' are supported")],
        status: .badRequest)
    }
    return ReflectionHTTP.json(.object(state.values(type)))
  }
}
