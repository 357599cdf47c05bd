import Flows
import Foundation

@testable import FlowscopeTUI

/// Drives the real host (state, update, effects, event bus) through the real UI loop on an
/// in-memory terminal, and stops once `until` holds after a frame.
final class Driver: UILoopDelegate {
  typealias Event = HostEvent
  let host: DebuggerHost
  let until: (AppState) -> Bool
  private let deadline = ContinuousClock.now + .seconds(20)
  var timedOut = false
  var frames = 0

  init(host: DebuggerHost, until: @escaping (AppState) -> Bool) {
    self.host = host
    self.until = until
  }

  func loop(received input: [TerminalInput]) { host.loop(received: input) }
  func loop(received events: [HostEvent]) { host.loop(received: events) }
  func loopReceivedTermination(signal: Int32) { host.loopReceivedTermination(signal: signal) }
  func nextFrame(size: TerminalSize) -> (canvas: Canvas, cursor: (row: Int, column: Int)?)? {
    let frame = host.nextFrame(size: size)
    if frame != nil { frames += 1 }
    return frame
  }
  var nextDeadline: ContinuousClock.Instant? { min(host.nextDeadline ?? deadline, deadline) }
  var isFinished: Bool {
    if ContinuousClock.now >= deadline { timedOut = true }
    return timedOut || host.isFinished || until(host.state)
  }
}
