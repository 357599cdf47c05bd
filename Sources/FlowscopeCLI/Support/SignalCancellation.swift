import Dispatch
import Foundation

/// Cancels a task when the process gets SIGINT or SIGTERM (so a run ends with CANCELLED spans and the
/// trace is saved), instead of dying mid-write.
final class SignalCancellation {
  private let sources: [any DispatchSourceSignal]
  private let signals: [Int32]

  init(signals: [Int32] = [SIGINT, SIGTERM], onSignal: @escaping @Sendable (Int32) -> Void) {
    self.signals = signals
    sources = signals.map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { onSignal(number) }
      source.resume()
      return source
    }
  }

  func cancel() {
    for source in sources { source.cancel() }
    for number in signals { signal(number, SIG_DFL) }
  }
}
