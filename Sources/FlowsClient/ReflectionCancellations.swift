import Synchronization

/// The trace ids a `ReflectionClient` (and its copies) asked the runtime to cancel, so that a run
/// the runtime then ends without a result (as Genkit Python does) is reported as cancelled. Only the
/// most recent ones are kept.
final class ReflectionCancellations: Sendable {
  /// How many trace ids are remembered.
  static let capacity = 256

  private let traceIds = Mutex<[String]>([])

  /// Remembers that `traceId` is being cancelled; false when it already was.
  @discardableResult
  func record(_ traceId: String) -> Bool {
    traceIds.withLock { ids in
      guard !ids.contains(traceId) else { return false }
      ids.append(traceId)
      if ids.count > Self.capacity { ids.removeFirst(ids.count - Self.capacity) }
      return true
    }
  }

  /// Forgets `traceId` (the runtime did not cancel it).
  func remove(_ traceId: String) {
    traceIds.withLock { $0.removeAll { $0 == traceId } }
  }

  /// True when `traceId` was cancelled through this client.
  func contains(_ traceId: String) -> Bool {
    traceIds.withLock { $0.contains(traceId) }
  }
}
