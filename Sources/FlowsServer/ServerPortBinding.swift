import Flows
import Synchronization

/// The port a server bound, for callers that wait for it (port `0` asks the system to choose).
final class ServerPortBinding: Sendable {
  private enum State {
    case waiting([CheckedContinuation<Int, any Error>])
    case listening(Int)
    case stopped
  }

  private let state = Mutex<State>(.waiting([]))

  /// The bound port, once listening.
  var port: Int? {
    state.withLock { state in
      if case .listening(let port) = state { return port }
      return nil
    }
  }

  /// Records the bound port and wakes the waiters.
  func listening(on port: Int) {
    let waiters: [CheckedContinuation<Int, any Error>] = state.withLock { state in
      guard case .waiting(let waiters) = state else { return [] }
      state = .listening(port)
      return waiters
    }
    for waiter in waiters { waiter.resume(returning: port) }
  }

  /// Records that the server is not running (any more); waiters get an error.
  func stopped() {
    let waiters: [CheckedContinuation<Int, any Error>] = state.withLock { state in
      defer { state = .stopped }
      guard case .waiting(let waiters) = state else { return [] }
      return waiters
    }
    for waiter in waiters { waiter.resume(throwing: Self.notListening) }
  }

  /// Waits until the server listens and returns its port.
  func wait() async throws -> Int {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
      let outcome: Result<Int, any Error>? = state.withLock { state in
        switch state {
        case .listening(let port): return .success(port)
        case .stopped: return .failure(Self.notListening)
        case .waiting(var waiters):
          waiters.append(continuation)
          state = .waiting(waiters)
          return nil
        }
      }
      if let outcome { continuation.resume(with: outcome) }
    }
  }

  static var notListening: FlowError { FlowError(.unavailable, "the flow server is not listening") }
}
