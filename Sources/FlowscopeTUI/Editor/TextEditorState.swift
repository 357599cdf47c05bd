/// The state of the multi-line input editor: its lines, cursor, scroll offsets and undo history.
///
/// A value type: every operation is a pure mutating method, so the app's update function maps each key
/// to one call (see `TextEditorState+Editing`, `+Movement`, `+Undo`, `+Scrolling`). Columns count
/// grapheme clusters; widths on screen come from `DisplayWidth` (CJK and emoji take two columns).
/// Text entering the editor is normalized: `\r\n` becomes `\n`, tabs become two spaces, and control
/// characters and escape sequences are dropped.
public struct TextEditorState: Equatable, Sendable {
  /// How many undo steps are kept by default.
  public static let defaultHistoryLimit = 200

  /// The lines of text, without newlines; never empty (an empty document is one empty line).
  public internal(set) var lines: [String]
  /// Where the cursor is; always a valid position in `lines`.
  public internal(set) var cursor: TextPosition
  /// The display column that vertical moves aim for, kept across short lines; `nil` after any other
  /// move or edit.
  public internal(set) var preferredColumn: Int?
  /// The first visible line.
  public var scrollRow: Int
  /// The first visible display column (not grapheme column).
  public var scrollColumn: Int
  /// The maximum number of undo (and redo) steps kept.
  public let historyLimit: Int

  var undoStack: [EditorSnapshot] = []
  var redoStack: [EditorSnapshot] = []
  /// The undo group that further edits of the same kind join; `nil` closes it.
  var openGroup: EditGroup?

  /// An editor holding `text` (normalized), with the cursor at the document start.
  public init(text: String = "", historyLimit: Int = TextEditorState.defaultHistoryLimit) {
    lines = EditorText.lines(of: EditorText.normalize(text))
    cursor = .start
    preferredColumn = nil
    scrollRow = 0
    scrollColumn = 0
    self.historyLimit = max(historyLimit, 0)
  }

  /// The whole text, lines joined by `\n`.
  public var text: String { lines.joined(separator: "\n") }

  /// Whether the document is empty.
  public var isEmpty: Bool { lines.count == 1 && lines[0].isEmpty }

  /// The line the cursor is on.
  public var currentLine: String { lines[cursor.line] }

  /// The display column of the cursor within its line (wide characters count two).
  public var cursorDisplayColumn: Int { currentLine.displayWidth(toColumn: cursor.column) }

  /// The number of grapheme clusters on line `index` (0 when out of range).
  public func length(ofLine index: Int) -> Int {
    lines.indices.contains(index) ? lines[index].count : 0
  }
}

/// What undo restores: the text and the cursor.
struct EditorSnapshot: Equatable, Sendable {
  var lines: [String]
  var cursor: TextPosition
}

/// Kinds of edits that merge into one undo step while repeated on the same line without other actions.
enum EditGroup: Equatable, Sendable {
  case typing(line: Int)
  case backspacing(line: Int)
  case deletingForward(line: Int)
}
