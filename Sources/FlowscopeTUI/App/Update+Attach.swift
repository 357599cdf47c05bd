import Flows

extension DebuggerUpdate {
  /// The title of the full-screen view of the app's log (it refreshes while open).
  static let appLogTitle = "App log"

  /// Events of an attached runtime and of the app the debugger started.
  static func handleAttach(_ event: AppEvent, _ state: inout AppState) {
    switch event {
    case .remoteChunk(let runID, let value, let time):
      state.now = max(state.now, time)
      guard let run = state.activeRun, run.runID == runID else { return }
      // The output pane may show a stored run meanwhile.
      guard state.trace == nil || state.trace?.traceId == run.traceId else { return }
      state.output.append(chunk: value, time: time)
    case .flowsLoaded(let flows, let savedInputs):
      replaceFlows(flows, savedInputs: savedInputs, &state)
    case .connectionChanged(let status):
      connectionChanged(to: status, &state)
    case .runtimeChanged(let runtime):
      let previous = state.attached
      state.attached = runtime
      if previous?.url != runtime.url { notify("Attached to \(runtime.name) at \(runtime.url)", &state) }
    case .appLog(let lines):
      appendAppLog(lines, &state)
    default:
      break
    }
  }

  /// Replaces the flow list, keeping the inputs being edited and the selection where possible.
  static func replaceFlows(_ flows: [FlowEntry], savedInputs: [String: String], _ state: inout AppState) {
    state.flows = flows.sorted { $0.name < $1.name }
    for flow in state.flows where state.editors[flow.name] == nil {
      state.editors[flow.name] = TextEditorState(
        text: savedInputs[flow.name] ?? JSONSkeleton.make(schema: flow.inputSchema))
    }
    if state.selectedFlow == nil || !state.flows.contains(where: { $0.name == state.selectedFlow }) {
      state.selectedFlow = state.visibleFlows.first?.name ?? state.flows.first?.name
      state.flowScroll = 0
    }
    state.revalidateInput()
  }

  static func connectionChanged(to status: ConnectionStatus, _ state: inout AppState) {
    guard var runtime = state.attached, runtime.status != status else { return }
    let previous = runtime.status
    runtime.status = status
    state.attached = runtime
    switch status {
    case .connected:
      notify("Reconnected to \(runtime.name)", &state)
    case .reconnecting:
      if previous == .connected {
        notify("Lost \(runtime.name) at \(runtime.url); reconnecting…", isError: true, &state)
      }
    case .gone:
      notify("\(runtime.name) is gone (its process ended or stopped answering)", isError: true, &state)
    }
  }

  static func appendAppLog(_ lines: [String], _ state: inout AppState) {
    var log = state.appLog ?? AppLog()
    log.append(lines)
    if case .viewer(let title, let viewer) = state.overlay, title == appLogTitle {
      log.unreadCount = 0
      let atBottom = viewer.scrollOffset >= viewer.maxScrollOffset
      var refreshed = TextViewerState(text: log.text, isWrapping: viewer.isWrapping)
      refreshed.setViewport(width: viewer.width, height: viewer.height)
      if atBottom { refreshed.scrollToBottom() } else { refreshed.scroll(by: viewer.scrollOffset) }
      state.overlay = .viewer(title: title, state: refreshed)
    }
    state.appLog = log
  }

  /// `A`: the app's log full-screen, at its end.
  static func openAppLog(_ state: inout AppState) {
    guard var log = state.appLog else {
      notify("No app log: `flowscope start -- <command>` runs an app and shows its output here", &state)
      return
    }
    log.unreadCount = 0
    state.appLog = log
    openViewer(title: appLogTitle, text: log.text.isEmpty ? "(nothing written yet)" : log.text, &state)
    if case .viewer(let title, var viewer) = state.overlay {
      viewer.scrollToBottom()
      state.overlay = .viewer(title: title, state: viewer)
    }
  }
}
