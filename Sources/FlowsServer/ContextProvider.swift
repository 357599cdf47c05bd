import Flows

/// What a context provider sees of an HTTP flow call (Genkit's `RequestData`).
public struct FlowRequestData: Sendable {
  /// The HTTP method, e.g. `POST`.
  public var method: String
  /// The request path, without the query.
  public var path: String
  /// Request headers by lower-cased name; repeated headers are joined with `", "`.
  public var headers: [String: String]
  /// The flow input taken from the body's `data`.
  public var input: JSONValue

  /// Creates a request view; header names are lower-cased here.
  public init(method: String, path: String, headers: [String: String], input: JSONValue) {
    self.method = method
    self.path = path
    var lowered: [String: String] = [:]
    for (name, value) in headers {
      let key = name.lowercased()
      lowered[key] = lowered[key].map { $0 + ", " + value } ?? value
    }
    self.headers = lowered
    self.input = input
  }

  /// The value of a header, whatever the case of `name`.
  public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Turns an HTTP flow call into the `ActionContext` of its run, or refuses it.
///
/// Throw `FlowError(.unauthenticated, …)` (401) or `FlowError(.permissionDenied, …)` (403) to
/// refuse; any other error is answered with its mapped status (`INTERNAL` 500 for non-Genkit
/// errors). The returned context reaches the flow as `ActionContext.current` and is recorded on the
/// root span with `auth` and secret values redacted.
public protocol ContextProvider: Sendable {
  /// The context for this call, or a thrown refusal.
  func context(for request: FlowRequestData) async throws -> ActionContext
}

/// A context provider made from a closure.
///
/// ```swift
/// let tenant = ClosureContextProvider { request in
///   guard let id = request.header("x-tenant") else { throw FlowError(.unauthenticated, "missing x-tenant") }
///   return ActionContext(values: ["tenant": .string(id)])
/// }
/// ```
public struct ClosureContextProvider: ContextProvider {
  private let body: @Sendable (FlowRequestData) async throws -> ActionContext

  /// Wraps `body`.
  public init(_ body: @escaping @Sendable (FlowRequestData) async throws -> ActionContext) {
    self.body = body
  }

  /// Runs the closure.
  public func context(for request: FlowRequestData) async throws -> ActionContext {
    try await body(request)
  }
}
