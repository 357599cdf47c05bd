/// A screen the debugger draws on and reads input from. The ncurses backend is the real one;
/// tests use an in-memory one. Not `Sendable`: one UI thread owns it.
public protocol Terminal: AnyObject {
  /// The current size in cells.
  var size: TerminalSize { get }
  /// The descriptor to `poll()` for input readiness (the terminal's own reads stay inside the backend).
  var inputDescriptor: Int32 { get }
  /// How many colours the terminal can show (what themes degrade to).
  var colorDepth: ColorDepth { get }
  /// Maps the app's styles to terminal colours and attributes; set before drawing.
  var styleResolver: @Sendable (TextStyle) -> ResolvedStyle { get set }
  /// Whether mouse events are captured (off = the terminal's native text selection works).
  var mouseCaptureEnabled: Bool { get set }

  /// Shows `canvas`, writing only the cells that changed since the last draw, and places the
  /// cursor (hidden when `cursor` is nil).
  func draw(_ canvas: Canvas, cursor: (row: Int, column: Int)?)
  /// Makes the next `draw` repaint every cell (Ctrl-L, after a suspend).
  func invalidate()
  /// Everything the terminal has reported since the last call; never blocks.
  func readInput() -> [TerminalInput]
  /// Gives the terminal back to the shell (for `$EDITOR`, Ctrl-Z); `resume()` takes it again.
  func suspend()
  func resume()
  /// Writes a control sequence straight to the terminal (OSC 52 clipboard); nothing else may.
  func writePassthrough(_ sequence: String)
  /// Restores the terminal for good. Safe to call more than once.
  func close()
}
