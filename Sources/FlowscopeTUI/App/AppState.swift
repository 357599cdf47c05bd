import Flows

/// The panes of the debugger.
public enum Pane: String, Sendable, CaseIterable {
  case flows, runs, input, output, trace, inspector

  public var title: String {
    switch self {
    case .flows: return "Flows"
    case .runs: return "Runs"
    case .input: return "Input"
    case .output: return "Output"
    case .trace: return "Trace"
    case .inspector: return "Span"
    }
  }

  /// The digit that focuses the pane.
  public var hotkey: Character? {
    switch self {
    case .flows: return "1"
    case .runs: return "2"
    case .input: return "3"
    case .output: return "4"
    case .trace: return "5"
    case .inspector: return nil
    }
  }
}

/// A run the debugger started and is watching.
public struct ActiveRun: Sendable, Equatable {
  public var runID: Int
  public var flowName: String
  public var traceId: String?
  /// ms since the epoch.
  public var startTime: Double
  public var endTime: Double?
  public var status: RunStatus
  public var isCancelling = false
}

/// A line in the status bar that replaces the key hints for a while.
public struct StatusMessage: Sendable, Equatable {
  public var text: String
  public var isError: Bool
  /// ms since the epoch after which it disappears.
  public var expires: Double
}

/// A full-screen layer over the panes.
public enum Overlay: Sendable, Equatable {
  case help(scroll: Int)
  case viewer(title: String, state: TextViewerState)
  case confirmQuit
}

/// A one-line text prompt in a pane title (the `/` filter).
public struct FilterPrompt: Sendable, Equatable {
  public var pane: Pane
  public var text: String
}

/// Everything the debugger shows. A value: `update` returns the next one, `render` draws it.
public struct AppState: Sendable {
  public var size: TerminalSize
  /// ms since the epoch (advanced by ticks and events).
  public var now: Double
  public var focus: Pane = .flows

  // Flows and input
  public var flows: [FlowEntry]
  public var flowFilter = ""
  public var selectedFlow: String?
  public var flowScroll = 0
  public var editors: [String: TextEditorState] = [:]
  public var inputDiagnostic: InputDiagnostic?

  // Runs
  public var runs: [RunEntry] = []
  public var runFilter = RunFilter()
  public var selectedRunId: String?
  public var runScroll = 0

  // The run being watched and the output pane
  public var activeRun: ActiveRun?
  public var nextRunID = 1
  public var output = OutputLog()
  /// Wrapped rows scrolled up from the bottom; 0 follows the tail.
  public var outputScroll = 0
  public var outputTitle = ""

  // The trace pane
  public var trace: TraceData?
  /// Log records of the shown trace (loaded with it), which the inspector shows per span.
  public var traceLogs: [JSONObject] = []
  public var outline = TraceOutline()
  public var selectedSpanId: String?
  public var traceScroll = 0

  public var inspector: InspectorState?
  public var overlay: Overlay?
  public var filterPrompt: FilterPrompt?
  /// The `/` search being typed in the full-screen view (nil when not typing).
  public var viewerSearchPrompt: String?
  /// The last search of the full-screen view (for `n` / `N`).
  public var viewerSearch = ""
  public var message: StatusMessage?
  public var mouseEnabled = true
  /// Ctrl-C pressed once while idle: a second one quits.
  public var pendingQuitConfirmation = false
  public var isFinished = false

  /// The runtime attached to (`flowscope attach` / `start`); nil for the in-process registry.
  public var attached: AttachedRuntime?
  /// The output of the app started with the debugger (`flowscope start`); nil when there is none.
  public var appLog: AppLog?

  public init(flows: [FlowEntry], size: TerminalSize, now: Double, savedInputs: [String: String] = [:]) {
    self.flows = flows.sorted { $0.name < $1.name }
    self.size = size
    self.now = now
    selectedFlow = self.flows.first?.name
    for flow in self.flows {
      editors[flow.name] = TextEditorState(text: savedInputs[flow.name] ?? JSONSkeleton.make(schema: flow.inputSchema))
    }
    revalidateInput()
  }

  /// The flows that pass the filter.
  public var visibleFlows: [FlowEntry] {
    flowFilter.isEmpty ? flows : flows.filter { $0.name.localizedCaseInsensitiveContains(flowFilter) }
  }

  /// The runs that pass the filter.
  public var visibleRuns: [RunEntry] { runs.filter(runFilter.matches) }

  public var selectedFlowEntry: FlowEntry? { flows.first { $0.name == selectedFlow } }

  public var isRunning: Bool { activeRun?.status == .running }

  /// Recomputes the diagnostic for the selected flow's input.
  public mutating func revalidateInput() {
    guard let flow = selectedFlowEntry, let editor = editors[flow.name] else {
      inputDiagnostic = nil
      return
    }
    inputDiagnostic = InputValidation.validate(text: editor.text, schema: flow.inputSchema)
  }
}
