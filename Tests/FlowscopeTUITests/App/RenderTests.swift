import Flows
import Testing

@testable import FlowscopeTUI

@Suite("Debugger rendering")
struct RenderTests {
  @Test func wideLayoutShowsEveryPaneWithMarkersAndHints() {
    let text = screen(makeState())
    #expect(text.contains("Flows (1)"))
    #expect(text.contains("Runs (2)"))
    #expect(text.contains("Input (3) · failingFlow"))
    #expect(text.contains("Output (4)"))
    #expect(text.contains("Trace (5)"))
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 40)
    #expect(lines.contains { $0.contains("jokeFlow") && $0.contains("⇣") })
    #expect(lines.contains { $0.contains("weatherAgent") && $0.contains("🔧") })
    // The status bar comes from the binding table.
    #expect(lines[39].contains("⏎ run the flow with its input"))
    #expect(lines[39].contains("? all keys"))
  }

  @Test func smallTerminalStacksPanesUnderTabs() {
    var state = makeState(size: small)
    let text = screen(state)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 10)
    #expect(lines[0].contains("1Flows"))
    #expect(lines[1].contains("Flows (1)"))
    #expect(!text.contains("Trace (5)"))
    send(&state, [key(.tab), key(.tab), key(.tab), key(.tab)])
    #expect(state.focus == .trace)
    #expect(screen(state).contains("Trace (5)"))
  }

  @Test func everySizeRendersWithoutCrashingAndFitsTheScreen() {
    var state = makeState()
    send(&state, [key(.character("?"))])
    let sizes = [
      (1, 1), (1, 40), (2, 2), (5, 23), (6, 24), (10, 40), (19, 79), (20, 80), (24, 80), (40, 120), (60, 250),
    ]
    for (rows, columns) in sizes {
      for overlay in [nil, Overlay.help(scroll: 3), Overlay.confirmQuit] {
        state.overlay = overlay
        let canvas = DebuggerView.render(state, size: TerminalSize(rows: rows, columns: columns))
        #expect(canvas.rows == rows && canvas.columns == columns)
        for row in 0..<rows { #expect(DisplayWidth.of(canvas.rowText(row)) <= columns) }
      }
    }
  }

  @Test func resizeRelaysOutImmediately() {
    var state = makeState()
    send(&state, [.input(.resize(small))])
    #expect(screen(state).split(separator: "\n").count == 10)
    send(&state, [.input(.resize(wide))])
    #expect(screen(state).contains("Trace (5)"))
  }

  @Test func helpOverlayListsTheBindingTable() {
    var state = makeState()
    send(&state, [key(.character("?"))])
    let text = screen(state)
    #expect(text.contains("Keys"))
    #expect(text.contains("Everywhere"))
    #expect(text.contains("next pane"))
    #expect(text.contains("jump to the failure source"))
    send(&state, [key(.character("x"))])
    #expect(state.overlay == nil)
    // A small terminal scrolls the same list.
    state.size = small
    send(&state, [key(.character("?"))])
    #expect(!screen(state).contains("Span inspector"))
    for _ in 0..<30 { send(&state, [key(.pageDown)]) }
    #expect(screen(state).contains("Mouse: click"))
    send(&state, [key(.escape)])
    #expect(state.overlay == nil)
  }

  @Test func wideAndEmojiFlowNamesKeepTheBordersAligned() {
    let flows = [FlowEntry(name: "漢字フロー", streams: true, tools: ["t"]), FlowEntry(name: "emoji🚀flow")]
    let state = makeState(flows: flows)
    let canvas = DebuggerView.render(state, size: wide)
    for row in 0..<canvas.rows { #expect(DisplayWidth.of(canvas.rowText(row)) == 120) }
    #expect(canvas.text.contains("漢字フロー"))
  }

  @Test func escapeSequencesInOutputNeverReachTheCanvas() {
    var state = makeState()
    state.output.append(text: "safe \u{1B}[31mred\u{1B}[0m \u{1B}]52;c;ZXZpbA==\u{07}done \u{9B}2J")
    let text = screen(state)
    #expect(text.contains("safe red done"))
    #expect(!text.contains("\u{1B}"))
    #expect(!text.contains("\u{9B}"))
  }
}

@Suite("Debugger panes at 40×10")
struct SmallPaneTests {
  @Test(arguments: [Pane.flows, .runs, .input, .output, .trace])
  func eachPaneFillsTheScreenUnderTheTabs(pane: Pane) {
    var state = makeState(size: small)
    send(
      &state,
      [.event(.runsLoaded([RunEntry(traceId: "a", flowName: "jokeFlow", status: .ok, startTime: 1, endTime: 9)]))])
    state.output.append(text: "streamed text that is longer than forty columns, so it wraps")
    state.focus = pane
    let canvas = DebuggerView.render(state, size: small)
    #expect(canvas.rowText(0).contains("\(pane.hotkey ?? " ")\(pane.title)"))
    #expect(canvas.rowText(1).contains(pane.title))
    #expect(canvas.rowText(8).hasPrefix("└"))
    for row in 0..<10 { #expect(DisplayWidth.of(canvas.rowText(row)) <= 40) }
    let body = canvas.text
    switch pane {
    case .flows: #expect(body.contains("jokeFlow"))
    case .runs: #expect(body.contains("✔ jokeFlow"))
    case .input: #expect(body.contains("\"item\""))
    case .output: #expect(body.contains("wraps"))
    case .trace: #expect(body.contains("No trace"))
    case .inspector: break
    }
  }

  @Test func inspectorAndViewerWorkStacked() async {
    let runtime = makeRuntime()
    var state = makeState(size: small)
    state.selectedFlow = "jokeFlow"
    _ = DebuggerUpdate.start(flow: "jokeFlow", input: ["subject": "owl"], inputText: "", &state)
    let (events, _) = await events(of: "jokeFlow", input: ["subject": "owl"], in: runtime)
    send(&state, [.event(.traceEvents(events)), key(.character("5")), key(.enter)])
    #expect(state.focus == .inspector)
    #expect(screen(state).contains("Span · jokeFlow"))
    // Move to the Output section's string value and open it full-screen.
    for _ in 0..<40 where state.inspector?.selectedValueText()?.text.contains("owl cross") != true {
      send(&state, [key(.character("j"))])
    }
    send(&state, [key(.enter)])
    guard case .viewer = state.overlay else {
      Issue.record("Enter on a value opens the viewer")
      return
    }
    #expect(screen(state).contains("owl"))
    send(&state, [key(.escape)])
    #expect(state.overlay == nil)
  }
}
