import Flows

/// What a non-streaming flow call returned.
public struct FlowRunResult: Sendable, Equatable {
  /// The flow's output.
  public var result: JSONValue
  /// The trace the server recorded the run in (`X-Genkit-Trace-Id`), when it said.
  public var traceId: String?

  /// A result with this output and trace id.
  public init(result: JSONValue, traceId: String? = nil) {
    self.result = result
    self.traceId = traceId
  }
}
