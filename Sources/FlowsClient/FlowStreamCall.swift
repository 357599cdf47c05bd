import Flows
import Synchronization

/// The shared state of one streaming call, between the task that reads the response (the
/// driver) and the consumers: buffered chunks, the outcome, the response head's ids, and whoever
/// waits for them.
///
/// The driver starts on the first demand. Cancelling a consumer cancels the call: the driver is
/// cancelled (closing the request) and every waiter fails with `CancellationError`. Once the
/// outcome is known, cancelling does nothing (the driver may still be draining the body).
final class FlowStreamCall: Sendable {
  typealias Driver = @Sendable (FlowStreamCall) async -> Void

  private struct State {
    var driver: Driver?
    var task: Task<Void, Never>?
    /// Chunks not yet taken by an iterator (from `head`).
    var chunks: [JSONValue] = []
    var head = 0
    /// The result or the failure, once known.
    var outcome: Result<JSONValue, any Error>?
    /// True once an iterator was given the end (nil or the failure).
    var iterationEnded = false
    /// The response head's ids, once it arrived.
    var responseHead: FlowResponseHead?
    var nextWaiterID: UInt64 = 0
    var chunkWaiters: [UInt64: CheckedContinuation<JSONValue?, any Error>] = [:]
    var outputWaiters: [UInt64: CheckedContinuation<JSONValue, any Error>] = [:]
    var headWaiters: [UInt64: CheckedContinuation<FlowResponseHead?, Never>] = [:]

    mutating func makeWaiterID() -> UInt64 {
      nextWaiterID += 1
      return nextWaiterID
    }

    mutating func takeHeadWaiters() -> [CheckedContinuation<FlowResponseHead?, Never>] {
      let waiters = Array(headWaiters.values)
      headWaiters.removeAll()
      return waiters
    }

    /// What an iterator gets now, or nil when it must wait.
    mutating func takeNext() -> Result<JSONValue?, any Error>? {
      if head < chunks.count {
        let chunk = chunks[head]
        head += 1
        if head == chunks.count {
          chunks.removeAll(keepingCapacity: true)
          head = 0
        }
        return .success(chunk)
      }
      guard let outcome else { return nil }
      if iterationEnded { return .success(nil) }
      iterationEnded = true
      switch outcome {
      case .success: return .success(nil)
      case .failure(let error): return .failure(error)
      }
    }
  }

  private let state: Mutex<State>

  /// A call whose response `driver` reads (it reports through `receivedHead`, `receivedChunk`
  /// and `finish`, and must end with `finish`).
  init(driver: @escaping Driver) {
    state = Mutex(State(driver: driver))
  }

  /// True once the result or a failure is known.
  var isFinished: Bool { state.withLock { $0.outcome != nil } }

  // MARK: Consumers

  /// The next chunk, nil at the end; throws the call's failure (once).
  func next() async throws -> JSONValue? {
    if Task.isCancelled {
      cancel()
      throw CancellationError()
    }
    start()
    let id = state.withLock { $0.makeWaiterID() }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONValue?, any Error>) in
        let ready = state.withLock { state in
          let ready = state.takeNext()
          if ready == nil { state.chunkWaiters[id] = continuation }
          return ready
        }
        if let ready { continuation.resume(with: ready) }
      }
    } onCancel: {
      cancel()
    }
  }

  /// The result, once the call ends.
  func output() async throws -> JSONValue {
    if Task.isCancelled {
      cancel()
      throw CancellationError()
    }
    start()
    let id = state.withLock { $0.makeWaiterID() }
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONValue, any Error>) in
        let outcome = state.withLock { state in
          if state.outcome == nil { state.outputWaiters[id] = continuation }
          return state.outcome
        }
        if let outcome { continuation.resume(with: outcome) }
      }
    } onCancel: {
      cancel()
    }
  }

  /// The response head's ids once it arrived; nil when the call failed before the head (or the
  /// waiting task was cancelled, which leaves the call running).
  func head() async -> FlowResponseHead? {
    start()
    let id = state.withLock { $0.makeWaiterID() }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<FlowResponseHead?, Never>) in
        let known: FlowResponseHead?? = state.withLock { state in
          if let head = state.responseHead { return .some(head) }
          if state.outcome != nil || Task.isCancelled { return .some(nil) }
          state.headWaiters[id] = continuation
          return nil
        }
        if let known { continuation.resume(returning: known) }
      }
    } onCancel: {
      let waiter = state.withLock { $0.headWaiters.removeValue(forKey: id) }
      waiter?.resume(returning: nil)
    }
  }

  /// Ends the call with `CancellationError` unless its outcome is known, cancelling the driver.
  func cancel() {
    guard finish(.failure(CancellationError())) else { return }
    state.withLock { $0.task }?.cancel()
  }

  // MARK: Driver

  /// Starts the driver if it has not started (and the call was not cancelled).
  private func start() {
    state.withLock { state in
      guard let driver = state.driver else { return }
      state.driver = nil
      state.task = Task { await driver(self) }
    }
  }

  /// The response head arrived, with these ids.
  func receivedHead(_ head: FlowResponseHead) {
    let waiters = state.withLock { state in
      state.responseHead = head
      return state.takeHeadWaiters()
    }
    for waiter in waiters { waiter.resume(returning: head) }
  }

  /// A chunk arrived: it goes to a waiting iterator, or into the buffer.
  func receivedChunk(_ chunk: JSONValue) {
    let waiter = state.withLock { state -> CheckedContinuation<JSONValue?, any Error>? in
      guard state.outcome == nil else { return nil }
      if state.head == state.chunks.count, let id = state.chunkWaiters.keys.min() {
        return state.chunkWaiters.removeValue(forKey: id)
      }
      state.chunks.append(chunk)
      return nil
    }
    waiter?.resume(returning: chunk)
  }

  /// The call ended: waiters are released. Only the first outcome counts; returns whether this
  /// one did.
  @discardableResult
  func finish(_ outcome: Result<JSONValue, any Error>) -> Bool {
    let released = state.withLock { state -> Released? in
      guard state.outcome == nil else { return nil }
      state.outcome = outcome
      state.driver = nil
      if case .failure = outcome {
        // A failed call drops the chunks nobody took: the failure is what matters now.
        state.chunks.removeAll()
        state.head = 0
      }
      var released = Released(outputWaiters: Array(state.outputWaiters.values), headWaiters: [])
      state.outputWaiters.removeAll()
      if state.head == state.chunks.count {
        released.chunkWaiters = state.chunkWaiters.sorted { $0.key < $1.key }.map(\.value)
        state.chunkWaiters.removeAll()
        if !released.chunkWaiters.isEmpty { state.iterationEnded = true }
      }
      released.head = state.responseHead
      released.headWaiters = state.takeHeadWaiters()
      return released
    }
    guard let released else { return false }
    for waiter in released.outputWaiters { waiter.resume(with: outcome) }
    for waiter in released.chunkWaiters {
      switch outcome {
      case .success: waiter.resume(returning: nil)
      case .failure(let error): waiter.resume(throwing: error)
      }
    }
    for waiter in released.headWaiters { waiter.resume(returning: released.head) }
    return true
  }

  private struct Released {
    var outputWaiters: [CheckedContinuation<JSONValue, any Error>]
    var chunkWaiters: [CheckedContinuation<JSONValue?, any Error>] = []
    var headWaiters: [CheckedContinuation<FlowResponseHead?, Never>]
    var head: FlowResponseHead?
  }
}

/// The ids a streaming response's head carries.
struct FlowResponseHead: Sendable, Equatable {
  /// `X-Genkit-Trace-Id`.
  var traceId: String?
  /// `x-genkit-stream-id`: the id to come back to a durable stream with.
  var streamId: String?
}
