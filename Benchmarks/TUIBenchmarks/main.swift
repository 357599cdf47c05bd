import Flows
import FlowscopeTUI
import Foundation

// Terminal debugger benchmarks (release mode): the pure parts of a frame — update, render, diff —
// on a 5 000-span trace and on a 10 000 chunks/s stream. No terminal is involved; Benchmarks/tui.sh
// measures the real binary (CPU, time to first frame, key latency) in tmux.
//
//   .build/release/TUIBenchmarks            # ~500 frames per figure
//   .build/release/TUIBenchmarks --quick    # fewer

let quick = CommandLine.arguments.contains("--quick")
let size = TerminalSize(rows: 40, columns: 120)
let frameCount = quick ? 100 : 500
let warmUp = quick ? 20 : 50
/// Keeps results alive so the optimiser cannot drop the work.
nonisolated(unsafe) var sink = 0

try await Task.detached { try await runAll() }.value

nonisolated func runAll() async throws {
  print("== machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, loadavg \(loadAverage())")
  bigTrace()
  try await streaming()
  print("(sink \(sink % 10))")
}

// MARK: - Statistics

struct Stats {
  var samples: [Double]  // µs

  init(_ samples: [Double]) { self.samples = samples.sorted() }

  var median: Double { samples.isEmpty ? 0 : samples[samples.count / 2] }
  var p95: Double { samples.isEmpty ? 0 : samples[min(samples.count * 95 / 100, samples.count - 1)] }
  var max: Double { samples.last ?? 0 }
  var mean: Double { samples.isEmpty ? 0 : samples.reduce(0, +) / Double(samples.count) }

  func line(_ label: String, target: String = "") -> String {
    let figures = "median \(ms(median))  p95 \(ms(p95))  max \(ms(max))  (n=\(samples.count))"
    return
      "  \(label.padding(toLength: 50, withPad: " ", startingAt: 0)) \(figures)\(target.isEmpty ? "" : "  " + target)"
  }
}

func ms(_ microseconds: Double) -> String { String(format: "%.3f ms", microseconds / 1000) }

func microseconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

/// Times `body` once, in µs.
@inline(__always) func timed(_ body: () -> Void) -> Double {
  let start = ContinuousClock.now
  body()
  return microseconds(ContinuousClock.now - start)
}

func loadAverage() -> String {
  (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(
    separator: " ") ?? "?"
}

func key(_ character: Character) -> Action { .input(.key(KeyEvent(.character(character)))) }

func send(_ state: inout AppState, _ actions: [Action]) {
  for action in actions { sink &+= DebuggerUpdate.update(&state, action).count }
}

// MARK: - A 5 000-span trace

/// Root flow + 4 999 spans, three levels deep (60 children under the root, 540 below them, the rest
/// below those), every 20th a model span with token usage; inputs and outputs as small JSON.
func makeBigTrace(spans count: Int) -> TraceData {
  let base = 1_782_000_000_000.0
  var spans: [SpanData] = []
  spans.reserveCapacity(count)
  spans.append(
    SpanData(
      spanId: "root", traceId: "bigtrace", parentSpanId: nil, startTime: base, endTime: base + 5_000,
      attributes: [
        "genkit:type": "action", "genkit:metadata:subtype": "flow", "genkit:name": "bigFlow",
        "genkit:isRoot": true, "genkit:input": #"{"theme":"pirate"}"#, "genkit:output": #""done""#,
        "genkit:state": "success",
      ], displayName: "bigFlow"))
  for index in 0..<(count - 1) {
    let parent = index < 60 ? "root" : (index < 600 ? "s\(index % 60)" : "s\(60 + index % 540)")
    let start = base + Double(index % 4_000)
    let isModel = index % 20 == 19
    var attributes: JSONObject = [
      "genkit:type": isModel ? "action" : "flowStep", "genkit:name": .string("step-\(index)"),
      "genkit:input": #"{"item":"Blackbeard's Chowder"}"#, "genkit:state": "success",
    ]
    if isModel {
      attributes["genkit:metadata:subtype"] = "model"
      attributes["genkit:output"] =
        #"{"message":{"role":"model","content":[{"text":"Arr"}]},"usage":{"inputTokens":12,"outputTokens":30}}"#
    } else {
      attributes["genkit:output"] = #"{"price":12.5}"#
    }
    spans.append(
      SpanData(
        spanId: "s\(index)", traceId: "bigtrace", parentSpanId: parent, startTime: start,
        endTime: start + Double(1 + index % 900), attributes: attributes,
        displayName: isModel ? "bench/model" : "step-\(index)"))
  }
  return TraceData(traceId: "bigtrace", spans: spans)
}

func bigTrace() {
  let trace = makeBigTrace(spans: 5_000)
  let flows = [FlowEntry(name: "bigFlow"), FlowEntry(name: "jokeFlow", streams: true), FlowEntry(name: "menuFlow")]
  let fresh = AppState(flows: flows, size: size, now: 1_782_000_010_000)
  print("== 5 000-span trace at \(size.columns)×\(size.rows)")

  // Applying the loaded trace (outline built; the root starts collapsed: 60 children > 50).
  var loadTimes: [Double] = []
  var state = fresh
  for _ in 0..<(quick ? 5 : 20) {
    var copy = fresh
    loadTimes.append(timed { send(&copy, [.event(.traceLoaded(trace, chunks: []))]) })
    state = copy
  }
  print(Stats(loadTimes).line("update(.traceLoaded) (outline build)"))

  // Focus the trace, unfold the root, expand all: every span becomes a row.
  send(&state, [key("5"), key(" ")])
  var expandTimes: [Double] = []
  var expanded = state
  for _ in 0..<(quick ? 5 : 20) {
    var copy = state
    expandTimes.append(timed { send(&copy, [key("L")]) })
    expanded = copy
  }
  state = expanded
  print(Stats(expandTimes).line("`L` expand all (update only)"))
  precondition(state.outline.rows.count == 5_000, "expected 5 000 rows, got \(state.outline.rows.count)")
  // Selection in the middle, scrolled there the way a key press does.
  state.selectedSpanId = state.outline.rows[2_499].spanId
  send(&state, [key("j")])
  let middle = state
  var next = state
  send(&next, [key("j")])

  // Whole frame (all panes, status bar) of the same state.
  for _ in 0..<warmUp { sink &+= DebuggerView.frame(middle, size: size).canvas.rows }
  var frameTimes: [Double] = []
  for _ in 0..<frameCount {
    frameTimes.append(timed { sink &+= DebuggerView.frame(middle, size: size).canvas.rows })
  }
  print(Stats(frameTimes).line("DebuggerView.frame", target: "(target < 5 ms)"))

  // Frame + diff against the previous frame (selection alternating between two rows, as j/k do).
  var previous = DebuggerView.render(next, size: size)
  var diffTimes: [Double] = []
  var changedCells = 0
  for index in 0..<(warmUp + frameCount) {
    let current = index.isMultiple(of: 2) ? middle : next
    let time = timed {
      let canvas = DebuggerView.frame(current, size: size).canvas
      changedCells = canvas.changes(since: previous).count
      previous = canvas
    }
    if index >= warmUp { diffTimes.append(time) }
  }
  print(Stats(diffTimes).line("frame + Canvas.changes(since:)") + "  [\(changedCells) cells changed]")

  // `j` on the big tree: update + frame + diff, moving down 1 row per press.
  var keyTimes: [Double] = []
  var updateTimes: [Double] = []
  var moving = middle
  previous = DebuggerView.render(moving, size: size)
  for index in 0..<(warmUp + frameCount) {
    var updateTime = 0.0
    let time = timed {
      updateTime = timed { send(&moving, [key(index.isMultiple(of: 200) && index > 0 ? "k" : "j")]) }
      let canvas = DebuggerView.frame(moving, size: size).canvas
      sink &+= canvas.changes(since: previous).count
      previous = canvas
    }
    if index >= warmUp {
      keyTimes.append(time)
      updateTimes.append(updateTime)
    }
  }
  print(Stats(updateTimes).line("`j` key: update only"))
  print(Stats(keyTimes).line("`j` key: update + frame + diff"))
}

// MARK: - Streaming

/// The text of chunk `index` (the same words as firehoseFlow: a line break after every 16th).
func chunkText(_ index: Int, lineBreaks: Bool) -> String {
  "w\(index % 1000)" + (lineBreaks && index % 16 == 15 ? "\n" : " ")
}

/// Runs a streaming flow that sends `count` chunks on a real runtime and returns every trace
/// event it published (span start, chunks, span end, run finished), in order.
func recordStream(chunks count: Int, lineBreaks: Bool) async throws -> (runtime: FlowRuntime, events: [TraceEvent]) {
  let runtime = FlowRuntime()
  struct Request: Codable, Sendable { var chunks: Int }
  _ = runtime.defineStreamingFlow("firehoseFlow") { (request: Request, ctx: FlowContext<String>) -> Int in
    for index in 0..<request.chunks { ctx.sendChunk(chunkText(index, lineBreaks: lineBreaks)) }
    return request.chunks
  }
  let subscription = runtime.bus.subscribe(policy: .unbounded, name: "benchmark")
  _ = try await runtime.registry.requireFlow(named: "firehoseFlow").run(["chunks": .integer(Int64(count))])
  let events = subscription.drain()
  runtime.bus.unsubscribe(subscription)
  return (runtime, events)
}

/// Applies the recorded events as the debugger receives them at 60 fps, 10 000 chunks/s: batches
/// of ~170 events, each followed by the host's tick and one frame (with the diff the painter does).
func replay(_ events: [TraceEvent], runtime: FlowRuntime, batch: Int, label: String?) {
  let flows = runtime.registry.actions(ofType: "flow").map { FlowEntry($0.descriptor) }
  var state = AppState(flows: flows, size: size, now: 1_782_000_000_000)
  send(&state, [.input(.key(KeyEvent(.control("r"))))])  // run: the state now waits for the trace
  var previous: Canvas?
  var frameTimes: [Double] = []
  var updateTimes: [Double] = []
  var renderTimes: [Double] = []
  var index = 0
  let total = timed {
    while index < events.count {
      let slice = Array(events[index..<min(index + batch, events.count)])
      index += slice.count
      var updateTime = 0.0
      var renderTime = 0.0
      let frame = timed {
        updateTime = timed {
          send(&state, [.event(.traceEvents(slice)), .tick(now: state.now + 1000.0 / 60)])
        }
        renderTime = timed {
          let canvas = DebuggerView.frame(state, size: size).canvas
          sink &+= canvas.changes(since: previous).count
          previous = canvas
        }
      }
      frameTimes.append(frame)
      updateTimes.append(updateTime)
      renderTimes.append(renderTime)
    }
  }
  guard let label else { return }
  let chunks = state.output.chunkCount
  let perFrame = Stats(frameTimes)
  print("  \(label): \(chunks) chunks in \(frameTimes.count) batches, \(ms(total)) in all")
  print(Stats(updateTimes).line("  update (events + tick)"))
  print(Stats(renderTimes).line("  frame + diff"))
  print(perFrame.line("  per frame, all") + "  [last \(ms(frameTimes.last ?? 0))]")
  let busy = perFrame.mean * 60 / 1e6 * 100
  print(String(format: "    → at 60 frames/s the UI thread's update+render work is %.1f %% of one core", busy))
}

func streaming() async throws {
  let count = 10_000
  let batch = 170
  print("== streaming: \(count) chunk events applied in batches of \(batch) (10 000/s at 60 fps), one frame per batch")
  let withLines = try await recordStream(chunks: count, lineBreaks: true)
  // Warm-up pass, then the measured one.
  replay(withLines.events, runtime: withLines.runtime, batch: batch, label: nil)  // warm-up
  replay(withLines.events, runtime: withLines.runtime, batch: batch, label: "words, line break every 16 chunks")
  let oneLine = try await recordStream(chunks: count, lineBreaks: false)
  replay(oneLine.events, runtime: oneLine.runtime, batch: batch, label: "words, no line breaks (one growing line)")
  // What tui.sh streams: 12 s at 10 000/s. The output only grows; frames must not.
  let long = quick ? 30_000 : 120_000
  let longWithLines = try await recordStream(chunks: long, lineBreaks: true)
  replay(longWithLines.events, runtime: longWithLines.runtime, batch: batch, label: "12 s of stream, line breaks")
  let longOneLine = try await recordStream(chunks: long, lineBreaks: false)
  replay(longOneLine.events, runtime: longOneLine.runtime, batch: batch, label: "12 s of stream, no line breaks")
}
