#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Signals relayed from a signal handler to the UI loop: the handler writes the signal number as
/// one byte, the loop polls `readDescriptor` and calls `drain()`.
///
/// `NcursesTerminal` owns one and routes SIGTERM, SIGHUP, SIGINT (→ termination) and SIGWINCH
/// (→ wake up and read input) into it. Tests call `notify(_:)` to simulate a signal.
public final class SignalPipe: Sendable {
  private let pipe: SelfPipe

  /// Creates a pipe; it receives signals only once a terminal registers it with its handlers.
  /// - Throws: `SystemCallError` when the pipe cannot be created.
  public init() throws(SystemCallError) {
    pipe = try SelfPipe()
  }

  deinit { pipe.closeDescriptors() }

  /// The descriptor that becomes readable when a signal arrived (`poll` it for `POLLIN`).
  public var readDescriptor: Int32 { pipe.readDescriptor }

  /// The descriptor a signal handler writes to.
  var writeDescriptor: Int32 { pipe.writeDescriptor }

  /// Records `signal` as delivered, as the signal handler does. Async-signal-safe; never blocks.
  public func notify(_ signal: Int32) {
    pipe.post(byte: UInt8(truncatingIfNeeded: signal))
  }

  /// The signals delivered since the last call, oldest first.
  public func drain() -> [Int32] {
    let signals = pipe.drain().map { Int32($0) }
    if !signals.isEmpty { TerminalSignals.acknowledgeTerminations() }
    return signals
  }
}

/// A terminal that relays process signals to its UI loop. `UILoop` polls `signals` when the
/// terminal it is given adopts this protocol.
public protocol SignalReporting: AnyObject {
  /// Where termination and window-change signals arrive.
  var signals: SignalPipe { get }
}
