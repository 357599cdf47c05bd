/// Runs `body` as a named step of the current flow, with its own `flowStep` span that records the
/// step's output (and `input`, when given). Steps nest, and work anywhere inside a flow; outside a
/// traced run the body simply runs.
///
/// ```swift
/// let specials = try await run("fetch-specials") { try await menu.specials() }
/// ```
@inlinable
@discardableResult
public func run<T: Encodable & Sendable>(
  _ name: String, input: (any Encodable & Sendable)? = nil,
  isolation: isolated (any Actor)? = #isolation,
  _ body: () async throws -> T
) async throws -> T {
  guard let parent = SpanInfo.current else { return try await body() }
  let runtime = parent.scope.runtime
  let span = runtime.beginStep(name, input: input, parent: parent)
  do {
    let result = try await SpanInfo.currentLocal.withValue(span, operation: body, isolation: isolation)
    runtime.endSpan(span, output: .encodable(result))
    return result
  } catch {
    runtime.failSpan(span, error: error)
    throw error
  }
}

/// A step whose result is not recorded (it is not `Encodable`, e.g. `Void`).
@inlinable
@discardableResult
public func run<T>(
  _ name: String, input: (any Encodable & Sendable)? = nil,
  isolation: isolated (any Actor)? = #isolation,
  _ body: () async throws -> T
) async throws -> T {
  guard let parent = SpanInfo.current else { return try await body() }
  let runtime = parent.scope.runtime
  let span = runtime.beginStep(name, input: input, parent: parent)
  do {
    let result = try await SpanInfo.currentLocal.withValue(span, operation: body, isolation: isolation)
    runtime.endSpan(span, output: nil)
    return result
  } catch {
    runtime.failSpan(span, error: error)
    throw error
  }
}

extension FlowRuntime {
  /// Starts a `flowStep` span under `parent` (sharing its scope) and publishes it.
  @usableFromInline
  func beginStep(_ name: String, input: (any Encodable & Sendable)?, parent: SpanInfo) -> SpanInfo {
    let span = SpanInfo(
      traceId: parent.traceId, spanId: SpanID.random(), parent: parent, name: name, kind: .flowStep,
      startTime: TraceClock.nowMilliseconds(), input: input.map { RecordedValue.encodable($0) }, scope: parent.scope)
    bus.publish(.spanStarted(span))
    return span
  }
}
