import NIOCore

/// Runs `operation`, failing with `onTimeout()` when it has not finished after `timeout`; the
/// operation is then cancelled (and awaited). Cancelling the caller cancels the operation.
package func withTimeout<T: Sendable>(
  _ timeout: Duration, onTimeout: @escaping @Sendable () -> any Error,
  _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
  try await withThrowingTaskGroup(of: T?.self) { group in
    group.addTask { try await operation() }
    group.addTask {
      try await Task.sleep(for: timeout)
      return nil
    }
    defer { group.cancelAll() }
    guard let first = try await group.next() else { throw CancellationError() }
    guard let value = first else {
      try Task.checkCancellation()
      throw onTimeout()
    }
    return value
  }
}

extension TimeAmount {
  /// The same span of time (saturating at the largest `TimeAmount`).
  package init(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    let (nanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
    let (total, overflowAdding) = nanos.addingReportingOverflow(attoseconds / 1_000_000_000)
    self = .nanoseconds(overflow || overflowAdding ? .max : total)
  }
}
