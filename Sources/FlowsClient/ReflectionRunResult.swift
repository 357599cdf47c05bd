import Flows

/// What a run through `ReflectionClient.runAction` returned.
public struct ReflectionRunResult: Sendable, Equatable {
  /// The action's output (`null` when the runtime sent none, as a JS action returning `undefined`).
  public var result: JSONValue
  /// The run's trace: `telemetry.traceId` of the final object, else the `X-Genkit-Trace-Id` header.
  public var traceId: String?
  /// The run's root span: `telemetry.spanId` (Genkit Python sends it), else `X-Genkit-Span-Id`.
  public var spanId: String?

  /// A result with this output and these ids.
  public init(result: JSONValue, traceId: String? = nil, spanId: String? = nil) {
    self.result = result
    self.traceId = traceId
    self.spanId = spanId
  }
}
