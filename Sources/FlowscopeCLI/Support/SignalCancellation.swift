import Dispatch
import Foundation

/// Cancels a task when the process gets SIGINT or SIGTERM (so a run ends with CANCELLED spans and the
/// trace is saved), instead of dying mid-write.
final class SignalCancellation {
  private let sources: [any DispatchSourceSignal]

  init(onSignal: @escaping @Sendable (Int32) -> Void) {
    sources = [SIGINT, SIGTERM].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { onSignal(number) }
      source.resume()
      return source
    }
  }

  func cancel() {
    for source in sources { source.cancel() }
    signal(SIGINT, SIG_DFL)
    signal(SIGTERM, SIG_DFL)
  }
}
