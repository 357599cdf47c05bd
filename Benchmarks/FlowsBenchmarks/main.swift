import Flows
import Foundation

let runtime = FlowRuntime()
let sub = runtime.bus.subscribe()
if CommandLine.arguments.contains("--nosub") { runtime.bus.unsubscribe(sub) }
let trivial = runtime.defineFlow("trivial") { (s: String) in s }
let steps = runtime.defineFlow("steps") { (s: String) in
  let a = try await run("a") { s + "a" }
  return try await run("b") { a + "b" }
}
let consumer = Task.detached {
  var n = 0
  var batch: [TraceEvent] = []
  var keep: [[TraceEvent]] = []
  let hoard = CommandLine.arguments.contains("--hoard")
  while await sub.nextBatch(into: &batch) {
    n += batch.count
    if hoard { keep.append(batch); batch = [] }
    try? await Task.sleep(for: .milliseconds(Int(ProcessInfo.processInfo.environment["SLEEP_MS"] ?? "2") ?? 2))
  }
  return n
}
nonisolated func bench(_ label: String, _ n: Int, _ body: () async throws -> Void) async throws {
  for _ in 0..<1000 { try await body() }
  var best = Double.infinity
  for _ in 0..<3 {
    let t0 = ContinuousClock.now
    for _ in 0..<n { try await body() }
    let d = ContinuousClock.now - t0
    best = min(best, Double(d.components.attoseconds) / 1e12 / Double(n) + Double(d.components.seconds) * 1e6 / Double(n))
  }
  print(label, String(format: "%.2f us", best))
}
nonisolated func main() async throws {
if let i = CommandLine.arguments.firstIndex(of: "--profile-steps"), let n = Int(CommandLine.arguments[i + 1]) {
  var events: [TraceEvent] = []
  for _ in 0..<n { _ = try await steps("x"); if sub.pendingCount > 1000 { events = sub.drain(); events.removeAll() } }
  return
}
if CommandLine.arguments.contains("--pub") {
  let bus2 = EventBus()
  let s2 = bus2.subscribe()
  let t2 = Task.detached { var b: [TraceEvent] = []; while await s2.nextBatch(into: &b) { try? await Task.sleep(for: .milliseconds(2)) } }
  let r = FlowResult<String>.self; _ = r
  try await bench("publish runFinished", 1_000_000) { bus2.publish(.chunk(StreamChunk(traceId: TraceID(high: 1, low: 2), spanId: SpanID(3), index: 0, time: 0, value: .json(.null)))) }
  _ = t2
}
try await bench("trivial", 100_000) { _ = try await trivial("x") }
try await bench("steps", 100_000) { _ = try await steps("x") }
let action = runtime.registry.flow(named: "steps")!
try await bench("json steps", 100_000) { _ = try await action.run("x") }
}
try await Task.detached { try await main() }.value
