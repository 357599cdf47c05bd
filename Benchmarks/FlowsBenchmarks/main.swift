import Flows
import FlowsAI
import FlowsClient
import FlowsOpenAI
import Foundation
import TraceStore

// Flowscope benchmarks (release mode): traced flow invocations and trace store ingest.
// Human-readable lines go to standard error; `--json` prints the results as one JSON object on
// standard output (Benchmarks/run.sh uses it for the side-by-side ratio).

let arguments = CommandLine.arguments
let wantsJSON = arguments.contains("--json")
let quick = arguments.contains("--quick")

try await Task.detached { try await runAll() }.value

nonisolated func runAll() async throws {
  var results = JSONObject()
  let iterations = quick ? 20_000 : 200_000
  log("== flow invocations (\(iterations) runs, best of 3, after 2 000 warm-up runs)")

  // Delivered: every span goes through the event bus to a subscriber that takes batches.
  let delivered = DeliveredSetup()
  results["trivial"] = try await measure("trivial flow, spans delivered to a bus subscriber", iterations) {
    _ = try await delivered.trivial("x")
  }
  results["two_steps"] = try await measure("flow with 2 run() steps, spans delivered", iterations) {
    _ = try await delivered.twoSteps("x")
  }
  let action = try delivered.runtime.registry.requireFlow(named: "twoSteps")
  results["two_steps_json"] = try await measure("same flow through the JSON action path", iterations) {
    _ = try await action.run("x")
  }
  results["spans_delivered"] = .integer(Int64(delivered.stop()))

  // Persisted: the SQLite store writer is the subscriber; the time includes writing every span.
  let persisted = try PersistedSetup()
  let persistedRuns = quick ? 10_000 : 50_000
  results["two_steps_persisted"] = try await persisted.measure(runs: persistedRuns)

  // Store ingest: batches of realistic spans written straight to the store.
  results["store_ingest"] = try ingest(spans: quick ? 50_000 : 200_000)

  // The generate loop with an instant model: what the loop itself costs per model turn.
  results["generate"] = try await generateOverhead(iterations: quick ? 5_000 : 50_000)

  // SSE parsing of OpenAI-style stream frames.
  results["sse"] = sseThroughput(frames: quick ? 200_000 : 1_000_000)

  if wantsJSON { print(JSONValue.object(results).serialized()) }
}

func log(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

/// Runs `body` `iterations` times, three times, and reports the best µs per call.
func measure(_ label: String, _ iterations: Int, _ body: () async throws -> Void) async throws -> JSONValue {
  for _ in 0..<2_000 { try await body() }
  var runs: [Double] = []
  for _ in 0..<3 {
    let start = ContinuousClock.now
    for _ in 0..<iterations { try await body() }
    runs.append(microseconds(ContinuousClock.now - start) / Double(iterations))
  }
  let best = runs.min() ?? 0
  let median = runs.sorted()[1]
  log("  \(label.padding(toLength: 56, withPad: " ", startingAt: 0)) \(format(best)) µs  (median \(format(median)))")
  return ["best_us": .number(best), "median_us": .number(median)]
}

func microseconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

func format(_ value: Double) -> String { String(format: "%.2f", value) }

/// A runtime with the two benchmark flows and a subscriber that drains the bus in batches.
final class DeliveredSetup: Sendable {
  let runtime = FlowRuntime()
  let trivial: Flow<String, String, Never>
  let twoSteps: Flow<String, String, Never>
  let subscription: EventSubscription
  let consumer: Task<Int, Never>

  init() {
    trivial = runtime.defineFlow("trivial") { (text: String) in text }
    twoSteps = Self.defineTwoSteps(in: runtime)
    let subscription = runtime.bus.subscribe(name: "benchmark")
    self.subscription = subscription
    consumer = Task.detached {
      var count = 0
      var batch: [TraceEvent] = []
      while await subscription.nextBatch(into: &batch) {
        count += batch.count
        try? await Task.sleep(for: .milliseconds(2))
      }
      return count
    }
  }

  static func defineTwoSteps(in runtime: FlowRuntime) -> Flow<String, String, Never> {
    runtime.defineFlow("twoSteps") { (text: String) in
      let a = try await run("a") { text + "a" }
      return try await run("b") { a + "b" }
    }
  }

  func stop() -> Int {
    let pending = subscription.pendingCount
    subscription.finish()
    return pending
  }
}

/// A runtime whose bus feeds a TraceStoreWriter on a temporary database.
final class PersistedSetup: Sendable {
  let runtime = FlowRuntime()
  let store: TraceStore
  let writer: TraceStoreWriter
  let directory: URL

  init() throws {
    directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowscope-bench-\(UUID().uuidString)")
    store = try TraceStore(path: directory.appendingPathComponent("traces.sqlite").path)
    writer = TraceStoreWriter(store: store, bus: runtime.bus)
  }

  func measure(runs: Int) async throws -> JSONValue {
    let flow = DeliveredSetup.defineTwoSteps(in: runtime)
    let start = ContinuousClock.now
    for _ in 0..<runs { _ = try await flow("x") }
    let flowsDone = ContinuousClock.now
    await writer.flush()
    let end = ContinuousClock.now
    let stored = try store.traceCount()
    let perRun = microseconds(flowsDone - start) / Double(runs)
    let total = microseconds(end - start) / 1e6
    let spansPerSecond = Double(runs * 3) / total
    log("== 2-step flow with the SQLite writer attached (\(runs) runs, \(stored) traces stored)")
    log(
      "  flow side \(format(perRun)) µs per run; all \(runs * 3) spans on disk after \(format(total)) s = \(Int(spansPerSecond)) spans/s end to end"
    )
    await writer.stop()
    try? FileManager.default.removeItem(at: directory)
    return [
      "flow_us": .number(perRun), "end_to_end_seconds": .number(total), "spans_per_second": .number(spansPerSecond),
      "traces_stored": .integer(Int64(stored)),
    ]
  }
}

/// Upserts pre-built spans (shaped like a flow with steps) in batches of 1 000.
func ingest(spans count: Int) throws -> JSONValue {
  let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowscope-ingest-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: directory) }
  let store = try TraceStore(path: directory.appendingPathComponent("traces.sqlite").path)
  var spans: [SpanData] = []
  spans.reserveCapacity(count)
  for i in 0..<count {
    let traceId = TraceID(high: 1, low: UInt64(i / 3 + 1)).hex
    let root = SpanID(UInt64(i / 3 * 3 + 1)).hex
    let isRoot = i % 3 == 0
    let name = isRoot ? "menuFlow" : "step-\(i % 3)"
    var attributes: JSONObject = [
      "genkit:type": .string(isRoot ? "action" : "flowStep"), "genkit:name": .string(name),
      "genkit:path": .string(isRoot ? "/{menuFlow,t:flow}" : "/{menuFlow,t:flow}/{\(name),t:flowStep}"),
      "genkit:input": #"{"theme":"pirate"}"#, "genkit:output": #"{"item":"Blackbeard's Chowder","price":12.5}"#,
      "genkit:state": "success",
    ]
    if isRoot {
      attributes["genkit:metadata:subtype"] = "flow"
      attributes["genkit:isRoot"] = true
    }
    spans.append(
      SpanData(
        spanId: SpanID(UInt64(i + 1)).hex, traceId: traceId, parentSpanId: isRoot ? nil : root,
        startTime: 1_782_000_000_000 + Double(i), endTime: 1_782_000_000_000 + Double(i) + 0.5,
        attributes: attributes, displayName: name))
  }
  let start = ContinuousClock.now
  var index = 0
  while index < spans.count {
    let end = min(index + 1_000, spans.count)
    try store.upsert(Array(spans[index..<end]))
    index = end
  }
  let seconds = microseconds(ContinuousClock.now - start) / 1e6
  let rate = Double(count) / seconds
  log("== store ingest: \(count) spans in batches of 1 000: \(format(seconds)) s = \(Int(rate)) spans/s")
  return ["spans": .integer(Int64(count)), "seconds": .number(seconds), "spans_per_second": .number(rate)]
}

/// µs per generate call with an instant scripted model: one turn (no tools) and two turns (one tool
/// call, then the answer). Spans are recorded and delivered to a draining subscriber.
func generateOverhead(iterations: Int) async throws -> JSONValue {
  let setup = DeliveredSetup()
  let runtime = setup.runtime
  let answer = GenerateResponse(
    message: .model("It is sunny."), finishReason: .stop, usage: GenerationUsage(inputTokens: 10, outputTokens: 3))
  let toolCall = GenerateResponse(
    message: Message(
      role: .model, content: [.toolRequest(ToolRequest(name: "getWeather", ref: "0", input: ["city": "Paris"]))]),
    finishReason: .stop)
  let model = runtime.defineModel("bench/instant") { request, _ in
    let answered = request.messages.last?.role == .tool
    return request.tools == nil || answered ? answer : toolCall
  }
  struct City: Codable, Sendable { var city: String }
  let tool = runtime.defineTool("getWeather", description: "Weather") { (input: City) in "sunny in \(input.city)" }
  log("== generate loop with an instant model (\(iterations) calls)")
  let oneTurn = try await measure("generate, 1 turn (generate span + model span)", iterations) {
    _ = try await generate(model: model, prompt: "Weather in Paris?")
  }
  let twoTurns = try await measure("generate, 2 turns with one tool call (5 spans)", iterations) {
    _ = try await generate(model: model, prompt: "Weather in Paris?", tools: [tool.erased])
  }
  _ = setup.stop()
  let perTurn = (twoTurns["best_us"]?.doubleValue ?? 0) / 2
  log("  → \(format(perTurn)) µs per turn including its tool call")
  return ["one_turn": oneTurn, "two_turns": twoTurns, "per_turn_us": .number(perTurn)]
}

/// Chunks per second through `FlowFrameParser` (the SSE parser of every client here), fed in 16 KiB reads, and with each delta decoded as JSON.
func sseThroughput(frames: Int) -> JSONValue {
  var stream: [UInt8] = []
  let frame =
    Array(
      #"data: {"id":"chatcmpl-7","object":"chat.completion.chunk","created":1782000000,"model":"qwen","choices":[{"index":0,"delta":{"content":" word"},"finish_reason":null}]}"#
        .utf8) + [10, 10]
  stream.reserveCapacity(frame.count * frames)
  for _ in 0..<frames { stream.append(contentsOf: frame) }
  func run(decode: Bool) -> Double {
    var best = Double.infinity
    for _ in 0..<3 {
      var parser = FlowFrameParser()
      var count = 0
      var characters = 0
      let start = ContinuousClock.now
      var offset = 0
      while offset < stream.count {
        let end = min(offset + 16_384, stream.count)
        try? parser.parse(stream[offset..<end]) { event in
          count += 1
          if decode, let value = try? JSONValue(parsing: event.payload) {
            characters += value["choices"]?[0]?["delta"]?["content"]?.stringValue?.count ?? 0
          }
        }
        offset = end
      }
      best = min(best, microseconds(ContinuousClock.now - start) / 1e6)
      precondition(count == frames && (!decode || characters == frames * 5))
    }
    return Double(frames) / best
  }
  let parseOnly = run(decode: false)
  let withJSON = run(decode: true)
  log("== SSE: \(frames) frames of \(frame.count) bytes")
  log("  FlowFrameParser only                       \(Int(parseOnly)) chunks/s")
  log("  FlowFrameParser + JSON parse of each delta \(Int(withJSON)) chunks/s")
  return [
    "frame_bytes": .integer(Int64(frame.count)), "parse_chunks_per_second": .number(parseOnly),
    "parse_and_decode_chunks_per_second": .number(withJSON),
  ]
}
