import Flows

extension DebuggerUpdate {
  /// Validates the selected flow's input and starts it.
  static func runSelectedFlow(_ state: inout AppState) -> [Effect] {
    guard let flow = state.selectedFlowEntry, let editor = state.editors[flow.name] else {
      notify("No flow selected", isError: true, &state)
      return []
    }
    if state.isRunning {
      notify("\(state.activeRun?.flowName ?? "A flow") is still running (c cancels it)", isError: true, &state)
      return []
    }
    state.revalidateInput()
    if let diagnostic = state.inputDiagnostic {
      notify("Input not valid: \(EditorView.diagnosticLine(diagnostic))", isError: true, &state)
      focus(.input, &state)
      return []
    }
    let text = editor.text
    let input: JSONValue
    if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      input = .null
    } else {
      do {
        input = try JSONValue(parsing: text)
      } catch {
        notify("Input not valid: \(error)", isError: true, &state)
        return []
      }
    }
    return start(flow: flow.name, input: input, inputText: text, &state)
  }

  static func start(flow: String, input: JSONValue, inputText: String, _ state: inout AppState) -> [Effect] {
    let runID = state.nextRunID
    state.nextRunID += 1
    state.activeRun = ActiveRun(runID: runID, flowName: flow, traceId: nil, startTime: state.now, status: .running)
    state.output = OutputLog()
    state.outputScroll = 0
    state.outputTitle = flow
    state.trace = nil
    state.traceLogs = []
    state.outline = TraceOutline()
    state.selectedSpanId = nil
    state.traceScroll = 0
    state.inspector = nil
    if state.focus == .inspector { state.focus = .trace }
    notify("Running \(flow)…", &state)
    return [.saveInput(flow: flow, text: inputText), .runFlow(runID: runID, flow: flow, input: input)]
  }

  static func cancelRun(_ state: inout AppState) -> [Effect] {
    guard let run = state.activeRun, run.status == .running else {
      notify("Nothing is running", &state)
      return []
    }
    state.activeRun?.isCancelling = true
    notify("Cancelling \(run.flowName)…", &state)
    return [.cancelRun(runID: run.runID)]
  }

  static func rerunSelected(_ state: inout AppState) -> [Effect] {
    guard let id = state.selectedRunId else { return [] }
    if state.isRunning {
      notify("\(state.activeRun?.flowName ?? "A flow") is still running (c cancels it)", isError: true, &state)
      return []
    }
    return [.rerun(traceId: id)]
  }

  // MARK: - Events

  static func handle(_ event: AppEvent, _ state: inout AppState) -> [Effect] {
    switch event {
    case .traceEvents(let events):
      apply(events, &state)
    case .runStarted(let runID, let traceId):
      guard state.activeRun?.runID == runID else { return [] }
      adopt(traceId: traceId, &state)
    case .runFinished(let runID, let traceId, let result):
      return finish(runID: runID, traceId: traceId, result: result, &state)
    case .runsLoaded(let loaded):
      // Runs still live in this session keep their fresher state, and a run this session saw end
      // stays ended when the store was read before its end was written there.
      let live = state.runs.filter { run in run.status == .running && !loaded.contains { $0.traceId == run.traceId } }
      let ended = Dictionary(
        state.runs.filter { $0.status != .running }.map { ($0.traceId, $0) }, uniquingKeysWith: { first, _ in first })
      state.runs =
        live
        + loaded.map { run in
          guard run.status == .running, let known = ended[run.traceId] else { return run }
          var fresher = run
          fresher.status = known.status
          fresher.endTime = known.endTime
          fresher.errorMessage = known.errorMessage
          return fresher
        }
      if state.selectedRunId == nil || !state.runs.contains(where: { $0.traceId == state.selectedRunId }) {
        state.selectedRunId = state.visibleRuns.first?.traceId
      }
    case .traceLoaded(let trace, let chunks, let logs):
      show(trace, chunks: chunks, logs: logs, &state)
    case .rerunRequested(let flow, let input):
      guard state.flows.contains(where: { $0.name == flow }) else {
        notify("Flow \(flow) is not registered here", isError: true, &state)
        return []
      }
      let text = input.serialized(.prettyPrinted)
      selectFlow(flow, &state)
      editInputText(flow: flow, text: text, &state)
      return start(flow: flow, input: input, inputText: text, &state)
    case .inputEdited(let flow, let text):
      editInputText(flow: flow, text: text, &state)
    case .notice(let text, let isError):
      notify(text, isError: isError, &state)
    case .remoteChunk, .flowsLoaded, .connectionChanged, .runtimeChanged, .appLog:
      handleAttach(event, &state)
    }
    return []
  }

  static func editInputText(flow: String, text: String, _ state: inout AppState) {
    var editor = state.editors[flow] ?? TextEditorState(text: "")
    editor.replaceAll(text)
    state.editors[flow] = editor
    state.revalidateInput()
  }

  /// Starts showing the trace of the active run.
  static func adopt(traceId: String, _ state: inout AppState) {
    guard state.activeRun?.traceId == nil else { return }
    state.activeRun?.traceId = traceId
    if state.trace?.traceId != traceId {
      state.trace = TraceData(traceId: traceId, spans: [])
      state.traceLogs = []
    }
    if let flow = state.activeRun?.flowName, !state.runs.contains(where: { $0.traceId == traceId }) {
      state.runs.insert(
        RunEntry(
          traceId: traceId, flowName: flow, status: .running, startTime: state.activeRun?.startTime ?? state.now),
        at: 0)
    }
    state.selectedRunId = traceId
  }

  static func apply(_ events: [TraceEvent], _ state: inout AppState) {
    var traceChanged = false
    var logsChanged = false
    for event in events {
      switch event {
      case .spanStarted(let info):
        if info.parent == nil { noteRootStarted(SpanData(info, outcome: nil), &state) }
        traceChanged = merge(SpanData(info, outcome: nil), &state) || traceChanged
      case .spanEnded(let info, let outcome):
        state.now = max(state.now, outcome.endTime)
        traceChanged = merge(SpanData(info, outcome: outcome), &state) || traceChanged
      case .spanReceived(let span):
        if span.parentSpanId == nil { noteRootReceived(span, &state) }
        traceChanged = merge(span, &state) || traceChanged
      case .chunk(let chunk):
        state.now = max(state.now, chunk.time)
        guard chunk.traceId.hex == state.trace?.traceId else { continue }
        state.output.append(chunk: chunk.value.json, time: chunk.time)
      case .logRecorded(let record), .logReceived(let record):
        guard let traceId = state.trace?.traceId, record["traceId"]?.stringValue == traceId else { continue }
        let logId = record["logId"]?.stringValue
        if let logId, let index = state.traceLogs.firstIndex(where: { $0["logId"]?.stringValue == logId }) {
          state.traceLogs[index] = record
        } else {
          state.traceLogs.append(record)
        }
        logsChanged = true
      case .runFinished(let summary):
        let id = summary.traceId.hex
        if let index = state.runs.firstIndex(where: { $0.traceId == id }) {
          state.runs[index].status = summary.error == nil ? .ok : .error
          state.runs[index].endTime = summary.endTime
          state.runs[index].errorMessage = summary.error?.message
        }
      }
    }
    if traceChanged, let trace = state.trace {
      state.outline.rebuild(from: trace)
      if state.selectedSpanId == nil { state.selectedSpanId = state.outline.rows.first?.spanId }
      if let inspector = state.inspector, let span = trace.spans[inspector.span.spanId], span != inspector.span {
        state.inspector?.update(span: span)
      }
    }
    if logsChanged {
      let logs = state.traceLogs
      state.inspector?.update(logs: logs)
    }
  }

  /// A root span began somewhere in the runtime: the run goes into the history, and becomes the
  /// watched trace if it is the run the debugger just started.
  static func noteRootStarted(_ span: SpanData, _ state: inout AppState) {
    if let run = state.activeRun, run.traceId == nil, run.status == .running, span.displayName == run.flowName {
      adopt(traceId: span.traceId, &state)
    }
    guard !state.runs.contains(where: { $0.traceId == span.traceId }) else { return }
    state.runs.insert(
      RunEntry(traceId: span.traceId, flowName: span.displayName, status: .running, startTime: span.startTime), at: 0)
  }

  /// A root span exported by another runtime: its run goes into (or updates) the history. Its
  /// start copy has `endTime` 0; the end copy carries the outcome (`genkit:state` decides, since
  /// the SDKs number status codes differently).
  static func noteRootReceived(_ span: SpanData, _ state: inout AppState) {
    noteRootStarted(span, &state)
    guard !span.isRunning, let index = state.runs.firstIndex(where: { $0.traceId == span.traceId }) else { return }
    state.runs[index].status = span.isError ? .error : .ok
    state.runs[index].endTime = span.endTime
    state.runs[index].errorMessage = span.errorMessage
  }

  /// Adds a span to the watched trace; true when it belongs there.
  static func merge(_ span: SpanData, _ state: inout AppState) -> Bool {
    guard state.trace?.traceId == span.traceId else { return false }
    state.trace?.merge(span)
    return true
  }

  static func finish(
    runID: Int, traceId: String?, result: Result<JSONValue, FlowError>, _ state: inout AppState
  ) -> [Effect] {
    guard var run = state.activeRun, run.runID == runID else { return [.loadRuns] }
    if let traceId { adopt(traceId: traceId, &state) }
    run = state.activeRun ?? run
    run.endTime = state.now
    let elapsed = ValueFormatting.duration(milliseconds: max(state.now - run.startTime, 0))
    // The output pane may show another run by now (a run picked from the history).
    let isShown = state.trace == nil || state.trace?.traceId == run.traceId
    switch result {
    case .success(let value):
      run.status = .ok
      if isShown { state.output.appendSection("result", body: value.serialized(.prettyPrinted)) }
      notify("\(run.flowName) finished in \(elapsed)", &state)
    case .failure(let error):
      run.status = .error
      if isShown { state.output.appendSection("error", body: "\(error.description)") }
      let hint = state.trace.flatMap { TraceTree($0).failureSource } != nil ? " (f: failure source)" : ""
      notify("\(run.flowName) failed: \(error.description)\(hint)", isError: true, &state)
    }
    state.activeRun = run
    if let traceId = run.traceId, let index = state.runs.firstIndex(where: { $0.traceId == traceId }) {
      state.runs[index].status = run.status
      if state.runs[index].endTime == nil { state.runs[index].endTime = state.now }
    }
    return [.loadRuns]
  }

  /// Shows a stored trace and replays its recorded stream in the output pane.
  static func show(_ trace: TraceData, chunks: [RecordedChunk], logs: [JSONObject] = [], _ state: inout AppState) {
    if state.isRunning, state.activeRun?.traceId != trace.traceId {
      // Viewing history while a run streams: the run keeps going; its output stays in the trace.
      state.activeRun?.status = .running
    }
    state.trace = trace
    state.traceLogs = logs
    state.outline = TraceOutline(trace: trace)
    state.selectedSpanId = state.outline.rows.first?.spanId
    state.traceScroll = 0
    state.inspector = nil
    state.output = OutputLog()
    state.outputScroll = 0
    for chunk in chunks { state.output.append(chunk: chunk.value, time: chunk.time) }
    let root = trace.rootSpan
    state.outputTitle = root?.displayName ?? "trace"
    if let root, !root.isRunning {
      if let message = root.errorMessage {
        let status = root.attributes["flowscope:status"]?.stringValue
        state.output.appendSection("error", body: status.map { "\($0): \(message)" } ?? message)
      } else if let output = root.output {
        state.output.appendSection("result", body: output.serialized(.prettyPrinted))
      }
    }
  }
}
