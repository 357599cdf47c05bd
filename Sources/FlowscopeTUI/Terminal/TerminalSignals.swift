import CNCurses
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Process-wide signal handling while the full-screen terminal is up:
/// - fatal signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP) restore the saved termios,
///   write reset sequences and re-raise with the previous (normally default) disposition;
/// - SIGTERM, SIGHUP, SIGINT go to a `SignalPipe` so the app quits through its normal path (a
///   third one the loop has not picked up yet restores the terminal and kills the process);
/// - SIGWINCH wakes the loop through the same pipe, then runs ncurses' own handler;
/// - `exit()` while the screen is still up (the app forgot `close()`) restores it too (atexit).
///
/// The handlers only touch atomics, preallocated memory and async-signal-safe calls.
enum TerminalSignals {
  static let terminationSignals: [Int32] = [SIGTERM, SIGHUP, SIGINT]
  static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

  /// Saves the terminal modes of stdin and installs the termination and fatal-signal handlers.
  /// Call on the UI thread, before `newterm` (so ncurses does not install its own SIGINT/SIGTERM
  /// handlers). The UI thread gets the handled signals unblocked (until `uninstall`), so at least
  /// one thread can take them even when every other thread blocks them.
  static func install(relayingTo pipe: SignalPipe) {
    let state = signalState
    if nc_unblock_terminal_signals(state.savedSignalMask) == 0 { state.maskThread = pthread_self() }
    state.termiosSaved.store(tcgetattr(STDIN_FILENO, state.savedTermios) == 0, ordering: .releasing)
    state.relayDescriptor.store(pipe.writeDescriptor, ordering: .releasing)
    state.unconsumedTerminations.store(0, ordering: .relaxed)
    _ = nc_ensure_alternate_signal_stack(state.alternateStack, SignalState.alternateStackSize)
    if !state.exitHookRegistered.exchange(true, ordering: .acquiringAndReleasing) {
      atexit {
        if signalState.screenActive.load(ordering: .acquiring) { TerminalSignals.restoreTerminal() }
      }
    }
    for signal in terminationSignals { state.install(signal, handler: terminationHandler, flags: SA_RESTART) }
    for signal in fatalSignals { state.install(signal, handler: fatalHandler, flags: SA_ONSTACK) }
  }

  /// Routes SIGWINCH through the pipe, chaining to the handler ncurses installed. Call after `newterm`.
  static func chainWindowChanges() {
    signalState.install(SIGWINCH, handler: windowChangeHandler, flags: SA_RESTART)
  }

  /// Whether the handlers should write the reset sequences (true while ncurses owns the screen).
  static func setScreenActive(_ active: Bool) {
    signalState.screenActive.store(active, ordering: .releasing)
  }

  /// Puts back every handler that `install` and `chainWindowChanges` replaced, and the UI
  /// thread's signal mask (when called on that thread).
  static func uninstall() {
    let state = signalState
    state.relayDescriptor.store(-1, ordering: .releasing)
    state.screenActive.store(false, ordering: .releasing)
    for signal in [SIGWINCH] + fatalSignals + terminationSignals { state.restore(signal) }
    if let thread = state.maskThread, pthread_equal(thread, pthread_self()) != 0 {
      _ = nc_restore_signal_mask(state.savedSignalMask)
    }
    state.maskThread = nil
  }

  /// The loop has seen the pending signals; resets the count that escalates repeated ones.
  static func acknowledgeTerminations() {
    signalState.unconsumedTerminations.store(0, ordering: .relaxed)
  }

  /// Restores the saved termios and writes the reset sequences. Async-signal-safe.
  static func restoreTerminal() {
    let state = signalState
    if state.termiosSaved.load(ordering: .acquiring) { tcsetattr(STDIN_FILENO, TCSANOW, state.savedTermios) }
    if state.screenActive.exchange(false, ordering: .acquiringAndReleasing) {
      var remaining = resetSequence.utf8CodeUnitCount
      var cursor = UnsafeRawPointer(resetSequence.utf8Start)
      while remaining > 0 {
        let written = write(STDOUT_FILENO, cursor, remaining)
        if written < 0, errno == EINTR { continue }
        if written <= 0 { break }
        remaining -= written
        cursor += written
      }
    }
  }

  /// Mouse tracking off (all modes), bracketed paste off, attributes reset, cursor shown, normal screen.
  static let resetSequence: StaticString =
    "\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1006l\u{1B}[?2004l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n"
}

/// Memory the signal handlers use; allocated once and never freed (handlers may run at any time).
private final class SignalState: @unchecked Sendable {
  static let signalCount = 65
  static let alternateStackSize = 64 * 1024

  let previousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: SignalState.signalCount)
  let savedTermios = UnsafeMutablePointer<termios>.allocate(capacity: 1)
  let savedSignalMask = UnsafeMutablePointer<sigset_t>.allocate(capacity: 1)
  /// The thread whose mask `savedSignalMask` belongs to (only touched on the UI thread).
  var maskThread: pthread_t?
  let alternateStack = UnsafeMutableRawPointer.allocate(byteCount: SignalState.alternateStackSize, alignment: 16)
  let relayDescriptor = Atomic<Int32>(-1)
  let termiosSaved = Atomic<Bool>(false)
  let screenActive = Atomic<Bool>(false)
  let unconsumedTerminations = Atomic<Int>(0)
  let exitHookRegistered = Atomic<Bool>(false)
  /// Bit n set = our handler is installed for signal n and `previousActions[n]` holds the old one.
  let installed = Atomic<UInt64>(0)

  init() {
    previousActions.initialize(repeating: sigaction(), count: SignalState.signalCount)
    savedTermios.initialize(to: termios())
    savedSignalMask.initialize(to: sigset_t())
  }

  func install(_ signal: Int32, handler: nc_signal_handler, flags: Int32) {
    let bit = UInt64(1) << UInt64(signal)
    guard installed.load(ordering: .acquiring) & bit == 0 else { return }
    if nc_install_signal_handler(signal, handler, flags, previousActions + Int(signal)) == 0 {
      installed.bitwiseOr(bit, ordering: .acquiringAndReleasing)
    }
  }

  func restore(_ signal: Int32) {
    let bit = UInt64(1) << UInt64(signal)
    guard installed.bitwiseAnd(~bit, ordering: .acquiringAndReleasing).oldValue & bit != 0 else { return }
    _ = nc_restore_signal_action(signal, previousActions + Int(signal))
  }

  /// Marks `signal` as no longer ours without touching its disposition (from inside a handler).
  func forget(_ signal: Int32) {
    installed.bitwiseAnd(~(UInt64(1) << UInt64(signal)), ordering: .acquiringAndReleasing)
  }

  /// Puts the saved action back from inside a handler (no bookkeeping beyond an atomic).
  func restoreForReraise(_ signal: Int32) {
    let bit = UInt64(1) << UInt64(signal)
    if installed.bitwiseAnd(~bit, ordering: .acquiringAndReleasing).oldValue & bit != 0 {
      _ = nc_restore_signal_action(signal, previousActions + Int(signal))
    } else {
      _ = nc_set_default_signal_action(signal, nil)
    }
  }
}

private let signalState = SignalState()

private let terminationHandler: nc_signal_handler = { signal, _, _ in
  let state = signalState
  let descriptor = state.relayDescriptor.load(ordering: .acquiring)
  let pending = state.unconsumedTerminations.add(1, ordering: .relaxed).newValue
  if descriptor >= 0, pending < 3 {
    SelfPipe.post(byte: UInt8(truncatingIfNeeded: signal), to: descriptor)
    return
  }
  // Nobody is listening, or the loop is stuck: restore the terminal and die of the signal.
  TerminalSignals.restoreTerminal()
  state.forget(signal)
  _ = nc_set_default_signal_action(signal, nil)
  raise(signal)
}

private let fatalHandler: nc_signal_handler = { signal, info, _ in
  TerminalSignals.restoreTerminal()
  signalState.restoreForReraise(signal)
  // A fault re-executes the faulting instruction on return and fails again, now with the previous
  // disposition; a signal sent with kill/raise/abort must be raised again explicitly.
  // (A trap resumes after the trap instruction, so SIGTRAP is always raised again.)
  if let info, info.pointee.si_code > 0, signal != SIGTRAP { return }
  raise(signal)
}

private let windowChangeHandler: nc_signal_handler = { signal, info, context in
  let state = signalState
  let descriptor = state.relayDescriptor.load(ordering: .acquiring)
  if descriptor >= 0 { SelfPipe.post(byte: UInt8(truncatingIfNeeded: signal), to: descriptor) }
  nc_call_signal_action(state.previousActions + Int(signal), signal, info, context)
}
