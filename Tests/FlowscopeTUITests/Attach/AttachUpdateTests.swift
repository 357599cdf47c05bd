import Flows
import Testing

@testable import FlowscopeTUI

/// A span as another SDK exports it (Python's path quoting; `status.code` as the SDK numbers it).
func exportedSpan(
  _ name: String, id: String, parent: String? = nil, trace: String = "t1", path: String, type: String = "action",
  subtype: String? = nil, start: Double = 1_000_100, end: Double = 0, state: String? = nil,
  statusCode: Int = 0, message: String? = nil, output: String? = nil
) -> SpanData {
  var attributes: JSONObject = [
    "genkit:name": .string(name), "genkit:path": .string(path), "genkit:type": .string(type),
  ]
  if let subtype { attributes["genkit:metadata:subtype"] = .string(subtype) }
  if let state { attributes["genkit:state"] = .string(state) }
  if let output { attributes["genkit:output"] = .string(output) }
  return SpanData(
    spanId: id, traceId: trace, parentSpanId: parent, startTime: start, endTime: end, attributes: attributes,
    displayName: name, status: SpanData.SpanStatus(code: statusCode, message: message))
}

@Suite("Attached runtime: runs, spans, flows, connection, app log")
struct AttachUpdateTests {
  func attachedState() -> AppState {
    var state = makeState()
    state.attached = AttachedRuntime(name: "py/0.12.0 pid 42", url: "http://127.0.0.1:40123")
    return state
  }

  @Test func aRemoteRunStreamsChunksAndBuildsItsTreeFromExportedSpans() {
    var state = attachedState()
    state.selectedFlow = "jokeFlow"
    _ = DebuggerUpdate.start(flow: "jokeFlow", input: ["subject": "cat"], inputText: "{}", &state)
    send(&state, [.event(.runStarted(runID: 1, traceId: "t1"))])
    send(&state, [.event(.remoteChunk(runID: 1, value: "Why did", time: 1_000_200))])
    send(&state, [.event(.remoteChunk(runID: 1, value: " the cat", time: 1_000_300))])
    // A chunk of another run (an earlier one that was cancelled) is not shown.
    send(&state, [.event(.remoteChunk(runID: 7, value: "stray", time: 1_000_301))])
    #expect(state.output.lines.joined() == "Why did the cat")
    // Start copies, then end copies, as a Python runtime exports them in realtime.
    let root = exportedSpan("jokeFlow", id: "r", path: "/{jokeFlow,t:action,s:flow}", subtype: "flow")
    let step = exportedSpan(
      "compose", id: "s", parent: "r", path: "/{jokeFlow,t:action,s:flow}/{compose,t:flowStep}", type: "flowStep")
    send(&state, [.event(.traceEvents([.spanReceived(root), .spanReceived(step)]))])
    #expect(state.outline.rows.map(\.name) == ["jokeFlow", "compose"])
    #expect(state.outline.rows.allSatisfy { $0.status == .running })
    #expect(state.runs.first?.traceId == "t1")
    #expect(state.runs.first?.status == .running)
    var endedStep = step
    endedStep.endTime = 1_000_250
    endedStep.attributes["genkit:state"] = "success"
    var endedRoot = root
    endedRoot.endTime = 1_000_400
    endedRoot.attributes["genkit:state"] = "success"
    endedRoot.attributes["genkit:output"] = "\"Why did the cat\""
    send(&state, [.event(.traceEvents([.spanReceived(endedStep), .spanReceived(endedRoot)]))])
    send(&state, [.event(.runFinished(runID: 1, traceId: "t1", result: .success("Why did the cat")))])
    #expect(state.outline.rows.allSatisfy { $0.status == .ok })
    #expect(state.runs.first?.status == .ok)
    let text = screen(state)
    #expect(text.contains("✔ jokeFlow"))
    #expect(text.contains("✔ compose"))
    #expect(text.contains("Why did the cat"))
  }

  @Test func goStatusNumberingIsReadThroughGenkitState() {
    var state = attachedState()
    _ = DebuggerUpdate.start(flow: "failingFlow", input: [:], inputText: "{}", &state)
    send(&state, [.event(.runStarted(runID: 1, traceId: "t1"))])
    // Go exports Error as 1 and Ok as 2: genkit:state decides.
    let ok = exportedSpan(
      "lookup", id: "s", parent: "r", path: "/{failingFlow,t:flow}/{lookup,t:flowStep,s:flowStep}",
      type: "flowStep", end: 1_000_150, state: "success", statusCode: 2)
    let failed = exportedSpan(
      "failingFlow", id: "r", path: "/{failingFlow,t:flow}", subtype: "flow", end: 1_000_200, state: "error",
      statusCode: 1, message: "card declined")
    send(&state, [.event(.traceEvents([.spanReceived(ok), .spanReceived(failed)]))])
    #expect(state.outline.rows.first { $0.name == "lookup" }?.status == .ok)
    #expect(state.outline.rows.first { $0.name == "failingFlow" }?.status == .error)
    #expect(state.runs.first?.status == .error)
    #expect(state.runs.first?.errorMessage == "card declined")
  }

  @Test func aRootSpanFromAnotherClientGoesIntoTheHistoryWithoutTakingTheOutputPane() {
    var state = attachedState()
    let root = exportedSpan("menuFlow", id: "x", trace: "other", path: "/{menuFlow,t:action,s:flow}", subtype: "flow")
    send(&state, [.event(.traceEvents([.spanReceived(root)]))])
    #expect(state.runs.map(\.traceId) == ["other"])
    #expect(state.trace == nil)
  }

  @Test func reloadedFlowsKeepTheInputBeingEditedAndAddNewOnes() {
    var state = attachedState()
    state.selectedFlow = "menuFlow"
    DebuggerUpdate.editInputText(flow: "jokeFlow", text: "{\"subject\": \"owl\"}", &state)
    let reloaded = [
      FlowEntry(name: "jokeFlow", inputSchema: ["type": "object"]),
      FlowEntry(name: "newFlow", inputSchema: ["type": "object", "properties": ["n": ["type": "integer"]]]),
    ]
    send(&state, [.event(.flowsLoaded(reloaded, savedInputs: ["newFlow": "{\"n\": 3}"]))])
    #expect(state.flows.map(\.name) == ["jokeFlow", "newFlow"])
    #expect(state.editors["jokeFlow"]?.text == "{\"subject\": \"owl\"}")
    #expect(state.editors["newFlow"]?.text == "{\"n\": 3}")
    // menuFlow went away: the selection moves to a flow that exists.
    #expect(state.selectedFlow == "jokeFlow")
    #expect(screen(state).contains("newFlow"))
  }

  @Test func theStatusBarShowsTheConnectionAndTheUserIsToldWhenItChanges() {
    var state = attachedState()
    #expect(screen(state).contains("● connected py/0.12.0 pid 42"))
    send(&state, [.event(.connectionChanged(.reconnecting(attempt: 1)))])
    #expect(state.message?.isError == true)
    #expect(state.message?.text.contains("reconnecting") == true)
    state.message = nil
    #expect(screen(state).contains("● reconnecting py/0.12.0"))
    send(&state, [.event(.connectionChanged(.reconnecting(attempt: 2)))])
    #expect(state.message == nil)
    #expect(screen(state).contains("● reconnecting (2)"))
    send(&state, [.event(.connectionChanged(.gone))])
    #expect(state.message?.text.contains("gone") == true)
    send(&state, [.event(.connectionChanged(.connected))])
    #expect(state.message?.text.contains("Reconnected") == true)
    send(&state, [.event(.runtimeChanged(AttachedRuntime(name: "py/0.12.0 pid 43", url: "http://127.0.0.1:5555")))])
    #expect(state.message?.text.contains("http://127.0.0.1:5555") == true)
  }

  @Test func theStatusBarStaysReadableAtSmallSizes() {
    var state = attachedState()
    state.attached?.name = String(repeating: "x", count: 300)
    for size in [TerminalSize(rows: 1, columns: 1), TerminalSize(rows: 10, columns: 20), small] {
      state.size = size
      _ = DebuggerView.frame(state, size: size)
    }
    // The connection takes at most a third of the bar; the hints keep the rest.
    state.size = wide
    let bar = screen(state).split(separator: "\n").last.map(String.init) ?? ""
    #expect(bar.contains("● connected"))
    #expect(bar.contains("j/k move"))
    #expect(DisplayWidth.of(bar.components(separatedBy: "●").last ?? "") <= 120 / 3)
  }

  @Test func theLocalDebuggerShowsNoConnection() {
    #expect(!screen(makeState()).contains("connected"))
  }
}

@Suite("App log of `flowscope start`")
struct AppLogTests {
  @Test func linesAreCountedUntilViewedAndTheViewOpensAtTheEnd() {
    var state = makeState()
    send(&state, [.event(.appLog((1...100).map { "line \($0)" }))])
    #expect(screen(state).contains("A: 100 log lines"))
    send(&state, [key(.character("A"))])
    guard case .viewer(let title, let viewer) = state.overlay else {
      Issue.record("the log view did not open")
      return
    }
    #expect(title == "App log")
    #expect(viewer.scrollOffset == viewer.maxScrollOffset)
    #expect(screen(state).contains("line 100"))
    #expect(!screen(state).contains("A: 100 log lines"))
  }

  @Test func newLinesFollowTheTailWhileTheViewIsOpenAtTheEnd() {
    var state = makeState()
    send(&state, [.event(.appLog((1...100).map { "line \($0)" })), key(.character("A"))])
    send(&state, [.event(.appLog(["fresh line"]))])
    #expect(screen(state).contains("fresh line"))
    // Scrolled up: new lines do not move the view.
    send(&state, [key(.character("g"))])
    send(&state, [.event(.appLog(["another"]))])
    #expect(screen(state).contains("line 1\n") || screen(state).contains("line 1 "))
    #expect(!screen(state).contains("another"))
  }

  @Test func escapeSequencesFromTheAppAreNeutralised() {
    var state = makeState()
    send(&state, [.event(.appLog(["\u{1B}[31mred\u{1B}[0m \u{1B}]0;title\u{07}done"])), key(.character("A"))])
    let text = screen(state)
    #expect(text.contains("red done"))
    #expect(!text.contains("\u{1B}"))
  }

  @Test func theLogKeepsTheNewestLinesWithinItsCapacity() {
    var log = AppLog(capacity: 3)
    log.append(["a", "b"])
    log.append(["c", "d", "e"])
    #expect(log.lines == ["c", "d", "e"])
    #expect(log.droppedCount == 2)
    #expect(log.text.hasPrefix("… 2 earlier lines dropped"))
  }

  @Test func withoutAStartedAppTheKeyExplains() {
    var state = makeState()
    send(&state, [key(.character("A"))])
    #expect(state.overlay == nil)
    #expect(state.message?.text.contains("flowscope start") == true)
  }
}

@Suite("Runtime picker")
struct RuntimePickerTests {
  let choices = [
    PickerChoice(title: "py/0.12.0 pid 1", detail: "http://127.0.0.1:1000"),
    PickerChoice(title: "js/1.20.0 pid 2", detail: "http://127.0.0.1:2000"),
    PickerChoice(title: "go/1.0 pid 3", detail: "http://127.0.0.1:3000"),
  ]

  @Test func movingAndChoosing() {
    var picker = RuntimePickerState(choices: choices)
    picker.handle(KeyEvent(.down))
    picker.handle(KeyEvent(.character("j")))
    picker.handle(KeyEvent(.character("j")))
    #expect(picker.selected == 2)
    picker.handle(KeyEvent(.up))
    #expect(!picker.isFinished)
    picker.handle(KeyEvent(.enter))
    #expect(picker.chosen == 1)
  }

  @Test func aDigitChoosesAndQCancels() {
    var byDigit = RuntimePickerState(choices: choices)
    byDigit.handle(KeyEvent(.character("3")))
    #expect(byDigit.chosen == 2)
    var outOfRange = RuntimePickerState(choices: choices)
    outOfRange.handle(KeyEvent(.character("9")))
    #expect(!outOfRange.isFinished)
    var cancelled = RuntimePickerState(choices: choices)
    cancelled.handle(KeyEvent(.character("q")))
    #expect(cancelled.isCancelled && cancelled.chosen == nil)
  }

  @Test func rendersEveryChoiceWithTheSelectionMarked() {
    var picker = RuntimePickerState(choices: choices)
    picker.handle(KeyEvent(.down))
    let text = picker.render(size: TerminalSize(rows: 12, columns: 60)).text
    #expect(text.contains("attach to which?"))
    #expect(text.contains("1. py/0.12.0 pid 1"))
    #expect(text.contains("▶ 2. js/1.20.0 pid 2"))
    #expect(text.contains("http://127.0.0.1:3000"))
    #expect(text.contains("q cancel"))
    // Any size is safe; a short screen scrolls to keep the selection visible.
    for rows in 0...5 {
      for columns in [0, 1, 10] { _ = picker.render(size: TerminalSize(rows: rows, columns: columns)) }
    }
    picker.handle(KeyEvent(.end))
    #expect(picker.render(size: TerminalSize(rows: 4, columns: 40)).text.contains("3. go/1.0"))
  }
}

@Suite("History loaded while runs end")
struct StaleHistoryTests {
  @Test func aRunSeenEndingStaysEndedWhenAnOlderReadOfTheStoreArrives() {
    var state = makeState()
    let root = exportedSpan(
      "jokeFlow", id: "r", path: "/{jokeFlow,t:flow}", subtype: "flow", end: 1_000_400, state: "success")
    send(&state, [.event(.traceEvents([.spanReceived(root)]))])
    #expect(state.runs.first?.status == .ok)
    // The store was read before the end copy was written there.
    let stale = RunEntry(traceId: "t1", flowName: "jokeFlow", status: .running, startTime: 1_000_100)
    let other = RunEntry(traceId: "t0", flowName: "menuFlow", status: .running, startTime: 900_000)
    send(&state, [.event(.runsLoaded([stale, other]))])
    #expect(state.runs.map(\.traceId) == ["t1", "t0"])
    #expect(state.runs.first?.status == .ok)
    #expect(state.runs.first?.endTime == 1_000_400)
    // A run this session never saw end keeps what the store says.
    #expect(state.runs.last?.status == .running)
  }
}
