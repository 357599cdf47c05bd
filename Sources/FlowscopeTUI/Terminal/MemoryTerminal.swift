/// An in-memory `Terminal` for tests: records what is drawn and written, and returns scripted
/// input. Its `inputDescriptor` is a real pipe that becomes readable when input is fed, so a
/// `UILoop` can run on it exactly as on the real terminal.
public final class MemoryTerminal: Terminal, SignalReporting {
  /// Feeds input (from any thread) and simulates the terminal going away.
  public let feed: InputFeed
  /// Simulated signals: `signals.notify(SIGTERM)` behaves like the real handler.
  public let signals: SignalPipe
  public var colorDepth: ColorDepth
  public var styleResolver: @Sendable (TextStyle) -> ResolvedStyle = ResolvedStyle.attributesOnly
  public var mouseCaptureEnabled = true

  /// The last canvas drawn.
  public private(set) var lastCanvas: Canvas?
  /// The cursor of the last draw (nil = hidden).
  public private(set) var cursor: (row: Int, column: Int)?
  /// How many times `draw` was called.
  public private(set) var drawCount = 0
  /// Cells written in total: the changed, non-continuation cells of each draw.
  public private(set) var cellsWritten = 0
  /// Everything passed to `writePassthrough`, in order.
  public private(set) var passthroughWrites: [String] = []
  /// How many times `invalidate()` was called.
  public private(set) var invalidationCount = 0
  public private(set) var isSuspended = false
  public private(set) var isClosed = false
  private var needsFullRepaint = false

  /// - Parameters:
  ///   - size: The initial size; `feed.resize(to:)` changes it.
  ///   - colorDepth: What `colorDepth` reports.
  /// - Throws: `SystemCallError` when the pipes cannot be created.
  public init(size: TerminalSize = TerminalSize(rows: 24, columns: 80), colorDepth: ColorDepth = .twoFiftySix)
    throws(SystemCallError)
  {
    feed = try InputFeed(size: size)
    signals = try SignalPipe()
    self.colorDepth = colorDepth
  }

  public var size: TerminalSize { feed.size }
  public var inputDescriptor: Int32 { feed.readDescriptor }

  public func draw(_ canvas: Canvas, cursor: (row: Int, column: Int)?) {
    let previous = needsFullRepaint ? nil : lastCanvas
    cellsWritten += canvas.changes(since: previous).filter { !$0.cell.isContinuation }.count
    needsFullRepaint = false
    lastCanvas = canvas
    self.cursor = cursor
    drawCount += 1
  }

  public func invalidate() {
    invalidationCount += 1
    needsFullRepaint = true
  }

  public func readInput() -> [TerminalInput] { feed.take() }
  public func suspend() { isSuspended = true }
  public func resume() {
    isSuspended = false
    invalidate()
  }
  public func writePassthrough(_ sequence: String) { passthroughWrites.append(sequence) }
  public func close() { isClosed = true }
}
