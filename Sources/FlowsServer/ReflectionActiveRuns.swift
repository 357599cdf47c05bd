import Synchronization

/// The runs started through `POST /api/runAction` that are still going, by trace id, so that
/// `POST /api/cancelAction` can cancel them (Genkit JS keeps an AbortController per trace id).
public final class ReflectionActiveRuns: Sendable {
  private let runs = Mutex<[String: ReflectionRunHandle]>([:])

  /// An empty registry.
  public init() {}

  /// Trace ids of the runs in progress.
  public var traceIds: [String] { runs.withLock { Array($0.keys) }.sorted() }

  func register(_ handle: ReflectionRunHandle, traceId: String) {
    runs.withLock { $0[traceId] = handle }
  }

  func remove(traceId: String) {
    runs.withLock { _ = $0.removeValue(forKey: traceId) }
  }

  /// Cancels the run with this trace id. Returns false when no such run is in progress.
  @discardableResult
  public func cancel(traceId: String) -> Bool {
    guard let handle = runs.withLock({ $0.removeValue(forKey: traceId) }) else { return false }
    handle.cancel()
    return true
  }
}

/// The task of one run, which may be cancelled before the task handle is known.
final class ReflectionRunHandle: Sendable {
  private struct State {
    var task: Task<Void, Never>?
    var cancelled = false
  }

  private let state = Mutex(State())

  /// Attaches the task; cancels it at once if a cancel came first.
  func attach(_ task: Task<Void, Never>) {
    let cancelNow = state.withLock { state in
      state.task = task
      return state.cancelled
    }
    if cancelNow { task.cancel() }
  }

  func cancel() {
    let task = state.withLock { state in
      state.cancelled = true
      return state.task
    }
    task?.cancel()
  }
}
