import CNCurses
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The real terminal: ncursesw on this process's stdin/stdout, full screen.
///
/// Create it on the thread that will run the `UILoop` (normally the main thread) and use it only
/// there: ncurses is not thread-safe, so the class is deliberately not `Sendable`. Only one can be
/// open at a time. While it is open:
/// - keys arrive raw (Ctrl-C is `.control("c")`, Ctrl-Z is `.control("z")`: call `suspendProcess()`),
/// - SIGTERM/SIGHUP/SIGINT arrive through `signals` (the loop reports them as termination),
/// - fatal signals (SIGSEGV, SIGABRT…) restore the terminal before the process dies,
/// - mouse clicks/wheel and bracketed paste are on.
public final class NcursesTerminal: Terminal, SignalReporting {
  private static let bracketedPasteOn = "\u{1B}[?2004h"
  private static let bracketedPasteOff = "\u{1B}[?2004l"

  /// Where SIGTERM, SIGHUP, SIGINT and SIGWINCH arrive (polled by `UILoop`).
  public let signals: SignalPipe
  /// How many colours are in use: `.none` under NO_COLOR or on a monochrome terminal.
  public let colorDepth: ColorDepth

  private let screen: OpaquePointer
  private let window: UnsafeMutablePointer<WINDOW>
  private var painter: NcursesPainter
  private var reader: NcursesInputReader
  private var isSuspended = false
  private var isClosed = false

  /// Takes over the terminal. Checks, in order: stdin/stdout are TTYs, TERM is usable, a UTF-8
  /// locale (`setlocale(LC_ALL, "")`, falling back to C.UTF-8 for LC_CTYPE), `newterm` knows TERM.
  /// - Parameters:
  ///   - environment: TERM and NO_COLOR are read from here (default: this process's).
  ///   - escapeDelay: How long (ms) ncurses waits after ESC for the rest of a sequence; a key that
  ///     follows within it is read as Alt+key.
  /// - Throws: `TerminalUnavailableError` (with a one-line message for the user) or
  ///   `SystemCallError` when the signal pipe cannot be created.
  public init(environment: [String: String] = TerminalAvailability.currentEnvironment(), escapeDelay: Int = 25)
    throws
  {
    let type = try TerminalAvailability.check(
      stdinIsTTY: isatty(STDIN_FILENO) == 1, stdoutIsTTY: isatty(STDOUT_FILENO) == 1, environment: environment)
    guard !terminalIsOpen.exchange(true, ordering: .acquiringAndReleasing) else {
      throw TerminalUnavailableError(.alreadyOpen)
    }
    let signals: SignalPipe
    do {
      signals = try SignalPipe()
    } catch {
      terminalIsOpen.store(false, ordering: .releasing)
      throw error
    }
    Self.selectUTF8Locale()
    // Our SIGINT/SIGTERM/SIGHUP handlers go first, so newterm does not install its own.
    TerminalSignals.install(relayingTo: signals)
    guard let screen = nc_newterm(type), let window = nc_stdscr() else {
      TerminalSignals.uninstall()
      terminalIsOpen.store(false, ordering: .releasing)
      throw TerminalUnavailableError(.unknownTerminalType(type))
    }
    TerminalSignals.setScreenActive(true)
    TerminalSignals.chainWindowChanges()
    self.signals = signals
    self.screen = screen
    self.window = window

    // Decide from terminfo before starting colours: they are started only when used.
    let depth = ColorDepth.detect(colors: Int(tigetnum("colors")), hasColors: has_colors(), environment: environment)
    var hasDefaultColors = false
    if depth != .none, start_color() == OK {
      hasDefaultColors = use_default_colors() == OK
      colorDepth = depth
    } else {
      colorDepth = .none
    }
    let palette = ColorPairCache(
      colorsEnabled: colorDepth != .none, colorCount: nc_colors(), pairLimit: nc_color_pairs(),
      hasDefaultColors: hasDefaultColors)
    painter = NcursesPainter(window: window, palette: palette, resolver: ResolvedStyle.attributesOnly)
    reader = NcursesInputReader(window: window)
    configureModes(escapeDelay: escapeDelay)
  }

  deinit { close() }

  /// The current size in cells (updated by ncurses when the window is resized).
  public var size: TerminalSize {
    var rows: Int32 = 0
    var columns: Int32 = 0
    nc_getmaxyx(window, &rows, &columns)
    return TerminalSize(rows: Int(rows), columns: Int(columns))
  }

  /// stdin: poll it for readiness; `readInput()` does the reading.
  public var inputDescriptor: Int32 { STDIN_FILENO }

  public var styleResolver: @Sendable (TextStyle) -> ResolvedStyle {
    get { painter.resolver }
    set { painter.resolver = newValue }
  }

  /// Mouse clicks and wheel are captured (on by default); off restores native text selection.
  public var mouseCaptureEnabled = true {
    didSet {
      if !isSuspended, !isClosed { applyMouseCapture() }
    }
  }

  public func draw(_ canvas: Canvas, cursor: (row: Int, column: Int)?) {
    guard !isSuspended, !isClosed else { return }
    painter.draw(canvas, cursor: cursor)
  }

  public func invalidate() {
    painter.invalidate()
  }

  public func readInput() -> [TerminalInput] {
    guard !isSuspended, !isClosed else { return [] }
    let (input, resized) = reader.read(size: { self.size })
    // The emulator may have reflowed the screen: repaint from scratch.
    if resized { painter.invalidate() }
    return input
  }

  /// Leaves curses mode (shell screen and modes back) so another program can use the terminal.
  public func suspend() {
    guard !isSuspended, !isClosed else { return }
    _ = nc_set_mouse(0)
    writeRaw(Self.bracketedPasteOff)
    def_prog_mode()
    endwin()
    TerminalSignals.setScreenActive(false)
    isSuspended = true
  }

  /// Returns to curses mode after `suspend()` and repaints the last frame.
  public func resume() {
    guard isSuspended, !isClosed else { return }
    isSuspended = false
    reset_prog_mode()
    TerminalSignals.setScreenActive(true)
    writeRaw(Self.bracketedPasteOn)
    applyMouseCapture()
    if let current = nc_curscr() { clearok(current, true) }
    wrefresh(window)
    painter.forgetLastFrame()
  }

  /// Ctrl-Z: gives the terminal back, stops the process (SIGTSTP with its default action) and
  /// takes the terminal again when the shell continues it (SIGCONT).
  public func suspendProcess() {
    guard !isClosed else { return }
    suspend()
    var previous = sigaction()
    _ = nc_set_default_signal_action(SIGTSTP, &previous)
    _ = nc_unblock_signal(SIGTSTP)
    raise(SIGTSTP)
    _ = nc_restore_signal_action(SIGTSTP, &previous)
    resume()
  }

  /// Writes `sequence` to stdout directly (OSC 52 clipboard and similar).
  public func writePassthrough(_ sequence: String) {
    guard !isClosed else { return }
    writeRaw(sequence)
  }

  /// Restores the terminal (mouse and bracketed paste off, shell modes) and the signal handlers.
  public func close() {
    guard !isClosed else { return }
    isClosed = true
    if !isSuspended {
      _ = nc_set_mouse(0)
      writeRaw(Self.bracketedPasteOff)
      curs_set(1)
      endwin()
    }
    TerminalSignals.setScreenActive(false)
    delscreen(screen)
    TerminalSignals.uninstall()
    terminalIsOpen.store(false, ordering: .releasing)
  }

  private func configureModes(escapeDelay: Int) {
    raw()
    noecho()
    nonl()
    keypad(window, true)
    nodelay(window, true)
    intrflush(window, false)
    set_escdelay(Int32(clamping: escapeDelay))
    curs_set(0)
    mouseinterval(0)
    applyMouseCapture()
    writeRaw(Self.bracketedPasteOn)
  }

  private func applyMouseCapture() {
    _ = nc_set_mouse(mouseCaptureEnabled ? 1 : 0)
  }

  private func writeRaw(_ text: String) {
    nc_flush_stdio()
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes {
        write(STDOUT_FILENO, $0.baseAddress.map { $0 + offset }, $0.count - offset)
      }
      if written < 0, errno == EINTR || errno == EAGAIN { continue }
      if written <= 0 { return }
      offset += written
    }
  }

  /// Picks the user's locale; when its codeset is not UTF-8, uses C.UTF-8 for characters so
  /// CJK, emoji and box drawing still render.
  private static func selectUTF8Locale() {
    setlocale(LC_ALL, "")
    if nc_locale_is_utf8() == 0 { setlocale(LC_CTYPE, "C.UTF-8") }
  }
}

/// Whether an `NcursesTerminal` is open (ncurses keeps one global screen).
private let terminalIsOpen = Atomic<Bool>(false)
