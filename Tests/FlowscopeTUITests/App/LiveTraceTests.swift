import Flows
import Testing

@testable import FlowscopeTUI

@Suite("Live trace and stream")
struct LiveTraceTests {
  /// Starts `flow` in the state as the debugger would, then feeds the runtime's events one by one.
  func watch(_ flow: String, input: JSONValue, runtime: FlowRuntime) async -> (AppState, [AppState]) {
    var state = makeState()
    state.selectedFlow = flow
    _ = DebuggerUpdate.start(flow: flow, input: input, inputText: input.serialized(), &state)
    let (events, traceId) = await events(of: flow, input: input, in: runtime)
    var snapshots: [AppState] = []
    for event in events {
      send(&state, [.event(.traceEvents([event]))])
      snapshots.append(state)
    }
    let result: Result<JSONValue, FlowError>
    if let root = state.trace?.rootSpan, root.isError {
      result = .failure(FlowError(.failedPrecondition, root.errorMessage ?? "failed"))
    } else {
      result = .success(state.trace?.rootSpan?.output ?? .null)
    }
    send(&state, [.event(.runFinished(runID: 1, traceId: traceId, result: result))])
    return (state, snapshots)
  }

  @Test func treeGrowsLiveAndStreamShowsChunkByChunk() async {
    let runtime = makeRuntime()
    let (state, snapshots) = await watch("jokeFlow", input: ["subject": "cat"], runtime: runtime)
    // The first event adopts the trace: the root is visible while running.
    let first = snapshots[0]
    #expect(first.outline.rows.map(\.name) == ["jokeFlow"])
    #expect(first.outline.rows.first?.status == .running)
    #expect(screen(first).contains("jokeFlow"))
    // Output grows chunk by chunk.
    let outputs = snapshots.map { $0.output.lines.joined() }
    #expect(outputs.contains("Why did"))
    #expect(outputs.contains("Why did the cat"))
    #expect(state.output.chunkCount == 5)
    // The finished tree: root and step, both ok, with durations and bars.
    #expect(state.outline.rows.map(\.name) == ["jokeFlow", "compose"])
    #expect(state.outline.rows.allSatisfy { $0.status == .ok })
    let text = screen(state)
    #expect(text.contains("▾ ✔ jokeFlow"))
    #expect(text.contains("✔ compose"))
    #expect(text.contains("█"))
    #expect(text.contains("── result ──"))
    #expect(text.contains("\"Why did the cat cross?\""))
    #expect(text.contains("Output (4) · jokeFlow · done · 5 chunks"))
  }

  @Test func runningSpansShowASpinnerAndElapsedTime() async {
    let runtime = makeRuntime()
    let (_, snapshots) = await watch("jokeFlow", input: ["subject": "cat"], runtime: runtime)
    var running = snapshots[0]
    running.now = running.outline.startTime + 1500
    // The trace pane's row (the runs pane and status bar also show the run).
    let line =
      screen(running).split(separator: "\n").first { line in
        line.contains("jokeFlow") && line.contains(" flow ") && Spinner.frames.contains { line.contains($0) }
      } ?? ""
    #expect(line.contains("1.50 s") || line.contains("1.5 s"), "\(line)")
  }

  @Test func failureSourceIsOneKeyAway() async {
    let runtime = makeRuntime()
    var (state, _) = await watch("failingFlow", input: ["item": "tea"], runtime: runtime)
    #expect(state.activeRun?.status == .error)
    #expect(state.message?.text.contains("f: failure source") == true)
    #expect(screen(state).contains("✖ failingFlow"))
    send(&state, [key(.character("5")), key(.character("f"))])
    #expect(state.focus == .inspector)
    #expect(state.inspector?.span.displayName == "charge")
    let text = screen(state)
    #expect(text.contains("card declined for tea"))
    #expect(text.contains("where the failure started"))
  }

  @Test func agentToolCallIsReadableInTheInspector() async {
    let runtime = makeRuntime()
    var (state, _) = await watch("weatherAgent", input: ["city": "Paris"], runtime: runtime)
    let names = state.outline.rows.map(\.name)
    #expect(names.contains("getWeather"))
    #expect(state.outline.rows.contains { $0.kind == "tool" })
    #expect(state.outline.rows.contains { $0.kind == "model" && $0.usage != nil })
    send(&state, [key(.character("5"))])
    while state.outline.rows[state.outline.index(of: state.selectedSpanId) ?? 0].name != "getWeather" {
      send(&state, [key(.character("j"))])
    }
    send(&state, [key(.enter)])
    #expect(state.focus == .inspector)
    let tool = screen(state)
    #expect(tool.contains("Span · getWeather"))
    #expect(tool.contains("Input"))
    #expect(tool.contains("Paris"))
    #expect(tool.contains("sunny"))
    // The model span renders its conversation as chat.
    send(&state, [key(.escape)])
    let modelIndex = state.outline.rows.lastIndex { $0.kind == "model" } ?? 0
    state.selectedSpanId = state.outline.rows[modelIndex].spanId
    send(&state, [key(.enter)])
    let chat = screen(state)
    #expect(chat.contains("Chat"))
    #expect(chat.contains("User:"))
    #expect(chat.contains("Tool call: getWeather("))
    #expect(chat.contains("Tool result [getWeather]"))
  }

  @Test func foldingHidesChildrenAndHugeChildListsStartCollapsed() {
    var spans: [SpanData] = []
    let root = SpanData(
      spanId: "root", traceId: "t", parentSpanId: nil, startTime: 0, endTime: 100,
      attributes: ["genkit:type": "action", "genkit:metadata:subtype": "flow"], displayName: "big")
    spans.append(root)
    for index in 0..<5000 {
      spans.append(
        SpanData(
          spanId: "s\(index)", traceId: "t", parentSpanId: index < 60 ? "root" : "s\(index % 60)",
          startTime: Double(index % 100),
          endTime: Double(index % 100) + 1, attributes: [:], displayName: "step \(index)"))
    }
    var state = makeState()
    send(&state, [.event(.traceLoaded(TraceData(traceId: "t", spans: spans), chunks: []))])
    // 60 children > threshold: the root starts collapsed.
    #expect(state.outline.rows.count == 1)
    #expect(screen(state).contains("big (+60)"))
    send(&state, [key(.character("5")), key(.character(" "))])
    #expect(state.outline.rows.count == 61)
    send(&state, [key(.character("L"))])
    #expect(state.outline.rows.count == 5001)
    send(&state, [key(.character("G"))])
    #expect(state.selectedSpanId == state.outline.rows.last?.spanId)
    #expect(screen(state).contains(state.outline.rows.last?.name ?? "?"))
    send(&state, [key(.character("H"))])
    #expect(state.outline.rows.count == 61)
  }

  @Test func storedRunReplaysItsStream() {
    var state = makeState()
    let root = SpanData(
      spanId: "r", traceId: "t1", parentSpanId: nil, startTime: 0, endTime: 50,
      attributes: ["genkit:type": "action", "genkit:metadata:subtype": "flow", "genkit:output": "\"done\""],
      displayName: "jokeFlow")
    let chunks = [
      RecordedChunk(time: 1, value: "Hello "), RecordedChunk(time: 2, value: ["content": [["text": "world"]]]),
    ]
    send(&state, [.event(.traceLoaded(TraceData(traceId: "t1", spans: [root]), chunks: chunks))])
    let text = screen(state)
    #expect(text.contains("Hello world"))
    #expect(text.contains("Output (4) · jokeFlow · done · 2 chunks recorded · 50 ms"))
    #expect(text.contains("── result ──"))
  }

  @Test func outputFollowsTheTailUnlessScrolledUp() {
    var state = makeState()
    for index in 0..<200 { state.output.append(text: "line \(index)\n") }
    #expect(screen(state).contains("line 199"))
    send(&state, [key(.character("4")), key(.character("k")), key(.character("k")), key(.character("k"))])
    #expect(state.outputScroll == 3)
    #expect(!screen(state).contains("line 199"))
    #expect(screen(state).contains("↓ 3 more"))
    state.output.append(text: "line 200\n")
    #expect(!screen(state).contains("line 200"))
    send(&state, [key(.character("G"))])
    #expect(state.outputScroll == 0)
    #expect(screen(state).contains("line 200"))
    send(&state, [key(.enter)])
    guard case .viewer = state.overlay else {
      Issue.record("Enter on output opens the full-screen view")
      return
    }
    #expect(screen(state).contains("line 0"))
  }
}

@Suite("Stored runs")
struct StoredRunTests {
  @Test func aStoredFailureShowsItsStatus() {
    var state = makeState()
    let root = SpanData(
      spanId: "r", traceId: "t2", parentSpanId: nil, startTime: 0, endTime: 13,
      attributes: [
        "genkit:type": "action", "genkit:metadata:subtype": "flow", "genkit:state": "error",
        "flowscope:status": "UNAVAILABLE",
      ], displayName: "failingFlow", status: SpanData.SpanStatus(code: 2, message: "payment gateway unreachable"))
    send(&state, [.event(.traceLoaded(TraceData(traceId: "t2", spans: [root]), chunks: []))])
    let text = screen(state)
    #expect(text.contains("Output (4) · failingFlow · failed · 13 ms"))
    #expect(text.contains("UNAVAILABLE: payment gateway unreachable"))
  }
}

@Suite("Output log")
struct OutputLogTests {
  @Test func aStreamWithoutNewlinesIsSoftBrokenButCopiesAsStreamed() {
    var log = OutputLog()
    var streamed = ""
    for index in 0..<5000 {
      let word = "word\(index) "
      log.append(chunk: .string(word), time: Double(index))
      streamed += word
    }
    #expect(log.lines.allSatisfy { $0.utf8.count <= OutputLog.softLimit })
    #expect(log.lines.count > 5)
    #expect(log.text == streamed)
    // Soft breaks fall after a space: words stay whole.
    #expect(log.lines.dropLast().allSatisfy { $0.hasSuffix(" ") })
    let rows = OutputPaneView.visibleRows(log.lines, width: 60, height: 5, fromBottom: 0)
    #expect(rows.count == 5)
    #expect(rows.last?.contains("word4999") == true)
  }

  @Test func newlinesAndChunkTextShapes() {
    var log = OutputLog()
    log.append(chunk: "a\nb", time: 1)
    log.append(chunk: ["content": [["text": "c"]]], time: 2)
    log.append(chunk: ["index": 1], time: 3)
    #expect(log.lines == ["a", "bc{\"index\":1}", ""])
    #expect(log.text == "a\nbc{\"index\":1}\n")
    #expect(log.chunkCount == 3)
  }
}
