import Flows

/// One runtime offered by the picker.
public struct PickerChoice: Sendable, Equatable {
  /// `py/0.12.0 pid 4242`.
  public var title: String
  /// `http://127.0.0.1:40123 · started 12:01:33`.
  public var detail: String

  public init(title: String, detail: String) {
    self.title = title
    self.detail = detail
  }
}

/// The state of the runtime picker (`flowscope attach` with several live runtimes): a list, a
/// selection, and the answer once given.
public struct RuntimePickerState: Sendable, Equatable {
  public var choices: [PickerChoice]
  public var selected = 0
  /// The chosen index once Enter was pressed.
  public var chosen: Int?
  public var isCancelled = false

  public init(choices: [PickerChoice]) {
    self.choices = choices
  }

  public var isFinished: Bool { chosen != nil || isCancelled }

  /// j/k/arrows move, Enter or a digit chooses, q/Esc/Ctrl-C cancels.
  public mutating func handle(_ key: KeyEvent) {
    switch key.key {
    case .down, .character("j"), .tab: selected = min(selected + 1, max(choices.count - 1, 0))
    case .up, .character("k"), .backTab: selected = max(selected - 1, 0)
    case .home, .character("g"): selected = 0
    case .end, .character("G"): selected = max(choices.count - 1, 0)
    case .enter: if !choices.isEmpty { chosen = selected }
    case .character(let character) where character.isNumber:
      if let digit = character.wholeNumberValue, (1...choices.count).contains(digit) { chosen = digit - 1 }
    case .escape, .character("q"), .control("c"): isCancelled = true
    default: break
    }
  }

  /// The picker drawn at `size`: a title, one entry per runtime (two lines each), key hints.
  public func render(size: TerminalSize) -> Canvas {
    var canvas = Canvas(rows: size.rows, columns: size.columns)
    guard size.rows > 0, size.columns > 0 else { return canvas }
    let title = "Several Genkit runtimes are running: attach to which?"
    canvas.put(title, row: 0, column: 1, style: TextStyle(foreground: .accent, bold: true), maxWidth: size.columns - 1)
    let listTop = 2
    let available = max((size.rows - listTop - 1) / 2, 1)
    let first = min(max(selected - available + 1, 0), max(choices.count - available, 0))
    for (offset, index) in (first..<min(first + available, choices.count)).enumerated() {
      let row = listTop + offset * 2
      guard row < size.rows - 1 else { break }
      let choice = choices[index]
      let isSelected = index == selected
      let marker = isSelected ? "▶ " : "  "
      let label = "\(marker)\(index + 1). \(TextSanitizer.sanitize(choice.title, keepNewlines: false))"
      canvas.put(
        label, row: row, column: 1, style: TextStyle(bold: isSelected, reverse: isSelected), maxWidth: size.columns - 1)
      if row + 1 < size.rows - 1 {
        canvas.put(
          "     " + TextSanitizer.sanitize(choice.detail, keepNewlines: false), row: row + 1, column: 1,
          style: TextStyle(foreground: .muted), maxWidth: size.columns - 1)
      }
    }
    if size.rows >= 2 {
      canvas.put(
        "j/k move · ⏎ attach · 1-9 pick · q cancel", row: size.rows - 1, column: 1,
        style: TextStyle(foreground: .muted), maxWidth: size.columns - 1)
    }
    return canvas
  }
}

/// Runs the picker on a terminal until the user chooses or cancels.
final class RuntimePickerHost: UILoopDelegate {
  typealias Event = Never
  private(set) var state: RuntimePickerState
  private var needsFrame = true

  init(state: RuntimePickerState) {
    self.state = state
  }

  func loop(received input: [TerminalInput]) {
    for item in input {
      if case .key(let key) = item { state.handle(key) }
      needsFrame = true
    }
  }

  func loop(received events: [Never]) {}

  func loopReceivedTermination(signal: Int32) { state.isCancelled = true }

  func nextFrame(size: TerminalSize) -> (canvas: Canvas, cursor: (row: Int, column: Int)?)? {
    guard needsFrame else { return nil }
    needsFrame = false
    return (state.render(size: size), nil)
  }

  var nextDeadline: ContinuousClock.Instant? { nil }
  var isFinished: Bool { state.isFinished }
}

extension Debugger {
  /// Asks which runtime to attach to; the index of the choice, or nil when the user cancelled.
  public static func pickRuntime(_ choices: [PickerChoice], options: DebuggerOptions) async throws -> Int? {
    let theme = try loadTheme(options)
    return try await MainActor.run { () throws -> Int? in
      let terminal = try NcursesTerminal(environment: options.environment)
      defer { terminal.close() }
      terminal.styleResolver = theme.resolver(
        depth: Theme.effectiveDepth(terminalDepth: terminal.colorDepth, environment: options.environment))
      terminal.mouseCaptureEnabled = false
      let inbox = try Inbox<Never>()
      let host = RuntimePickerHost(state: RuntimePickerState(choices: choices))
      UILoop(terminal: terminal, inbox: inbox, delegate: host).run()
      return host.state.chosen
    }
  }
}
