import Flows

/// Everything that can change the debugger's state.
public enum Action: Sendable {
  /// A key, mouse event, paste or resize.
  case input(TerminalInput)
  /// Something the runtime or a background job reported.
  case event(AppEvent)
  /// Time passed (spinners, elapsed times); `now` in ms since the epoch.
  case tick(now: Double)
}

/// What background work reports back to the UI.
public enum AppEvent: Sendable {
  /// Trace events from the runtime's event bus, in order.
  case traceEvents([TraceEvent])
  /// A run started by the debugger got its trace id.
  case runStarted(runID: Int, traceId: String)
  /// A run started by the debugger ended.
  case runFinished(runID: Int, traceId: String?, result: Result<JSONValue, FlowError>)
  /// The history from the trace store (newest first).
  case runsLoaded([RunEntry])
  /// A stored trace, its recorded stream and its log records (Genkit `LogRecordData`), loaded for
  /// viewing.
  case traceLoaded(TraceData, chunks: [RecordedChunk], logs: [JSONObject] = [])
  /// A stored run's flow and input, to run again.
  case rerunRequested(flow: String, input: JSONValue)
  /// The input text came back from `$EDITOR`.
  case inputEdited(flow: String, text: String)
  /// A message for the status line.
  case notice(String, isError: Bool)
  /// A stream chunk of a run on an attached runtime (it does not come through the bus).
  case remoteChunk(runID: Int, value: JSONValue, time: Double)
  /// The attached runtime's flows (again); `savedInputs` are the remembered inputs per flow.
  case flowsLoaded([FlowEntry], savedInputs: [String: String])
  /// The attached runtime's connection changed, or it was replaced by another one.
  case connectionChanged(ConnectionStatus)
  case runtimeChanged(AttachedRuntime)
  /// Lines written by the app the debugger started.
  case appLog([String])
}

/// A stored stream chunk as the output pane replays it.
public struct RecordedChunk: Sendable, Equatable {
  public var time: Double
  public var value: JSONValue

  public init(time: Double, value: JSONValue) {
    self.time = time
    self.value = value
  }
}

/// I/O the update function asks for; the host performs it and reports back with `AppEvent`s.
public enum Effect: Sendable, Equatable {
  case runFlow(runID: Int, flow: String, input: JSONValue)
  case cancelRun(runID: Int)
  case loadRuns
  case loadTrace(traceId: String)
  /// Load a stored run's input and report it as `rerunRequested`.
  case rerun(traceId: String)
  case saveInput(flow: String, text: String)
  /// Copy to the clipboard (OSC 52); `what` names it for the confirmation message.
  case copy(text: String, what: String)
  case editInput(flow: String, text: String)
  case exportTrace(traceId: String)
  /// Ctrl-Z.
  case suspend
  /// Ctrl-L: repaint every cell.
  case repaint
  case setMouseCapture(Bool)
  case quit
}
