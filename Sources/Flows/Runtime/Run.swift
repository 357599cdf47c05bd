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
  guard let runtime = SpanInfo.current?.scope.runtime else { return try await body() }
  return try await runtime.traced(
    name, kind: .flowStep, input: input.map { RecordedValue.encodable($0) }, actionKey: nil, context: nil,
    metadata: [:], labels: [:], ownsStream: false, sink: nil, isolation: isolation, recordOutput: { .encodable($0) }
  ) { _ in try await body() }
}

/// A step whose result is not recorded (it is not `Encodable`, e.g. `Void`).
@inlinable
@discardableResult
public func run<T>(
  _ name: String, input: (any Encodable & Sendable)? = nil,
  isolation: isolated (any Actor)? = #isolation,
  _ body: () async throws -> T
) async throws -> T {
  guard let runtime = SpanInfo.current?.scope.runtime else { return try await body() }
  return try await runtime.traced(
    name, kind: .flowStep, input: input.map { RecordedValue.encodable($0) }, actionKey: nil, context: nil,
    metadata: [:], labels: [:], ownsStream: false, sink: nil, isolation: isolation, recordOutput: { _ in nil }
  ) { _ in try await body() }
}
