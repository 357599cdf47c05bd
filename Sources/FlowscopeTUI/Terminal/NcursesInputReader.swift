import CNCurses

/// Reads everything ncurses has buffered (`wget_wch` in no-delay mode until ERR), fetches mouse
/// events as they come, and decodes the batch with `KeyDecoder`. Only used on the UI thread.
struct NcursesInputReader {
  /// Stops a batch after this many items so a flood of input cannot starve the loop.
  private static let batchLimit = 65_536

  private let window: UnsafeMutablePointer<WINDOW>
  private var decoder = KeyDecoder()

  init(window: UnsafeMutablePointer<WINDOW>) {
    self.window = window
  }

  /// The decoded input, and whether the batch contained a resize.
  mutating func read(size: () -> TerminalSize) -> (input: [TerminalInput], resized: Bool) {
    var batch: [RawInput] = []
    var resized = false
    var code: wint_t = 0
    while batch.count < Self.batchLimit, let item = RawInput(status: wget_wch(window, &code), code: code) {
      switch item {
      case .keyCode(KEY_MOUSE):
        var row: Int32 = 0
        var column: Int32 = 0
        var bits: UInt32 = 0
        if nc_get_mouse(&row, &column, &bits) == OK {
          let events = RawInput.mouseEvents(bits: bits, row: Int(row), column: Int(column))
          batch.append(contentsOf: events.map(RawInput.mouse))
        }
      case .keyCode(let key) where key > KEY_MAX:
        if let name = keyname(key) { batch.append(.namedKey(String(cString: name))) }
      case .keyCode(KEY_RESIZE):
        resized = true
        batch.append(item)
      default:
        batch.append(item)
      }
    }
    return (decoder.decode(batch, size: size()), resized)
  }
}
