import Flows

/// Where the debugger's flows live and run: the in-process registry (`LocalTarget`) or a Genkit
/// runtime attached over the reflection API.
///
/// Trace events of runs arrive on `bus` whichever the target: local runs publish there directly,
/// an attached runtime exports its spans to the debugger's telemetry API, which publishes them.
public protocol DebugTarget: Sendable {
  /// The bus the runs' trace events arrive on.
  var bus: EventBus { get }
  /// The runtime attached to; nil for the in-process registry.
  var attachedRuntime: AttachedRuntime? { get }
  /// The flows as the debugger opens.
  var initialFlows: [FlowEntry] { get }
  /// Runs a flow to its end. Chunks that do not come through `bus` (an attached runtime's stream)
  /// go to `observer.chunk`. Throws `FlowError` (with the trace id when one was made).
  func run(flow: String, input: JSONValue, observer: RunObserver) async throws -> TargetRunResult
  /// Asks the runtime to cancel the run with this trace id; false when the target cannot (then
  /// cancelling the task that awaits `run` is the only way).
  func cancel(traceId: String) async -> Bool
  /// Watches the target until the task is cancelled, reporting changes (connection status, a new
  /// flow list, the log of a child process). Returns at once when there is nothing to watch.
  func monitor(_ report: @escaping @Sendable (TargetChange) -> Void) async
}

/// Callbacks of one run.
public struct RunObserver: Sendable {
  /// The run's trace id, as soon as it is known.
  public var traceStarted: @Sendable (String) -> Void
  /// A stream chunk that does not arrive on the bus, with its time (ms since the epoch).
  public var chunk: @Sendable (JSONValue, Double) -> Void

  public init(
    traceStarted: @escaping @Sendable (String) -> Void, chunk: @escaping @Sendable (JSONValue, Double) -> Void
  ) {
    self.traceStarted = traceStarted
    self.chunk = chunk
  }
}

/// How a run ended well.
public struct TargetRunResult: Sendable {
  public var traceId: String?
  public var result: JSONValue

  public init(traceId: String?, result: JSONValue) {
    self.traceId = traceId
    self.result = result
  }
}

/// Something a target's monitor reports.
public enum TargetChange: Sendable, Equatable {
  case status(ConnectionStatus)
  /// The runtime changed (restarted on another port, or another runtime was picked).
  case runtime(AttachedRuntime)
  case flows([FlowEntry])
  /// Lines written by a child process the debugger started.
  case log([String])
  /// Something the user should know (shown in the status line).
  case notice(String, isError: Bool)
}

/// The in-process registry: flows of this process, runs on its runtime.
public struct LocalTarget: DebugTarget {
  public let runtime: FlowRuntime

  public init(runtime: FlowRuntime) {
    self.runtime = runtime
  }

  public var bus: EventBus { runtime.bus }
  public var attachedRuntime: AttachedRuntime? { nil }

  public var initialFlows: [FlowEntry] {
    runtime.registry.actions(ofType: "flow").map { FlowEntry($0.descriptor) }
  }

  public func run(flow: String, input: JSONValue, observer: RunObserver) async throws -> TargetRunResult {
    guard let action = runtime.registry.flow(named: flow) else {
      throw FlowError(.notFound, "Flow \(flow) not found")
    }
    let options = ActionRunOptions(onTraceStarted: { traceId, _ in observer.traceStarted(traceId) })
    let result = try await action.run(input, options: options)
    return TargetRunResult(traceId: result.traceId, result: result.result)
  }

  public func cancel(traceId: String) async -> Bool { false }

  public func monitor(_ report: @escaping @Sendable (TargetChange) -> Void) async {}
}
