import Flows
import FlowsTestSupport

// The flows the server tests call, modelled on the Python peer's app (greet, countdown, boom, …).

struct GreetIn: Codable, Sendable {
  var name: String
  var times: Int?
}

struct GreetOut: Codable, Sendable {
  var greeting: String
  var length: Int
}

struct Tick: Codable, Sendable {
  var tick: Int
}

struct Kaboom: Error, CustomStringConvertible {
  var description: String { "kaboom: x" }
}

/// A runtime with the test flows. `gate` holds `gated` after its first chunk until fired.
func makeTestRuntime(gate: Signal = Signal()) -> FlowRuntime {
  let runtime = FlowRuntime()
  runtime.defineFlow("greet") { (input: GreetIn) in
    let greeting = Array(repeating: "Hello, \(input.name)!", count: input.times ?? 1).joined(separator: " ")
    return GreetOut(greeting: greeting, length: greeting.count)
  }
  runtime.defineFlow("echo") { (text: String) in text }
  runtime.defineFlow("maybe") { (text: String?) in text ?? "nothing" }
  runtime.defineStreamingFlow("countdown") { (from: Int, ctx: FlowContext<Tick>) in
    for tick in stride(from: from, to: 0, by: -1) { ctx.sendChunk(Tick(tick: tick)) }
    return "liftoff"
  }
  runtime.defineFlow("boom") { (_: String) -> String in throw Kaboom() }
  runtime.defineFlow("missing") { (_: String) -> String in throw FlowError(.notFound, "no such record") }
  runtime.defineFlow("busy") { (_: String) -> String in throw FlowError(.unavailable, "try again later") }
  runtime.defineFlow("giveUp") { (_: String) -> String in throw CancellationError() }
  runtime.defineStreamingFlow("streamBoom") { (_: String, ctx: FlowContext<Int>) -> String in
    ctx.sendChunk(1)
    throw Kaboom()
  }
  runtime.defineFlow("whoami") { (_: String?) -> JSONValue in
    let context = ActionContext.current
    return ["auth": context.auth ?? .null, "tenant": context["tenant"] ?? .null]
  }
  runtime.defineStreamingFlow("gated") { (_: String?, ctx: FlowContext<String>) -> String in
    ctx.sendChunk("first")
    await gate.wait()
    ctx.sendChunk("second")
    return "done"
  }
  runtime.defineFlow("pause") { (milliseconds: Int) -> Int in
    try await Task.sleep(for: .milliseconds(milliseconds))
    return milliseconds
  }
  runtime.defineStreamingFlow("sleepy") { (_: String?, ctx: FlowContext<String>) -> String in
    ctx.sendChunk("first")
    try await Task.sleep(for: .seconds(30))
    return "woke up"
  }
  return runtime
}
