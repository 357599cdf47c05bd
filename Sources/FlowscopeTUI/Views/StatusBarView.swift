import Flows

/// The bottom line: a message when there is one, otherwise the keys of the focused pane (from the
/// binding table), and the running flow on the right.
enum StatusBarView {
  static func render(_ state: AppState, in rect: Rect, on canvas: inout Canvas) {
    guard !rect.isEmpty else { return }
    let bar = TextStyle(foreground: .statusBar, background: nil)
    canvas.fill(row: rect.row, column: rect.column, height: 1, width: rect.width, style: bar)
    var right = ""
    if let run = state.activeRun, run.status == .running {
      right =
        "\(Spinner.frame(at: state.now)) \(run.flowName) \(ValueFormatting.duration(milliseconds: max(state.now - run.startTime, 0)))"
    }
    if !state.mouseEnabled { right = right.isEmpty ? "mouse off" : right + " · mouse off" }
    if let unread = state.appLog?.unreadCount, unread > 0 {
      right = (right.isEmpty ? "" : right + " · ") + "A: \(unread) log lines"
    }
    let connection = state.attached.map(connectionLabel)
    let connectionWidth = connection.map { min(DisplayWidth.of($0.text) + 1, rect.width / 3) } ?? 0
    let rightWidth = right.isEmpty ? 0 : min(DisplayWidth.of(right) + 1, (rect.width - connectionWidth) / 2)
    let leftWidth = rect.width - rightWidth - connectionWidth
    if let message = state.message {
      let style = TextStyle(foreground: message.isError ? .failure : .accent, bold: message.isError)
      canvas.put(
        " " + TextSanitizer.sanitize(message.text, keepNewlines: false), row: rect.row, column: rect.column,
        style: style, maxWidth: leftWidth)
    } else {
      var column = rect.column + 1
      for hint in hints(state) {
        let needed = DisplayWidth.of(hint.label) + 1 + DisplayWidth.of(hint.description) + 2
        if column + needed > rect.column + leftWidth { break }
        column += canvas.put(
          hint.label, row: rect.row, column: column, style: TextStyle(foreground: .accent, bold: true))
        column += 1
        column += canvas.put(hint.description, row: rect.row, column: column, style: TextStyle(foreground: .muted))
        column += 2
      }
    }
    if rightWidth > 0 {
      canvas.put(
        right, row: rect.row, column: rect.right - rightWidth - connectionWidth,
        style: TextStyle(foreground: .running, bold: true), maxWidth: rightWidth)
    }
    if let connection, connectionWidth > 0 {
      canvas.put(
        connection.text, row: rect.row, column: rect.right - connectionWidth,
        style: TextStyle(foreground: connection.color, bold: true), maxWidth: connectionWidth)
    }
  }

  /// `● connected py/0.12.0 pid 42`: the attached runtime and the state of the link.
  static func connectionLabel(_ runtime: AttachedRuntime) -> (text: String, color: ColorRole) {
    let color: ColorRole
    switch runtime.status {
    case .connected: color = .success
    case .reconnecting: color = .running
    case .gone: color = .failure
    }
    return ("● \(runtime.status.label) \(TextSanitizer.sanitize(runtime.name, keepNewlines: false))", color)
  }

  /// The hints for what has the keyboard now.
  static func hints(_ state: AppState) -> [(label: String, description: String)] {
    switch state.overlay {
    case .viewer:
      if state.viewerSearchPrompt != nil { return [("⏎", "search"), ("Esc", "cancel")] }
      return KeyBindings.hints(for: [.viewer])
    case .help: return [("any key", "close")]
    case .confirmQuit: return [("y", "quit"), ("n", "stay")]
    case nil: break
    }
    if state.filterPrompt != nil { return [("⏎", "keep filter"), ("Esc", "clear filter")] }
    return KeyBindings.hints(for: KeyBindings.scopes(for: state.focus))
  }
}
