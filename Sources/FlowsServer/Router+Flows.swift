import Flows
import Hummingbird

extension RouterMethods {
  /// Serves the flows of `registry` with Genkit's callable protocol (the framework integration).
  ///
  /// `POST <prefix>/<flow>` with `{"data": <input>}` answers `{"result": <output>}`, or a
  /// `text/event-stream` of `data: {"message": …}` frames and a final `data: {"result": …}` when
  /// the client sends `Accept: text/event-stream` or `?stream=true`. Flows are looked up per
  /// request, so flows registered later are served too; an unknown name is a JSON 404, and other
  /// methods on a flow's path are 405 with `Allow: POST`.
  ///
  /// ```swift
  /// let router = Router()
  /// router.addFlows(runtime.registry, prefix: "/api", options: [
  ///   "adminFlow": FlowRouteOptions(path: "admin/run", contextProvider: APIKeyContextProvider(key: secret)),
  /// ])
  /// ```
  ///
  /// - Parameters:
  ///   - registry: Where flows are looked up (actions of type `flow`).
  ///   - prefix: Path prefix of every flow route (`""` or `"/"` for the root).
  ///   - options: Per-flow options by flow name; a flow with a custom `path` is served only there.
  ///   - defaults: Options for every flow (context provider, body limit); per-flow fields win.
  @discardableResult
  public func addFlows(
    _ registry: ActionRegistry, prefix: String = "", options: [String: FlowRouteOptions] = [:],
    defaults: FlowRouteOptions = FlowRouteOptions()
  ) -> Self {
    let routes = FlowRouteTable(registry: registry, options: options, defaults: defaults)
    let dynamicPath = FlowRoutePaths.join(prefix, "{flow}")
    on(RouterPath(dynamicPath), method: .post) { request, context in
      await routes.call(named: context.parameters.get("flow") ?? "", request: request)
    }
    for method in FlowRouteTable.refusedMethods {
      on(RouterPath(dynamicPath), method: method) { request, context in
        routes.wrongMethod(named: context.parameters.get("flow") ?? "", request: request)
      }
    }
    for (name, flowOptions) in options.sorted(by: { $0.key < $1.key }) {
      guard let path = flowOptions.path else { continue }
      let fullPath = FlowRoutePaths.join(prefix, path)
      on(RouterPath(fullPath), method: .post) { request, _ in
        await routes.call(named: name, request: request, viaCustomPath: true)
      }
      for method in FlowRouteTable.refusedMethods {
        on(RouterPath(fullPath), method: method) { request, _ in
          routes.wrongMethod(named: name, request: request, viaCustomPath: true)
        }
      }
    }
    return self
  }
}

/// Finds the flow a request names and the options it is served with.
struct FlowRouteTable: Sendable {
  /// Methods answered with 405 on a flow's path.
  static let refusedMethods: [HTTPRequest.Method] = [.get, .put, .delete, .patch]

  let registry: ActionRegistry
  let options: [String: FlowRouteOptions]
  let defaults: FlowRouteOptions

  /// The flow and its handler, if `name` is served on this kind of path.
  func lookup(_ name: String, viaCustomPath: Bool) -> (AnyAction, FlowCallHandler)? {
    let own = options[name]
    // A flow with a custom path is not also served at its default path.
    guard viaCustomPath == (own?.path != nil), let action = registry.flow(named: name) else { return nil }
    return (action, FlowCallHandler(options: (own ?? FlowRouteOptions()).merged(over: defaults)))
  }

  func call(named name: String, request: Request, viaCustomPath: Bool = false) async -> Response {
    guard let (action, handler) = lookup(name, viaCustomPath: viaCustomPath) else {
      return FlowResponses.refusal(.flowNotFound(name))
    }
    return await handler.respond(to: request, action: action)
  }

  func wrongMethod(named name: String, request: Request, viaCustomPath: Bool = false) -> Response {
    guard lookup(name, viaCustomPath: viaCustomPath) != nil else {
      return FlowResponses.refusal(.flowNotFound(name))
    }
    return FlowResponses.refusal(.methodNotAllowed(request.method.rawValue, path: request.uri.path))
  }
}
