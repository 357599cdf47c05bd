import Flows
import Testing

@testable import FlowscopeTUI

@Suite("Debugger update")
struct UpdateTests {
  @Test func filterNarrowsTheFlowListAndEscClearsIt() {
    var state = makeState()
    send(&state, [key(.character("/"))] + type("wea"))
    #expect(state.visibleFlows.map(\.name) == ["weatherAgent"])
    #expect(state.selectedFlow == "weatherAgent")
    #expect(screen(state).contains("Flows /wea▏"))
    send(&state, [key(.enter)])
    #expect(state.filterPrompt == nil)
    #expect(state.flowFilter == "wea")
    send(&state, [key(.escape)])
    #expect(state.flowFilter.isEmpty)
    #expect(state.visibleFlows.count == 4)
  }

  @Test func enterRunsTheSelectedFlowWithItsInput() {
    var state = makeState()
    send(&state, [key(.character("j"))])
    #expect(state.selectedFlow == "jokeFlow")
    send(&state, [key(.character("i"))])
    #expect(state.focus == .input)
    // Replace the skeleton's empty string: move into the quotes and type.
    let editor = state.editors["jokeFlow"]
    #expect(editor?.text == "{\n  \"subject\": \"\"\n}")
    send(&state, [key(.down), key(.end), key(.left)] + type("cats"))
    #expect(state.inputDiagnostic == nil)
    let effects = send(&state, [key(.function(5))])
    #expect(
      effects == [
        .saveInput(flow: "jokeFlow", text: "{\n  \"subject\": \"cats\"\n}"),
        .runFlow(runID: 1, flow: "jokeFlow", input: ["subject": "cats"]),
      ])
    #expect(state.isRunning)
  }

  @Test func invalidInputIsShownInlineAndDoesNotRun() {
    var state = makeState()
    send(&state, [key(.character("j")), key(.character("i")), key(.down), key(.end)] + type(","))
    let diagnostic = state.inputDiagnostic
    #expect(diagnostic != nil)
    #expect(screen(state).contains("✖ line"))
    let effects = send(&state, [key(.function(5))])
    #expect(!effects.contains { if case .runFlow = $0 { return true } else { return false } })
    #expect(state.focus == .input)
    #expect(state.message?.isError == true)
  }

  @Test func schemaViolationIsShownBeforeRunning() {
    var state = makeState()
    send(&state, [key(.character("j")), key(.character("i"))])
    state.editors["jokeFlow"]?.replaceAll("{\"subject\": 42}")
    state.revalidateInput()
    #expect(state.inputDiagnostic?.message.contains("subject") == true)
    #expect(screen(state).contains("subject"))
  }

  @Test func editorUndoAndPaste() {
    var state = makeState()
    send(&state, [key(.character("3"))])
    #expect(state.focus == .input)
    let before = state.editors["failingFlow"]?.text
    send(&state, [.input(.paste("\"x\"\n\"y\""))])
    #expect(state.editors["failingFlow"]?.text != before)
    send(&state, [key(.control("u"))])
    #expect(state.editors["failingFlow"]?.text == before)
    // Printable keys go to the editor, not to global bindings.
    send(&state, type("q?1"))
    #expect(state.isFinished == false)
    #expect(state.overlay == nil)
    #expect(state.focus == .input)
  }

  @Test func tabCyclesPanesAndDigitsJump() {
    var state = makeState()
    let order = (0..<5).map { _ in
      send(&state, [key(.tab)])
      return state.focus
    }
    #expect(order == [.runs, .input, .output, .trace, .flows])
    send(&state, [key(.backTab)])
    #expect(state.focus == .trace)
    send(&state, [key(.character("2"))])
    #expect(state.focus == .runs)
  }

  @Test func quittingWhileRunningAsksFirst() {
    var state = makeState()
    send(&state, [key(.character("j")), key(.enter)])
    #expect(state.isRunning)
    send(&state, [key(.character("q"))])
    #expect(state.overlay == .confirmQuit)
    #expect(screen(state).contains("Quit anyway? (y/n)"))
    send(&state, [key(.character("n"))])
    #expect(state.overlay == nil && !state.isFinished)
    let effects = send(&state, [key(.character("q")), key(.character("y"))])
    #expect(state.isFinished)
    #expect(effects == [.cancelRun(runID: 1), .quit])
  }

  @Test func ctrlCCancelsARunningFlowAndTwiceQuitsWhenIdle() {
    var state = makeState()
    send(&state, [key(.character("j")), key(.enter)])
    #expect(send(&state, [key(.control("c"))]) == [.cancelRun(runID: 1)])
    #expect(state.activeRun?.isCancelling == true)
    send(
      &state,
      [.event(.runFinished(runID: 1, traceId: nil, result: .failure(FlowError(.cancelled, "Action was cancelled"))))])
    #expect(!state.isRunning)
    #expect(send(&state, [key(.control("c"))]).isEmpty)
    #expect(!state.isFinished)
    #expect(send(&state, [key(.control("c"))]) == [.quit])
    #expect(state.isFinished)
  }

  @Test func mouseClickFocusesAndSelectsAndWheelScrolls() {
    var state = makeState()
    let layout = DebuggerUpdate.layout(state)
    let flows = layout.panes[.flows] ?? .zero
    send(&state, [.input(.mouse(MouseEvent(.press(.left), row: flows.row + 3, column: flows.column + 3)))])
    #expect(state.selectedFlow == "menuFlow")
    let trace = layout.panes[.trace] ?? .zero
    send(&state, [.input(.mouse(MouseEvent(.press(.left), row: trace.row + 1, column: trace.column + 5)))])
    #expect(state.focus == .trace)
    send(&state, [.input(.mouse(MouseEvent(.wheelDown, row: flows.row + 1, column: flows.column + 1)))])
    #expect(state.focus == .trace)
    #expect(state.selectedFlow == "weatherAgent")
  }

  @Test func mouseToggleAndRepaintAndSuspendAreEffects() {
    var state = makeState()
    #expect(send(&state, [key(.character("M"))]) == [.setMouseCapture(false)])
    #expect(screen(state).contains("mouse off"))
    #expect(send(&state, [key(.control("l"))]) == [.repaint])
    #expect(send(&state, [key(.control("z"))]) == [.suspend])
  }

  @Test func runsHistoryFiltersByStatusAndFlowAndReruns() {
    var state = makeState()
    let runs = [
      RunEntry(traceId: "a", flowName: "jokeFlow", status: .ok, startTime: 1, endTime: 5),
      RunEntry(traceId: "b", flowName: "failingFlow", status: .error, startTime: 2, endTime: 3, errorMessage: "x"),
      RunEntry(traceId: "c", flowName: "jokeFlow", status: .running, startTime: 3),
    ]
    send(&state, [.event(.runsLoaded(runs)), key(.character("2"))])
    #expect(state.selectedRunId == "a")
    let text = screen(state)
    #expect(text.contains("✔ jokeFlow"))
    #expect(text.contains("✖ failingFlow"))
    send(&state, [key(.character("s")), key(.character("s")), key(.character("s"))])
    #expect(state.runFilter.status == .error)
    #expect(state.visibleRuns.map(\.traceId) == ["b"])
    send(&state, [key(.character("s")), key(.character("/"))] + type("joke") + [key(.enter)])
    #expect(state.visibleRuns.map(\.traceId) == ["a", "c"])
    #expect(send(&state, [key(.enter)]) == [.loadTrace(traceId: "a")])
    #expect(send(&state, [key(.character("r"))]) == [.rerun(traceId: "a")])
    let effects = send(&state, [.event(.rerunRequested(flow: "jokeFlow", input: ["subject": "dogs"]))])
    #expect(effects.contains(.runFlow(runID: 1, flow: "jokeFlow", input: ["subject": "dogs"])))
    #expect(state.editors["jokeFlow"]?.text.contains("dogs") == true)
  }

  @Test func copyAndExportNeedATrace() {
    var state = makeState()
    #expect(send(&state, [key(.character("Y"))]).isEmpty)
    #expect(state.message?.text == "No trace to copy")
    #expect(send(&state, [key(.character("x"))]).isEmpty)
  }
}

@Suite("Full-screen view")
struct ViewerTests {
  @Test func slashSearchesAndNMovesBetweenMatches() {
    var state = makeState()
    for index in 0..<300 { state.output.append(text: index % 100 == 42 ? "needle \(index)\n" : "hay \(index)\n") }
    send(&state, [key(.character("4")), key(.enter)])
    guard case .viewer = state.overlay else {
      Issue.record("Enter on the output opens the viewer")
      return
    }
    send(&state, [key(.character("/"))] + type("Needle"))
    #expect(screen(state).contains("/Needle▏"))
    // Smart case: "Needle" has a capital, so it matches nothing.
    send(&state, [key(.enter)])
    #expect(state.message?.text == "Not found: Needle")
    send(&state, [key(.character("/"))] + type("needle") + [key(.enter)])
    #expect(screen(state).contains("needle 42"))
    send(&state, [key(.character("n"))])
    #expect(screen(state).split(separator: "\n")[1].contains("needle 142"))
    send(&state, [key(.character("N"))])
    #expect(screen(state).split(separator: "\n")[1].contains("needle 42"))
    // Typing in the prompt never triggers the view's keys; Esc leaves the prompt, then the view.
    send(&state, [key(.character("/"))] + type("qy") + [key(.escape)])
    #expect(state.overlay != nil && state.viewerSearchPrompt == nil)
    send(&state, [key(.escape)])
    #expect(state.overlay == nil)
  }
}
