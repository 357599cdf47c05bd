import Foundation

/// A thread of its own that runs a round of work each time it is woken (wake-ups that arrive while
/// a round runs are merged into one more round).
///
/// The trace store writer blocks in SQLite; on a thread of its own it never holds one of the few
/// threads of Swift's cooperative pool (one of two on a 2-core machine) that request handlers and
/// flows need, which is what kept a busy server's tail latency up.
final class WriterThread: @unchecked Sendable {
  // State guarded by `condition`.
  private let condition = NSCondition()
  private var signaled = false
  private var stopping = false
  private var exited = false
  private var exitWaiters: [CheckedContinuation<Void, Never>] = []

  private let name: String

  /// The longest thread name Linux keeps (a longer one is refused, leaving the thread unnamed).
  static let maximumNameLength = 15

  /// A thread named `name` (its first 15 bytes: what `top -H` and `perf` show), started by
  /// `start(_:)`.
  init(name: String) {
    var bytes = Array(name.utf8.prefix(Self.maximumNameLength))
    while String(validating: bytes, as: UTF8.self) == nil { bytes.removeLast() }
    self.name = String(decoding: bytes, as: UTF8.self)
  }

  /// Starts the thread. `round` runs on it once per wake-up, and once more when stopping. Wake-ups
  /// that came before the start give a first round.
  func start(_ round: @escaping @Sendable () -> Void) {
    let name = self.name
    let thread = Thread { [self] in
      Self.nameCurrentThread(name)
      loop(round)
    }
    thread.name = name
    thread.start()
  }

  /// Asks for a round (cheap when one is already pending).
  func wake() {
    condition.lock()
    signaled = true
    condition.signal()
    condition.unlock()
  }

  /// Asks the thread to run a last round and end, without waiting for it.
  func stopSoon() {
    condition.lock()
    stopping = true
    condition.signal()
    condition.unlock()
  }

  /// Runs a last round, ends the thread and returns when it has. Idempotent.
  func stop() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      condition.lock()
      if exited {
        condition.unlock()
        continuation.resume()
        return
      }
      stopping = true
      exitWaiters.append(continuation)
      condition.signal()
      condition.unlock()
    }
  }

  /// Gives the calling thread's name to the kernel. Foundation's `Thread.name` stays inside
  /// Foundation on Linux, and `pthread_setname_np` is not visible to Swift there; a thread may
  /// rename itself by writing its `comm` file.
  private static func nameCurrentThread(_ name: String) {
    #if os(Linux)
      guard let comm = FileHandle(forWritingAtPath: "/proc/thread-self/comm") else { return }
      try? comm.write(contentsOf: Data(name.utf8))
      try? comm.close()
    #endif
  }

  private func loop(_ round: @Sendable () -> Void) {
    while true {
      condition.lock()
      while !signaled && !stopping { condition.wait() }
      let last = stopping
      signaled = false
      condition.unlock()
      round()
      if last { break }
    }
    condition.lock()
    exited = true
    let waiters = exitWaiters
    exitWaiters = []
    condition.unlock()
    for waiter in waiters { waiter.resume() }
  }
}
