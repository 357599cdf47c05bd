import Synchronization

/// Describes an action the way Genkit's reflection API does (`GET /api/actions`).
public struct ActionDescriptor: Sendable, Equatable {
  /// `/flow/<name>`, `/model/<provider>/<name>`, `/tool/<name>`, …
  public var key: String
  public var name: String
  /// The action type: `flow`, `model`, `tool`, …
  public var actionType: String
  public var description: String?
  /// JSON Schema (draft-07) of the input, if known.
  public var inputSchema: JSONValue?
  /// JSON Schema (draft-07) of the output, if known.
  public var outputSchema: JSONValue?
  /// JSON Schema of stream chunks, if the action streams.
  public var streamSchema: JSONValue?
  /// Free-form metadata (for flows: whether it streams, which tools it uses, …).
  public var metadata: JSONObject

  public init(
    key: String, name: String, actionType: String, description: String? = nil, inputSchema: JSONValue? = nil,
    outputSchema: JSONValue? = nil, streamSchema: JSONValue? = nil, metadata: JSONObject = JSONObject()
  ) {
    self.key = key
    self.name = name
    self.actionType = actionType
    self.description = description
    self.inputSchema = inputSchema
    self.outputSchema = outputSchema
    self.streamSchema = streamSchema
    self.metadata = metadata
  }

  /// True when the action sends stream chunks.
  public var streams: Bool { streamSchema != nil || metadata["streaming"]?.boolValue == true }

  /// The descriptor as Genkit's reflection API returns it.
  public var json: JSONValue {
    var o = JSONObject()
    o["key"] = .string(key)
    o["name"] = .string(name)
    if let description { o["description"] = .string(description) }
    if let inputSchema { o["inputSchema"] = inputSchema }
    if let outputSchema { o["outputSchema"] = outputSchema }
    o["metadata"] = .object(metadata)
    return .object(o)
  }
}

/// Options for running an action through its JSON interface.
public struct ActionRunOptions: Sendable {
  /// Context for the run (auth and other values).
  public var context: ActionContext?
  /// Labels recorded on the root span as-is (e.g. `genkitx:*`).
  public var labels: [String: String]
  /// Receives each stream chunk as JSON; when nil the caller is not streaming.
  public var onChunk: (@Sendable (JSONValue) -> Void)?
  /// Called as soon as the root span exists, with its trace and span ids (before any output).
  public var onTraceStarted: (@Sendable (_ traceId: String, _ spanId: String) -> Void)?

  public init(
    context: ActionContext? = nil, labels: [String: String] = [:], onChunk: (@Sendable (JSONValue) -> Void)? = nil,
    onTraceStarted: (@Sendable (String, String) -> Void)? = nil
  ) {
    self.context = context
    self.labels = labels
    self.onChunk = onChunk
    self.onTraceStarted = onTraceStarted
  }
}

/// The result of a JSON-interface run.
public struct ActionRunResult: Sendable {
  public var result: JSONValue
  public var traceId: String
  public var spanId: String

  public init(result: JSONValue, traceId: String, spanId: String) {
    self.result = result
    self.traceId = traceId
    self.spanId = spanId
  }
}

/// A type-erased action: JSON in, JSON out. What the debugger, the CLI and the HTTP server call.
public struct AnyAction: Sendable {
  public let descriptor: ActionDescriptor
  let invoke: @Sendable (JSONValue, ActionRunOptions) async throws -> ActionRunResult

  public init(
    descriptor: ActionDescriptor,
    invoke: @escaping @Sendable (JSONValue, ActionRunOptions) async throws -> ActionRunResult
  ) {
    self.descriptor = descriptor
    self.invoke = invoke
  }

  public var key: String { descriptor.key }
  public var name: String { descriptor.name }

  /// Validates `input` against the input schema, runs the action, and returns its JSON result.
  /// Every failure is a `FlowError`; once the run has started it carries the trace id.
  public func run(_ input: JSONValue, options: ActionRunOptions = ActionRunOptions()) async throws -> ActionRunResult {
    try validate(input)
    do {
      return try await invoke(input, options)
    } catch {
      throw FlowError(wrapping: error)
    }
  }

  /// Runs an action from JSON text; a syntax error is `INVALID_ARGUMENT` with its line and column.
  public func run(jsonText: String, options: ActionRunOptions = ActionRunOptions()) async throws -> ActionRunResult {
    let input: JSONValue
    do {
      input = try JSONValue(parsing: jsonText)
    } catch let error as JSONSyntaxError {
      throw FlowError(.invalidArgument, "input is not valid JSON: \(error)")
    }
    return try await run(input, options: options)
  }

  /// Checks `input` against the input schema without running anything.
  public func validate(_ input: JSONValue) throws {
    guard let schema = descriptor.inputSchema else { return }
    let violations = SchemaValidator(schema: schema).validate(input)
    guard !violations.isEmpty else { return }
    throw FlowError(
      .invalidArgument, violations.map(\.description).joined(separator: "; "),
      details: [
        "violations": .array(violations.map { ["path": .string($0.path), "message": .string($0.message)] })
      ])
  }
}

/// All actions known to a runtime, by key.
public final class ActionRegistry: Sendable {
  private let actions = Mutex<[String: AnyAction]>([:])

  public init() {}

  /// Adds an action; an action with the same key is replaced.
  public func register(_ action: AnyAction) {
    actions.withLock { $0[action.key] = action }
  }

  public func action(forKey key: String) -> AnyAction? { actions.withLock { $0[key] } }

  /// The flow named `name` (key `/flow/<name>`).
  public func flow(named name: String) -> AnyAction? { action(forKey: "/flow/" + name) }

  /// Every action, sorted by key.
  public var all: [AnyAction] { actions.withLock { Array($0.values) }.sorted { $0.key < $1.key } }

  /// Every action of one type (`flow`, `model`, `tool`…), sorted by name.
  public func actions(ofType type: String) -> [AnyAction] {
    all.filter { $0.descriptor.actionType == type }.sorted { $0.name < $1.name }
  }

  /// The flow with this name, or a `NOT_FOUND` error that lists the flows there are.
  public func requireFlow(named name: String) throws -> AnyAction {
    if let flow = flow(named: name) { return flow }
    let known = actions(ofType: "flow").map(\.name)
    let hint = known.isEmpty ? "no flows are registered" : "known flows: \(known.joined(separator: ", "))"
    throw FlowError(.notFound, "flow '\(name)' not found (\(hint))")
  }
}
