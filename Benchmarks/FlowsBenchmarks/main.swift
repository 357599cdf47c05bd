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
  while await sub.nextBatch(into: &batch) {
    n += batch.count
    try? await Task.sleep(for: .milliseconds(2))
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
try await bench("trivial", 100_000) { _ = try await trivial("x") }
try await bench("steps", 100_000) { _ = try await steps("x") }
let action = runtime.registry.flow(named: "steps")!
try await bench("json steps", 100_000) { _ = try await action.run("x") }
}
try await Task.detached { try await main() }.value
