import CNCurses

/// One item read from ncurses, before decoding: what `wget_wch` returned, with the mouse event
/// already fetched (`getmouse` must stay in the backend).
public enum RawInput: Hashable, Sendable {
  /// `wget_wch` returned `OK`: a Unicode code point (control characters included).
  case character(UInt32)
  /// `wget_wch` returned `KEY_CODE_YES`: a curses key code (`KEY_UP`, `KEY_RESIZE`, `KEY_F(5)`…).
  case keyCode(Int32)
  /// A terminfo extended key (a code above `KEY_MAX`) by its name, e.g. `kUP3` (Alt+Up).
  case namedKey(String)
  /// A mouse event read with `getmouse` after `KEY_MOUSE`.
  case mouse(MouseEvent)

  /// The item for one `wget_wch` result, or nil for `ERR` (nothing to read).
  public init?(status: Int32, code: UInt32) {
    switch status {
    case OK: self = .character(code)
    case KEY_CODE_YES: self = .keyCode(Int32(bitPattern: code))
    default: return nil
    }
  }

  /// The mouse events for a `getmouse` report: its cell and `NC_MOUSE_*` bits from the shim.
  public static func mouseEvents(bits: UInt32, row: Int, column: Int) -> [MouseEvent] {
    let kinds: [(UInt32, MouseEvent.Kind)] = [
      (UInt32(NC_MOUSE_LEFT_PRESS), .press(.left)),
      (UInt32(NC_MOUSE_MIDDLE_PRESS), .press(.middle)),
      (UInt32(NC_MOUSE_RIGHT_PRESS), .press(.right)),
      (
        UInt32(NC_MOUSE_LEFT_RELEASE | NC_MOUSE_MIDDLE_RELEASE | NC_MOUSE_RIGHT_RELEASE),
        .release
      ),
      (UInt32(NC_MOUSE_WHEEL_UP), .wheelUp),
      (UInt32(NC_MOUSE_WHEEL_DOWN), .wheelDown),
    ]
    return kinds.filter { bits & $0.0 != 0 }.map { MouseEvent($0.1, row: row, column: column) }
  }
}
