import Hummingbird

/// Which browser origins may call the flow server (CORS). Off unless configured.
public struct FlowCORSOptions: Sendable, Equatable {
  /// Allowed origins, e.g. `https://app.example.com`; `"*"` allows any origin.
  public var allowedOrigins: [String]

  /// Allows the listed origins (`["*"]` for any).
  public init(allowedOrigins: [String]) {
    self.allowedOrigins = allowedOrigins
  }

  /// True when `origin` may call.
  func allows(_ origin: String) -> Bool {
    allowedOrigins.contains("*") || allowedOrigins.contains(origin)
  }
}

/// CORS for flow routes: Hummingbird's `CORSMiddleware` for allowed origins (preflight answered
/// with `204`, `POST`/`OPTIONS`, the `Accept`, `Authorization`, `Content-Type` and
/// `x-genkit-stream-id` request headers, and the trace and stream id headers exposed to scripts); requests from other origins get no CORS headers,
/// so browsers block them.
///
/// Add it to a router before the routes it should cover.
public struct FlowCORSMiddleware<Context: RequestContext>: RouterMiddleware {
  private let options: FlowCORSOptions
  private let cors: CORSMiddleware<Context>

  /// CORS for `options.allowedOrigins`.
  public init(_ options: FlowCORSOptions) {
    self.options = options
    cors = CORSMiddleware(
      allowOrigin: options.allowedOrigins.contains("*") ? .all : .originBased,
      allowHeaders: [.accept, .authorization, .contentType, .origin, FlowHeaders.streamId],
      allowMethods: [.post, .options],
      exposedHeaders: [FlowHeaders.exposedToScripts])
  }

  /// Adds CORS headers for allowed origins (answering their preflights); passes other requests on.
  public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
    async throws -> Response
  {
    guard let origin = request.headers[.origin], options.allows(origin) else {
      return try await next(request, context)
    }
    var response = try await cors.handle(request, context: context, next: next)
    // Hummingbird sends Access-Control-Expose-Headers on preflights only; browsers read it on the
    // actual response, so scripts can see the trace id.
    if request.method != .options { response.headers[.accessControlExposeHeaders] = FlowHeaders.exposedToScripts }
    return response
  }
}
