import Flows
import Foundation

/// Input of `firehoseFlow`.
public struct FirehoseRequest: Codable, Sendable {
  /// Chunks to stream per second.
  public var chunksPerSecond: Int
  /// How long to stream.
  public var seconds: Int
}

/// Flows for benchmarking the debugger (Benchmarks/tui.sh). Registered only when the environment
/// has `FLOWSCOPE_BENCHMARK_FLOWS=1`, so users never see them.
enum BenchmarkFlows {
  static let environmentVariable = "FLOWSCOPE_BENCHMARK_FLOWS"

  /// Pacing tick: each tick sends the chunks that are due, so the rate follows the clock whatever
  /// the sleep overshoot is.
  static let tick = Duration.milliseconds(2)

  static func register(in runtime: FlowRuntime, environment: [String: String] = ProcessInfo.processInfo.environment) {
    guard environment[environmentVariable] == "1" else { return }
    registerFirehoseFlow(in: runtime)
  }

  /// The text of chunk `index`: a short word, with a line break after every 16th (like model text).
  static func chunk(_ index: Int) -> String {
    "w\(index % 1000)" + (index % 16 == 15 ? "\n" : " ")
  }

  static func registerFirehoseFlow(in runtime: FlowRuntime) {
    runtime.defineStreamingFlow(
      "firehoseFlow", description: "Benchmark: streams short text chunks at a fixed rate; returns the count."
    ) { (request: FirehoseRequest, ctx: FlowContext<String>) async throws -> Int in
      let rate = max(request.chunksPerSecond, 1)
      let total = rate * max(request.seconds, 0)
      let clock = ContinuousClock()
      let start = clock.now
      var sent = 0
      var nextTick = start
      while sent < total {
        try Task.checkCancellation()
        let elapsed = (clock.now - start).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        let due = min(Int(seconds * Double(rate)) + 1, total)
        while sent < due {
          ctx.sendChunk(chunk(sent))
          sent += 1
        }
        guard sent < total else { break }
        nextTick = max(nextTick + tick, clock.now)
        try await clock.sleep(until: nextTick, tolerance: .microseconds(200))
      }
      return sent
    }
  }
}
