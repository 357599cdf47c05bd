import Flows

/// The debugger's update function: the next state and the I/O to perform, from the current state
/// and one action. Pure: no I/O, no clock reads (time comes in through actions).
public enum DebuggerUpdate {
  /// The next state and effects (value form).
  public static func update(_ state: AppState, _ action: Action) -> (AppState, [Effect]) {
    var next = state
    let effects = update(&next, action)
    return (next, effects)
  }

  /// Applies `action` to `state` in place and returns the effects to perform.
  public static func update(_ state: inout AppState, _ action: Action) -> [Effect] {
    switch action {
    case .input(let input):
      return handle(input, &state)
    case .event(let event):
      return handle(event, &state)
    case .tick(let now):
      state.now = max(state.now, now)
      if let message = state.message, message.expires <= state.now { state.message = nil }
      return []
    }
  }

  /// The layout for the current state.
  static func layout(_ state: AppState) -> Layout {
    Layout.compute(
      size: state.size, focus: state.focus, inspectorOpen: state.inspector != nil,
      inputLines: state.selectedFlow.flatMap { state.editors[$0]?.lines.count } ?? 3,
      flowCount: state.flows.count)
  }

  /// Shows a message in the status bar for a few seconds.
  static func notify(_ text: String, isError: Bool = false, _ state: inout AppState) {
    state.message = StatusMessage(text: text, isError: isError, expires: state.now + (isError ? 8000 : 4000))
  }

  /// Moves focus, skipping panes that are not shown.
  static func focus(_ pane: Pane, _ state: inout AppState) {
    if pane == .inspector && state.inspector == nil { return }
    state.focus = pane
    state.pendingQuitConfirmation = false
  }

  static func cycleFocus(by delta: Int, _ state: inout AppState) {
    let panes = Layout.cycle(inspectorOpen: state.inspector != nil)
    let index = panes.firstIndex(of: state.focus) ?? 0
    focus(panes[(index + delta + panes.count) % panes.count], &state)
  }
}

/// Moving a selection through a list of ids.
enum ListSelection {
  /// The id `delta` rows away from `current` (clamped), or the first id when `current` is not listed.
  static func move<ID: Equatable>(_ current: ID?, by delta: Int, in ids: [ID]) -> ID? {
    guard !ids.isEmpty else { return nil }
    guard let current, let index = ids.firstIndex(of: current) else { return ids.first }
    return ids[min(max(index + delta, 0), ids.count - 1)]
  }

  /// The scroll offset that keeps `selected` visible in `height` rows, moving as little as possible.
  static func scroll(_ offset: Int, selected: Int?, height: Int, count: Int) -> Int {
    let height = max(height, 1)
    var offset = min(max(offset, 0), max(count - height, 0))
    guard let selected else { return offset }
    if selected < offset { offset = selected }
    if selected >= offset + height { offset = selected - height + 1 }
    return max(offset, 0)
  }
}
