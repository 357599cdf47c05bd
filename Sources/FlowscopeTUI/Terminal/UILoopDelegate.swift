/// The app side of a `UILoop`: receives input, events and termination requests, and renders frames.
/// All calls happen on the loop's thread.
public protocol UILoopDelegate: AnyObject {
  associatedtype Event: Sendable
  /// Terminal input in arrival order (keys, mouse, resize, paste).
  func loop(received input: [TerminalInput])
  /// Events posted to the inbox since the last frame, in order (drained at most once per frame).
  func loop(received events: [Event])
  /// SIGTERM/SIGHUP/SIGINT asked the app to stop.
  func loopReceivedTermination(signal: Int32)
  /// The frame to show now, or nil if nothing changed since the last one.
  func nextFrame(size: TerminalSize) -> (canvas: Canvas, cursor: (row: Int, column: Int)?)?
  /// When the loop must wake without input (spinner, elapsed time); nil = sleep until input.
  var nextDeadline: ContinuousClock.Instant? { get }
  /// Leave the loop after this iteration.
  var isFinished: Bool { get }
}
