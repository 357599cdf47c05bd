/// A key as the debugger understands it, independent of the terminal library.
public enum Key: Hashable, Sendable {
  /// A printable character (including space).
  case character(Character)
  /// A control chord, as its lowercase letter: Ctrl-C is `.control("c")`.
  case control(Character)
  case enter, tab, backTab, backspace, delete, escape, insert
  case up, down, left, right, home, end, pageUp, pageDown
  /// F1…F12.
  case function(Int)
}

/// A key press, possibly with Alt (Meta) held.
public struct KeyEvent: Hashable, Sendable {
  public var key: Key
  public var alt: Bool

  public init(_ key: Key, alt: Bool = false) {
    self.key = key
    self.alt = alt
  }
}

/// A mouse event at a cell (row and column from the top-left corner, 0-based).
public struct MouseEvent: Hashable, Sendable {
  public enum Button: Hashable, Sendable { case left, middle, right }
  public enum Kind: Hashable, Sendable {
    case press(Button)
    case release
    case wheelUp
    case wheelDown
  }

  public var kind: Kind
  public var row: Int
  public var column: Int

  public init(_ kind: Kind, row: Int, column: Int) {
    self.kind = kind
    self.row = row
    self.column = column
  }
}

/// The size of a terminal in cells.
public struct TerminalSize: Hashable, Sendable {
  public var rows: Int
  public var columns: Int

  public init(rows: Int, columns: Int) {
    self.rows = rows
    self.columns = columns
  }
}

/// Something the terminal reported.
public enum TerminalInput: Hashable, Sendable {
  case key(KeyEvent)
  case mouse(MouseEvent)
  case resize(TerminalSize)
  /// Text pasted in one go (bracketed paste), newlines as `\n`.
  case paste(String)
}
