import Flows
import Foundation
import TraceStore

/// Runs the debugger: owns the state on the UI thread, feeds it actions, performs the effects
/// `update` asks for, and hands frames to the UI loop.
///
/// Everything here runs on the UI thread except the detached tasks it starts, which only post
/// events back through the inbox.
final class DebuggerHost: UILoopDelegate {
  typealias Event = HostEvent

  private(set) var state: AppState
  private let terminal: any Terminal
  private let inbox: Inbox<HostEvent>
  private let target: any DebugTarget
  private let store: TraceStore?
  private let writer: TraceStoreWriter?
  private let options: DebuggerOptions
  private let subscription: EventSubscription
  private var history: InputHistory?
  private var runs: [Int: Task<Void, Never>] = [:]
  private var monitor: Task<Void, Never>?
  private var needsFrame = true
  /// The inputs as the session began, to save only what the user changed.
  private var initialInputs: [String: String] = [:]

  init(
    terminal: any Terminal, inbox: Inbox<HostEvent>, target: any DebugTarget, store: TraceStore?,
    writer: TraceStoreWriter?, options: DebuggerOptions
  ) {
    self.terminal = terminal
    self.inbox = inbox
    self.target = target
    self.store = store
    self.writer = writer
    self.options = options
    var notice: String?
    var saved: [String: String] = [:]
    if let url = options.inputHistoryURL {
      var history = InputHistory(fileURL: url)
      do {
        try history.load()
        saved = history.entries
      } catch {
        notice = "Saved inputs not loaded: \(error)"
      }
      self.history = history
    }
    for (flow, input) in options.exampleInputs where saved[flow] == nil {
      saved[flow] = input.serialized(.prettyPrinted)
    }
    state = AppState(flows: target.initialFlows, size: terminal.size, now: Self.now(), savedInputs: saved)
    state.mouseEnabled = options.mouse
    state.attached = target.attachedRuntime
    initialInputs = state.editors.mapValues(\.text)
    if let notice { DebuggerUpdate.notify(notice, isError: true, &state) }
    if store == nil { DebuggerUpdate.notify("Trace store unavailable: runs are not saved", isError: true, &state) }
    subscription = target.bus.subscribe(policy: .unbounded, name: "debugger") { [inbox] in
      inbox.post(.busAvailable)
    }
    perform([.loadRuns])
    monitor = Task.detached { [target, inbox] in
      await target.monitor { change in inbox.post(.target(change)) }
    }
  }

  static func now() -> Double { Date().timeIntervalSince1970 * 1000 }

  // MARK: - UILoopDelegate

  func loop(received input: [TerminalInput]) {
    for item in input { dispatch(.input(item)) }
  }

  func loop(received events: [HostEvent]) {
    for event in events {
      switch event {
      case .app(let appEvent):
        if case .runFinished(let runID, _, _) = appEvent { runs[runID] = nil }
        dispatch(.event(appEvent))
      case .busAvailable:
        let batch = subscription.drain()
        if !batch.isEmpty { dispatch(.event(.traceEvents(batch))) }
      case .target(let change):
        dispatch(.event(appEvent(for: change)))
      }
    }
  }

  func loopReceivedTermination(signal: Int32) {
    perform(DebuggerUpdate.quit(&state, force: true))
  }

  func nextFrame(size: TerminalSize) -> (canvas: Canvas, cursor: (row: Int, column: Int)?)? {
    if size != state.size {
      state.size = size
      needsFrame = true
    }
    if isAnimating { needsFrame = true }
    guard needsFrame else { return nil }
    needsFrame = false
    _ = DebuggerUpdate.update(&state, .tick(now: Self.now()))
    return DebuggerView.frame(state, size: size)
  }

  var nextDeadline: ContinuousClock.Instant? {
    if isAnimating { return .now + .milliseconds(100) }
    if let message = state.message {
      return .now + .milliseconds(Int64(max(message.expires - Self.now(), 0)) + 5)
    }
    return nil
  }

  var isFinished: Bool { state.isFinished }

  /// Spinners and elapsed times need redrawing while a run of this session goes on. (Runs shown as
  /// running from the store may be left over from a process that died: they must not keep the
  /// screen ticking, or an idle debugger would never sleep.)
  private var isAnimating: Bool { state.isRunning }

  /// What a target's change means to the debugger.
  private func appEvent(for change: TargetChange) -> AppEvent {
    switch change {
    case .status(let status): return .connectionChanged(status)
    case .runtime(let runtime): return .runtimeChanged(runtime)
    case .flows(let flows): return .flowsLoaded(flows, savedInputs: history?.entries ?? [:])
    case .log(let lines): return .appLog(lines)
    case .notice(let text, let isError): return .notice(text, isError: isError)
    }
  }

  // MARK: - Actions and effects

  func dispatch(_ action: Action) {
    if case .input = action { state.now = max(state.now, Self.now()) }
    let effects = DebuggerUpdate.update(&state, action)
    needsFrame = true
    perform(effects)
  }

  func perform(_ effects: [Effect]) {
    for effect in effects { perform(effect) }
  }

  private func post(_ event: AppEvent) { inbox.post(.app(event)) }

  private func perform(_ effect: Effect) {
    switch effect {
    case .runFlow(let runID, let flow, let input):
      startRun(runID: runID, flow: flow, input: input)
    case .cancelRun(let runID):
      cancelRun(runID)
    case .loadRuns:
      loadRuns()
    case .loadTrace(let traceId):
      loadTrace(traceId) { trace, chunks, logs in .traceLoaded(trace, chunks: chunks, logs: logs) }
    case .rerun(let traceId):
      loadTrace(traceId) { trace, _, _ in
        guard let root = trace.rootSpan else { return .notice("Trace \(traceId) has no root span", isError: true) }
        return .rerunRequested(flow: root.displayName, input: root.input ?? .null)
      }
    case .saveInput(let flow, let text):
      saveInputs([flow: text])
    case .copy(let text, let what):
      let (message, isError) = Clipboard.message(
        forCopying: what, bytes: text.utf8.count, environment: options.environment)
      if !isError { terminal.writePassthrough(Clipboard.osc52(text)) }
      DebuggerUpdate.notify(message, isError: isError, &state)
    case .editInput(let flow, let text):
      editExternally(flow: flow, text: text)
    case .exportTrace(let traceId):
      exportTrace(traceId)
    case .suspend:
      (terminal as? NcursesTerminal)?.suspendProcess()
      terminal.invalidate()
    case .repaint:
      terminal.invalidate()
    case .setMouseCapture(let enabled):
      terminal.mouseCaptureEnabled = enabled
    case .quit:
      saveInputs(state.editors.mapValues(\.text).filter { initialInputs[$0.key] != $0.value })
    }
    needsFrame = true
  }

  /// Remembers inputs per flow in the history file (for the next session).
  private func saveInputs(_ inputs: [String: String]) {
    guard var history, !inputs.isEmpty else { return }
    for (flow, text) in inputs {
      history.record(text, for: flow)
      initialInputs[flow] = text
    }
    do {
      try history.save()
    } catch {
      DebuggerUpdate.notify("Input not saved: \(error)", isError: true, &state)
    }
    self.history = history
  }

  private func startRun(runID: Int, flow: String, input: JSONValue) {
    let inbox = self.inbox
    let target = self.target
    runs[runID] = Task.detached {
      let observer = RunObserver(
        traceStarted: { traceId in inbox.post(.app(.runStarted(runID: runID, traceId: traceId))) },
        chunk: { value, time in inbox.post(.app(.remoteChunk(runID: runID, value: value, time: time))) })
      do {
        let result = try await target.run(flow: flow, input: input, observer: observer)
        inbox.post(.app(.runFinished(runID: runID, traceId: result.traceId, result: .success(result.result))))
      } catch {
        let failure = FlowError(wrapping: error)
        inbox.post(.app(.runFinished(runID: runID, traceId: failure.traceId, result: .failure(failure))))
      }
    }
  }

  /// Cancels a run: an attached runtime is asked to cancel it (its spans then end as the runtime
  /// reports them); the request is dropped when the runtime cannot, or has not within 3 s.
  private func cancelRun(_ runID: Int) {
    guard let task = runs[runID] else { return }
    guard let traceId = state.activeRun.flatMap({ $0.runID == runID ? $0.traceId : nil }),
      target.attachedRuntime != nil
    else {
      task.cancel()
      return
    }
    let target = self.target
    let inbox = self.inbox
    Task.detached {
      if await target.cancel(traceId: traceId) {
        try? await Task.sleep(for: .seconds(3))
      } else {
        inbox.post(.app(.notice("The runtime did not cancel the run; closing the request", isError: true)))
      }
      task.cancel()
    }
  }

  private func loadRuns() {
    guard let store else { return }
    let writer = self.writer
    let inbox = self.inbox
    Task.detached {
      await writer?.flush()
      do {
        let page = try store.listTraces(TraceQuery(limit: 500))
        inbox.post(.app(.runsLoaded(page.traces.map(RunEntry.init))))
      } catch {
        inbox.post(.app(.notice("Runs not loaded: \(error)", isError: true)))
      }
    }
  }

  /// The most log records loaded with a trace.
  static let traceLogLimit = 10_000

  private func loadTrace(
    _ traceId: String, then event: @escaping @Sendable (TraceData, [RecordedChunk], [JSONObject]) -> AppEvent
  ) {
    guard let store else {
      if let trace = state.trace, trace.traceId == traceId {
        post(event(trace, [], []))
      } else {
        post(.notice("Trace store unavailable", isError: true))
      }
      return
    }
    let writer = self.writer
    let inbox = self.inbox
    let logLimit = Self.traceLogLimit
    Task.detached {
      await writer?.flush()
      do {
        guard let trace = try store.trace(id: traceId) else {
          inbox.post(.app(.notice("Trace \(traceId) not found", isError: true)))
          return
        }
        let chunks = try store.chunks(traceId: traceId).compactMap { stored in
          stored.value.map { RecordedChunk(time: stored.time, value: $0) }
        }
        let logs = try store.logs(traceId: traceId, limit: logLimit).logs
        inbox.post(.app(event(trace, chunks, logs)))
      } catch {
        inbox.post(.app(.notice("Trace not loaded: \(error)", isError: true)))
      }
    }
  }

  private func editExternally(flow: String, text: String) {
    terminal.suspend()
    let result = Result { () throws(ExternalEditor.Failure) -> String in
      try ExternalEditor.edit(text, name: flow, environment: options.environment)
    }
    terminal.resume()
    terminal.invalidate()
    switch result {
    case .success(let edited): dispatch(.event(.inputEdited(flow: flow, text: edited)))
    case .failure(let failure): DebuggerUpdate.notify("Editor: \(failure)", isError: true, &state)
    }
  }

  private func exportTrace(_ traceId: String) {
    guard let trace = state.trace, trace.traceId == traceId else { return }
    let url = options.exportDirectory.appendingPathComponent("flowscope-trace-\(traceId).json")
    do {
      try FileManager.default.createDirectory(at: options.exportDirectory, withIntermediateDirectories: true)
      try Data(trace.json.serialized(.prettyPrinted).utf8).write(to: url, options: .atomic)
      DebuggerUpdate.notify("Exported the trace to \(url.path)", &state)
    } catch {
      DebuggerUpdate.notify("Export failed: \(error.localizedDescription)", isError: true, &state)
    }
  }

  /// Cancels what still runs and stops listening; returns the runs to wait for (their spans end
  /// `CANCELLED` and still reach the store).
  func stop() -> [Task<Void, Never>] {
    var pending = Array(runs.values)
    // An attached runtime's run would go on after the request closes: ask it to stop first.
    if target.attachedRuntime != nil, let run = state.activeRun, run.status == .running, let traceId = run.traceId {
      let target = self.target
      pending.append(Task.detached { _ = await target.cancel(traceId: traceId) })
    }
    for task in runs.values { task.cancel() }
    monitor?.cancel()
    target.bus.unsubscribe(subscription)
    return pending
  }
}
