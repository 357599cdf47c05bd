import Flows
import Synchronization
import Testing

// Helpers shared by the test targets.

/// A lock-protected value that `@Sendable` callbacks can write to and tests can read.
public final class Locked<Value: Sendable>: Sendable {
  private let mutex: Mutex<Value>
  public init(_ value: Value) { mutex = Mutex(value) }
  public var value: Value { mutex.withLock { $0 } }
  public func mutate<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}

extension Locked where Value == Int {
  public func increment() { mutate { $0 += 1 } }
}

extension Locked {
  public func append<E>(_ element: E) where Value == [E] { mutate { $0.append(element) } }
}

/// Runs `body` and returns the error it throws (nil when it returns).
public func thrownError<T>(_ body: () async throws -> T) async -> (any Error)? {
  do {
    _ = try await body()
    return nil
  } catch {
    return error
  }
}

/// Runs `body`, requiring that it throws a `FlowError`, and returns it.
public func requireFlowError<T>(
  sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> T
) async throws -> FlowError {
  let error = await thrownError(body)
  return try #require(
    error as? FlowError, "expected a FlowError, got \(String(describing: error))", sourceLocation: sourceLocation)
}

/// Spans in the order they ended, in Genkit form.
public func endedSpans(_ events: [TraceEvent]) -> [SpanData] {
  events.compactMap { event in
    if case .spanEnded(let info, let outcome) = event { return SpanData(info, outcome: outcome) }
    return nil
  }
}

/// A one-shot signal: `fire()` from any task, `wait()` returns once it has fired (immediately if it
/// already has). Used instead of sleeps to know that a flow reached a point.
public final class Signal: Sendable {
  private let stream: AsyncStream<Void>
  private let continuation: AsyncStream<Void>.Continuation

  public init() {
    (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
  }

  public func fire() { continuation.yield(()) }

  public func wait() async {
    for await _ in stream { return }
  }
}

/// Runs `body`, failing the test instead of hanging forever when it does not finish within a
/// generous safety limit (a guard against a broken implementation, not a timing assertion).
public func withSafetyLimit<T: Sendable>(
  _ limit: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation,
  _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
  try await withThrowingTaskGroup(of: T?.self) { group in
    group.addTask { try await body() }
    group.addTask {
      try await Task.sleep(for: limit)
      return nil
    }
    defer { group.cancelAll() }
    guard let first = try await group.next(), let value = first else {
      Issue.record("did not finish within the safety limit of \(limit)", sourceLocation: sourceLocation)
      throw CancellationError()
    }
    return value
  }
}
