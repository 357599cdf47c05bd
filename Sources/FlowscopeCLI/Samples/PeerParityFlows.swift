import Flows
import Foundation

/// Input of the `greet` parity flow: who to greet, and how many times (1–5, default 1).
public struct Salutation: Codable, Sendable, JSONSchemaProviding {
  public var name: String
  public var times: Int?

  /// Pydantic's shape for the peer's model: `times` is an integer in 1...5 with a default, and extra
  /// properties are allowed (Pydantic ignores them).
  public static var jsonSchema: JSONValue {
    [
      "type": "object",
      "properties": [
        "name": ["type": "string"],
        "times": ["type": "integer", "minimum": 1, "maximum": 5, "default": 1],
      ],
      "required": ["name"],
    ]
  }
}

/// Output of the `greet` parity flow.
public struct Greeting: Codable, Sendable, Equatable {
  public var greeting: String
  public var length: Int
}

/// A chunk of the `countdown` parity flow.
public struct CountdownTick: Codable, Sendable, Equatable {
  public var tick: Int
}

/// Output of the `steps` parity flow (keys in the peer's order).
public struct StepsResult: Codable, Sendable, Equatable {
  public var upper: String
  public var reversed: String
}

/// The error `boom` throws: deliberately not a `FlowError`, so it reaches the server as an unknown
/// failure (the peer raises a plain `ValueError`).
struct PeerParityFailure: Error, CustomStringConvertible {
  var description: String
}

/// Twins of the flows of the Python compatibility peer (Tests/Peer/peer_app.py): the same names,
/// inputs, outputs, chunks and errors, for PeerCompatibilityTests and Benchmarks/http.sh.
/// Registered only when the environment has `FLOWSCOPE_BENCHMARK_FLOWS=1`.
enum PeerParityFlows {
  static func register(in runtime: FlowRuntime, environment: [String: String] = ProcessInfo.processInfo.environment) {
    guard environment[BenchmarkFlows.environmentVariable] == "1" else { return }

    runtime.defineFlow("trivial", description: "Peer parity: echoes its input.") { (text: String) in text }

    runtime.defineStreamingFlow(
      "manychunks", description: "Peer parity: streams the integers 0..<n as chunks and returns n."
    ) { (count: Int, ctx: FlowContext<Int>) async throws -> Int in
      for index in 0..<max(count, 0) { ctx.sendChunk(index) }
      return count
    }

    runtime.defineFlow(
      "greet", description: "Peer parity: typed input and output, with a range constraint on times."
    ) { (who: Salutation) async throws -> Greeting in
      let text = Array(repeating: "Hello, \(who.name)!", count: who.times ?? 1).joined(separator: " ")
      return Greeting(greeting: text, length: text.unicodeScalars.count)  // Python len(): code points
    }

    runtime.defineStreamingFlow(
      "countdown", description: "Peer parity: streams {tick: n} … {tick: 1}, then returns \"liftoff\"."
    ) { (start: Int, ctx: FlowContext<CountdownTick>) async throws -> String in
      for tick in stride(from: start, to: 0, by: -1) { ctx.sendChunk(CountdownTick(tick: tick)) }
      return "liftoff"
    }

    runtime.defineFlow(
      "steps", description: "Peer parity: two named steps, uppercase then reverse."
    ) { (text: String) async throws -> StepsResult in
      let upper = try await run("uppercase") { text.uppercased() }
      let reversed = try await run("reverse") { String(upper.reversed()) }
      return StepsResult(upper: upper, reversed: reversed)
    }

    runtime.defineFlow("boom", description: "Peer parity: fails with a plain (non-Flow) error.") {
      (text: String) async throws -> String in
      throw PeerParityFailure(description: "kaboom: \(text)")
    }

    runtime.defineFlow(
      "public_err", description: "Peer parity: fails with a NOT_FOUND FlowError."
    ) { (text: String) async throws -> String in
      throw FlowError(.notFound, "no such thing: \(text)")
    }
  }
}
