import Synchronization

/// A one-shot "the server is listening on port N" (or "it failed to start") that any number of
/// tasks can wait for.
final class ReflectionListening: Sendable {
  private struct State {
    var result: Result<Int, any Error>?
    var waiters: [CheckedContinuation<Int, any Error>] = []
  }

  private let state = Mutex(State())

  /// True once the server listened (or failed).
  var isSettled: Bool { state.withLock { $0.result != nil } }

  /// True once the server listened.
  var hasStarted: Bool {
    state.withLock { state in
      if case .success? = state.result { return true }
      return false
    }
  }

  func succeed(_ port: Int) { settle(.success(port)) }

  func fail(_ error: any Error) { settle(.failure(error)) }

  private func settle(_ result: Result<Int, any Error>) {
    let waiters: [CheckedContinuation<Int, any Error>] = state.withLock { state in
      guard state.result == nil else { return [] }
      state.result = result
      defer { state.waiters.removeAll() }
      return state.waiters
    }
    for waiter in waiters { waiter.resume(with: result) }
  }

  /// The port, once listening; throws the start failure.
  func wait() async throws -> Int {
    try await withCheckedThrowingContinuation { continuation in
      let result: Result<Int, any Error>? = state.withLock { state in
        if let result = state.result { return result }
        state.waiters.append(continuation)
        return nil
      }
      if let result { continuation.resume(with: result) }
    }
  }
}
