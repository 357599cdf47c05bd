/// What a key does. One table (`KeyBindings.all`) maps keys to commands and drives key handling,
/// the status bar hints and the `?` overlay, so they never disagree.
public enum Command: Sendable, Equatable {
  case nextPane, previousPane, focus(Pane)
  case help, quit, cancelRun, repaint, suspend, toggleMouse
  case runFlow, editExternally, resetInput, undo, redo
  case moveUp, moveDown, pageUp, pageDown, top, bottom
  case open, back, filter
  case expand, collapse, toggleFold, expandAll, collapseAll
  case jumpToFailure, rerun, cycleStatusFilter
  case copyValue, copySpan, copyTrace, exportTrace
  case search, nextMatch, previousMatch
  case appLog
}

/// Where a binding applies.
public enum BindingScope: Sendable, Equatable, CaseIterable {
  /// Everywhere (printable keys not while typing in the editor or a filter).
  case global
  /// Flows, runs, trace, output and inspector: moving a selection or a view.
  case navigation
  case flows, runs, input, output, trace, inspector
  case viewer

  public var title: String {
    switch self {
    case .global: return "Everywhere"
    case .navigation: return "Lists and views"
    case .flows: return "Flows"
    case .runs: return "Runs"
    case .input: return "Input editor"
    case .output: return "Output"
    case .trace: return "Trace"
    case .inspector: return "Span inspector"
    case .viewer: return "Full-screen view"
    }
  }
}

/// One key binding: the keys, how the help shows them, what they do and where.
public struct KeyBinding: Sendable, Equatable {
  public var keys: [KeyEvent]
  /// How the keys are written in hints (`j/k`, `⏎`, `^C`).
  public var label: String
  public var description: String
  public var command: Command
  public var scope: BindingScope
  /// Shown in the status bar when its scope is active.
  public var isHint: Bool

  public init(
    _ keys: [Key], label: String, _ description: String, _ command: Command, scope: BindingScope, hint: Bool = false
  ) {
    self.keys = keys.map { KeyEvent($0) }
    self.label = label
    self.description = description
    self.command = command
    self.scope = scope
    isHint = hint
  }
}

/// The debugger's key binding table.
public enum KeyBindings {
  public static let all: [KeyBinding] = [
    // Everywhere
    KeyBinding([.tab], label: "⇥", "next pane", .nextPane, scope: .global, hint: true),
    KeyBinding([.backTab], label: "⇧⇥", "previous pane", .previousPane, scope: .global),
    KeyBinding([.character("1")], label: "1", "focus Flows", .focus(.flows), scope: .global),
    KeyBinding([.character("2")], label: "2", "focus Runs", .focus(.runs), scope: .global),
    KeyBinding([.character("3")], label: "3", "focus Input", .focus(.input), scope: .global),
    KeyBinding([.character("4")], label: "4", "focus Output", .focus(.output), scope: .global),
    KeyBinding([.character("5")], label: "5", "focus Trace", .focus(.trace), scope: .global),
    KeyBinding([.function(5), .control("r")], label: "F5/^R", "run the selected flow", .runFlow, scope: .global),
    KeyBinding([.control("c"), .character("c")], label: "c/^C", "cancel the running flow", .cancelRun, scope: .global),
    KeyBinding(
      [.function(4), .character("e")], label: "e/F4", "edit the input in $EDITOR", .editExternally, scope: .global),
    KeyBinding([.character("Y")], label: "Y", "copy the whole trace as JSON", .copyTrace, scope: .global),
    KeyBinding([.character("x")], label: "x", "export the trace to a file", .exportTrace, scope: .global),
    KeyBinding([.character("A")], label: "A", "the started app's log (flowscope start)", .appLog, scope: .global),
    KeyBinding([.character("M")], label: "M", "mouse capture on/off (off = select text)", .toggleMouse, scope: .global),
    KeyBinding([.control("l")], label: "^L", "repaint the screen", .repaint, scope: .global),
    KeyBinding([.control("z")], label: "^Z", "suspend (fg to resume)", .suspend, scope: .global),
    KeyBinding([.character("?"), .function(1)], label: "?", "all keys", .help, scope: .global, hint: true),
    KeyBinding([.character("q")], label: "q", "quit", .quit, scope: .global, hint: true),
    // Lists and views
    KeyBinding([.down, .character("j")], label: "j/k", "move down", .moveDown, scope: .navigation, hint: true),
    KeyBinding([.up, .character("k")], label: "k", "move up", .moveUp, scope: .navigation),
    KeyBinding([.pageDown, .control("d")], label: "PgDn", "page down", .pageDown, scope: .navigation),
    KeyBinding([.pageUp, .control("u")], label: "PgUp", "page up", .pageUp, scope: .navigation),
    KeyBinding([.home, .character("g")], label: "g", "first", .top, scope: .navigation),
    KeyBinding([.end, .character("G")], label: "G", "last (output: follow the stream)", .bottom, scope: .navigation),
    KeyBinding([.escape], label: "Esc", "back / clear the filter", .back, scope: .navigation),
    // Flows
    KeyBinding([.enter], label: "⏎", "run the flow with its input", .open, scope: .flows, hint: true),
    KeyBinding([.character("i")], label: "i", "edit the input", .focus(.input), scope: .flows, hint: true),
    KeyBinding([.character("/")], label: "/", "filter flows", .filter, scope: .flows, hint: true),
    // Runs
    KeyBinding([.enter], label: "⏎", "show the run's trace and stream", .open, scope: .runs, hint: true),
    KeyBinding([.character("r")], label: "r", "rerun with the same input", .rerun, scope: .runs, hint: true),
    KeyBinding([.character("/")], label: "/", "filter by flow", .filter, scope: .runs, hint: true),
    KeyBinding(
      [.character("s")], label: "s", "status filter (all/running/ok/error)", .cycleStatusFilter, scope: .runs,
      hint: true),
    // Input editor
    KeyBinding([.function(5), .control("r")], label: "F5/^R", "run", .runFlow, scope: .input, hint: true),
    KeyBinding([.escape], label: "Esc", "leave the editor", .back, scope: .input, hint: true),
    KeyBinding([.control("u")], label: "^U", "undo", .undo, scope: .input, hint: true),
    KeyBinding([.control("y")], label: "^Y", "redo", .redo, scope: .input),
    KeyBinding([.control("k")], label: "^K", "reset to the schema skeleton", .resetInput, scope: .input),
    KeyBinding(
      [.function(4), .control("e")], label: "F4/^E", "edit in $EDITOR", .editExternally, scope: .input, hint: true),
    // Output
    KeyBinding([.enter], label: "⏎", "full-screen view", .open, scope: .output, hint: true),
    KeyBinding([.character("y")], label: "y", "copy the output", .copyValue, scope: .output, hint: true),
    // Trace
    KeyBinding([.enter], label: "⏎", "inspect the span", .open, scope: .trace, hint: true),
    KeyBinding([.character(" ")], label: "space", "fold / unfold", .toggleFold, scope: .trace, hint: true),
    KeyBinding([.right, .character("l")], label: "l", "expand", .expand, scope: .trace),
    KeyBinding([.left, .character("h")], label: "h", "collapse / go to parent", .collapse, scope: .trace),
    KeyBinding([.character("L")], label: "L", "expand all", .expandAll, scope: .trace),
    KeyBinding([.character("H")], label: "H", "collapse all", .collapseAll, scope: .trace),
    KeyBinding([.character("f")], label: "f", "jump to the failure source", .jumpToFailure, scope: .trace, hint: true),
    KeyBinding([.character("y")], label: "y", "copy the span as JSON", .copySpan, scope: .trace, hint: true),
    // Inspector
    KeyBinding([.enter], label: "⏎", "open the value full-screen", .open, scope: .inspector, hint: true),
    KeyBinding([.character(" ")], label: "space", "fold / unfold", .toggleFold, scope: .inspector, hint: true),
    KeyBinding([.right, .character("l")], label: "l", "expand", .expand, scope: .inspector),
    KeyBinding([.left, .character("h")], label: "h", "collapse / go to parent", .collapse, scope: .inspector),
    KeyBinding([.character("L")], label: "L", "expand all", .expandAll, scope: .inspector),
    KeyBinding([.character("H")], label: "H", "collapse all", .collapseAll, scope: .inspector),
    KeyBinding([.character("f")], label: "f", "jump to the failure source", .jumpToFailure, scope: .inspector),
    KeyBinding([.character("y")], label: "y", "copy the value", .copyValue, scope: .inspector, hint: true),
    KeyBinding([.character("p")], label: "p", "copy the span as JSON", .copySpan, scope: .inspector),
    KeyBinding([.escape], label: "Esc", "close", .back, scope: .inspector, hint: true),
    // Full-screen view
    KeyBinding([.down, .character("j")], label: "j/k", "scroll", .moveDown, scope: .viewer, hint: true),
    KeyBinding([.up, .character("k")], label: "k", "scroll up", .moveUp, scope: .viewer),
    KeyBinding([.pageDown, .character(" ")], label: "PgDn", "page down", .pageDown, scope: .viewer, hint: true),
    KeyBinding([.pageUp, .character("b")], label: "PgUp", "page up", .pageUp, scope: .viewer),
    KeyBinding([.home, .character("g")], label: "g/G", "top / bottom", .top, scope: .viewer, hint: true),
    KeyBinding([.end, .character("G")], label: "G", "bottom", .bottom, scope: .viewer),
    KeyBinding([.character("w")], label: "w", "wrap on/off", .toggleFold, scope: .viewer, hint: true),
    KeyBinding([.right, .character("l")], label: "←/→", "scroll sideways (no wrap)", .expand, scope: .viewer),
    KeyBinding([.left, .character("h")], label: "h", "scroll left", .collapse, scope: .viewer),
    KeyBinding([.character("/")], label: "/", "search (smart case)", .search, scope: .viewer, hint: true),
    KeyBinding([.character("n")], label: "n/N", "next / previous match", .nextMatch, scope: .viewer, hint: true),
    KeyBinding([.character("N")], label: "N", "previous match", .previousMatch, scope: .viewer),
    KeyBinding([.character("y")], label: "y", "copy", .copyValue, scope: .viewer, hint: true),
    KeyBinding([.escape, .character("q")], label: "Esc/q", "close", .back, scope: .viewer, hint: true),
  ]

  /// The scopes active for a pane, most specific first.
  public static func scopes(for pane: Pane) -> [BindingScope] {
    switch pane {
    case .flows: return [.flows, .navigation, .global]
    case .runs: return [.runs, .navigation, .global]
    case .input: return [.input, .global]
    case .output: return [.output, .navigation, .global]
    case .trace: return [.trace, .navigation, .global]
    case .inspector: return [.inspector, .navigation, .global]
    }
  }

  /// The command for `key` in `scopes` (searched in order), or nil.
  public static func command(for key: KeyEvent, in scopes: [BindingScope], typing: Bool = false) -> Command? {
    for scope in scopes {
      for binding in all where binding.scope == scope && binding.keys.contains(key) {
        if typing, scope == .global, case .character = key.key { continue }
        return binding.command
      }
    }
    return nil
  }

  /// The hints shown in the status bar for `scopes`.
  public static func hints(for scopes: [BindingScope]) -> [(label: String, description: String)] {
    var seen = Set<String>()
    var hints: [(String, String)] = []
    for scope in scopes {
      for binding in all where binding.scope == scope && binding.isHint && seen.insert(binding.label).inserted {
        // "j/k move down" reads as "j/k move": a label naming two keys covers both directions.
        let description =
          binding.label.contains("/") && binding.description.hasPrefix("move ") ? "move" : binding.description
        hints.append((binding.label, description))
      }
    }
    return hints
  }

  /// Every binding grouped by scope, for the `?` overlay.
  public static var sections: [(title: String, bindings: [KeyBinding])] {
    BindingScope.allCases.map { scope in (scope.title, all.filter { $0.scope == scope }) }
  }
}
