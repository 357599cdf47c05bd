import Hummingbird
import Synchronization

/// Cancels the flow of a non-streaming call whose client has gone away (closed the connection or
/// given up), so an abandoned call stops spending model time; its spans end `CANCELLED`.
///
/// Watching a connection for a close (`RequestBody.consumeWithInboundCloseHandler`) costs the
/// connection its keep-alive: Hummingbird closes it after the response. So a call is only watched
/// once it has run for `grace`: quick calls keep their connection and cost a registration, and a
/// call that is still running after `grace` is watched from then on (a client that left earlier
/// is noticed at that point). One ticker task, running only while calls are in flight, checks the
/// registered calls every `tick`.
final class AbandonedCallWatch: Sendable {
  /// The watch the flow server uses.
  static let shared = AbandonedCallWatch()

  /// How long a call runs before its connection is watched.
  let grace: Duration
  /// How often running calls are checked (so a call is watched after `grace` to `grace + tick`).
  let tick: Duration

  private struct State {
    var calls: [Int: WatchedCall] = [:]
    var nextId = 0
    var tickerRunning = false
  }

  private let state = Mutex(State())

  init(grace: Duration = .milliseconds(500), tick: Duration = .milliseconds(250)) {
    self.grace = grace
    self.tick = tick
  }

  /// Registers a call that has just started; `cancel` cancels its flow. Pass the id to `end`.
  func begin(_ request: Request, cancel: @escaping @Sendable () -> Void) -> Int {
    let call = WatchedCall(request: request, started: .now, cancel: cancel)
    let (id, startTicker) = state.withLock { state in
      let id = state.nextId
      state.nextId &+= 1
      state.calls[id] = call
      defer { state.tickerRunning = true }
      return (id, !state.tickerRunning)
    }
    if startTicker { Task { await runTicker() } }
    return id
  }

  /// The call is over: stops watching it. Returns true when it was watched, which means its
  /// connection is closed after the response.
  func end(_ id: Int) async -> Bool {
    guard let call = state.withLock({ $0.calls.removeValue(forKey: id) }) else { return false }
    return await call.stopWatching()
  }

  private func runTicker() async {
    while true {
      try? await Task.sleep(for: tick)
      let due: [WatchedCall]? = state.withLock { state in
        guard !state.calls.isEmpty else {
          state.tickerRunning = false
          return nil
        }
        let now = ContinuousClock.now
        return state.calls.values.filter { now - $0.started >= grace }
      }
      guard let due else { return }
      for call in due { call.startWatching() }
    }
  }
}

/// One call in flight, and the task watching its connection once it has one.
final class WatchedCall: Sendable {
  let request: Request
  let started: ContinuousClock.Instant
  private let cancel: @Sendable () -> Void

  private enum Phase {
    case running
    /// Watching; the watcher waits on `release` (set once it parked) until the call ends.
    case watching(watcher: Task<Void, Never>, release: CheckedContinuation<Void, Never>?)
    case ended
  }

  private let phase = Mutex(Phase.running)

  init(request: Request, started: ContinuousClock.Instant, cancel: @escaping @Sendable () -> Void) {
    self.request = request
    self.started = started
    self.cancel = cancel
  }

  /// Starts watching the connection (once; not after the call ended).
  func startWatching() {
    phase.withLock { phase in
      guard case .running = phase else { return }
      let watcher = Task { await self.watch() }
      phase = .watching(watcher: watcher, release: nil)
    }
  }

  /// Waits on the connection until the call ends; a close before that cancels the flow.
  private func watch() async {
    let cancel = self.cancel
    _ = try? await request.body.consumeWithInboundCloseHandler { _ in
      await withCheckedContinuation { (release: CheckedContinuation<Void, Never>) in
        let ended = phase.withLock { phase in
          guard case .watching(let watcher, _) = phase else { return true }
          phase = .watching(watcher: watcher, release: release)
          return false
        }
        if ended { release.resume() }
      }
    } onInboundClosed: {
      cancel()
    }
  }

  /// Ends the call: releases the watcher and waits until it stopped reading the connection (the
  /// server reads it next). Returns true when the call was watched.
  func stopWatching() async -> Bool {
    let (watcher, release): (Task<Void, Never>?, CheckedContinuation<Void, Never>?) = phase.withLock { phase in
      defer { phase = .ended }
      guard case .watching(let watcher, let release) = phase else { return (nil, nil) }
      return (watcher, release)
    }
    guard let watcher else { return false }
    release?.resume()
    await watcher.value
    return true
  }
}
