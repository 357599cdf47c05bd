import Synchronization

/// The trace ids a `ReflectionClient` (and its copies) asked the runtime to cancel, so that a run
/// the runtime then ends without a result (as Genkit Python does) is reported as cancelled. Only the
/// most recent ones are kept.
final class ReflectionCancellations: Sendable {
  /// How many trace ids are remembered.
  static let capacity = 256

  private let traceIds = Mutex<[String]>([])

  /// Remembers that `traceId` was cancelled.
  func record(_ traceId: String) {
    traceIds.withLock { ids in
      ids.removeAll { $0 == traceId }
      ids.append(traceId)
      if ids.count > Self.capacity { ids.removeFirst(ids.count - Self.capacity) }
    }
  }

  /// True when `traceId` was cancelled through this client.
  func contains(_ traceId: String) -> Bool {
    traceIds.withLock { $0.contains(traceId) }
  }
}
