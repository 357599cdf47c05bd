/// Paces the writes of a streaming response: a stream whose chunks come faster than `interval`
/// apart is written at most once per `interval`, each write carrying every chunk produced since the
/// last; a slower stream is written chunk by chunk, as soon as each is produced.
///
/// Every write costs a hop to the connection's event loop and a `writev` (tens of microseconds
/// with the kernel's TCP work), so a flow that streams 100 000 small chunks as fast as it can would
/// otherwise spend more on writes than on everything else. A model's tokens, tens of milliseconds
/// apart, never wait; the first chunk never waits; the end of a stream never waits (see
/// `StreamEventQueue.pause(until:)`).
struct StreamWritePacer {
  /// The shortest time between two writes of a fast stream.
  static let defaultInterval = Duration.milliseconds(1)

  let interval: Duration
  private var lastWrite: ContinuousClock.Instant?

  init(interval: Duration = Self.defaultInterval) {
    self.interval = interval
  }

  /// Records a write made now. Returns when the next write may go, if the writer should wait for
  /// it: only when this write followed the previous one closely (within two intervals: a paced
  /// stream stays paced), i.e. the stream is fast. A chunk is held back by at most `interval`.
  mutating func wrote(at now: ContinuousClock.Instant = .now) -> ContinuousClock.Instant? {
    defer { lastWrite = now }
    guard let lastWrite, now - lastWrite < interval * 2 else { return nil }
    return now + interval
  }
}
