import Flows
import FlowsAI
import Foundation
import Logging

/// The built-in sample flows: they need no network and no API key, and show each thing the runtime
/// traces — streaming, named steps, nested flows, a failure inside a step, and a slow cancellable run.
public enum SampleFlows {
  /// The sample flows' logger: what they log inside a run becomes log records of the span (shown in
  /// the debugger's inspector), and nothing is printed.
  static let logger = Logger(label: "flowscope.samples") { FlowLogHandler(label: $0) }

  /// Pace of streamed words in the demos; `FLOWSCOPE_DEMO_PACE_MS` overrides it (0 = no delay).
  static var paceMilliseconds: Int {
    ProcessInfo.processInfo.environment["FLOWSCOPE_DEMO_PACE_MS"].flatMap(Int.init) ?? 40
  }

  /// Registers every sample flow in `runtime`, with the offline demo model; the AI flows use the
  /// model named `model` (default: the demo model).
  public static func register(in runtime: FlowRuntime, model: String = DemoModel.name) {
    DemoModel.register(in: runtime, paceMilliseconds: paceMilliseconds)
    registerJokeFlow(in: runtime)
    registerMenuFlows(in: runtime)
    registerFailingFlow(in: runtime)
    registerSlowFlow(in: runtime)
    AISampleFlows.register(in: runtime, model: model)
    BenchmarkFlows.register(in: runtime)
    PeerParityFlows.register(in: runtime)
  }

  /// A ready-to-run input per sample flow, for the debugger's editor the first time a flow is shown.
  static let exampleInputs: [String: JSONValue] = [
    "jokeFlow": ["subject": "cats"],
    "menuFlow": ["theme": "pirate", "courses": 2],
    "priceFlow": ["dish": "grog"],
    "failingFlow": ["item": "espresso", "quantity": 2],
    "slowFlow": ["seconds": 30],
    "weatherAgent": ["city": "Paris", "request": "Is it a good evening for a walk, and where should I eat?"],
    "chatFlow": ["message": "Tell me a fun fact about octopuses."],
    "recipeFlow": ["dish": "pancakes"],
    "firehoseFlow": ["chunksPerSecond": 10000, "seconds": 12],
  ]

  static func pause(_ milliseconds: Int) async throws {
    guard milliseconds > 0 else { return }
    try await Task.sleep(for: .milliseconds(milliseconds))
  }
}

// MARK: - jokeFlow

/// Input of `jokeFlow`.
public struct JokeRequest: Codable, Sendable {
  public var subject: String
  /// Number of jokes to tell (1–5).
  public var count: Int?
}

extension SampleFlows {
  static let jokeTemplates = [
    "Why did the {s} sit on the computer? To keep an eye on the mouse.",
    "I told my {s} a joke about infinity. It is still waiting for the punchline.",
    "What do you call a {s} that writes code? A purr-grammer, if it is a cat, and a bug otherwise.",
    "My {s} asked for a raise. I said: you already have stream access.",
    "A {s} walks into a trace. The span says: we have been expecting you.",
  ]

  static func registerJokeFlow(in runtime: FlowRuntime) {
    runtime.defineStreamingFlow(
      "jokeFlow", description: "Tells jokes about a subject, streaming them word by word."
    ) { (request: JokeRequest, ctx: FlowContext<String>) async throws -> String in
      let count = min(max(request.count ?? 1, 1), jokeTemplates.count)
      let seed = request.subject.unicodeScalars.reduce(0) { $0 &+ Int($1.value) }
      let jokes = try await run("pick-jokes", input: request) {
        (0..<count).map {
          jokeTemplates[(seed + $0) % jokeTemplates.count].replacingOccurrences(of: "{s}", with: request.subject)
        }
      }
      var told: [String] = []
      for joke in jokes {
        let words = joke.split(separator: " ")
        for (i, word) in words.enumerated() {
          try Task.checkCancellation()
          ctx.sendChunk((i == 0 && told.isEmpty ? "" : " ") + word)
          try await pause(paceMilliseconds)
        }
        told.append(joke)
      }
      return told.joined(separator: " ")
    }
  }
}

// MARK: - menuFlow and priceFlow

/// Input of `menuFlow`.
public struct MenuRequest: Codable, Sendable {
  public var theme: String
  /// Maximum number of dishes (default 3).
  public var courses: Int?
}

/// One dish on a menu.
public struct MenuItem: Codable, Sendable, Equatable {
  public var name: String
  public var price: Double
}

/// Output of `menuFlow`.
public struct Menu: Codable, Sendable {
  public var theme: String
  public var items: [MenuItem]
  public var total: Double
}

/// Input of `priceFlow`.
public struct PriceRequest: Codable, Sendable {
  public var dish: String
}

extension SampleFlows {
  static let specials = ["Chowder", "Grog", "Hardtack", "Sea Pie", "Plum Duff", "Salmagundi"]

  static func registerMenuFlows(in runtime: FlowRuntime) {
    let priceFlow = runtime.defineFlow(
      "priceFlow", description: "Prices one dish (called by menuFlow as a nested flow)."
    ) { (request: PriceRequest) async throws -> Double in
      let base = try await run("look-up-base-price", input: request.dish) {
        Double(request.dish.count % 7 + 5) + 0.5
      }
      return try await run("apply-house-margin") { (base * 1.2 * 100).rounded() / 100 }
    }

    runtime.defineFlow(
      "menuFlow", description: "Composes a themed menu in several named steps and a nested flow."
    ) { (request: MenuRequest) async throws -> Menu in
      let courses = min(max(request.courses ?? 3, 1), specials.count)
      let available = try await run("fetch-specials") {
        try await pause(paceMilliseconds / 4)
        return Array(specials.prefix(courses + 1))
      }
      let chosen = try await run("choose-dishes", input: available) {
        let dishes = available.prefix(courses).map { "\(request.theme.capitalized) \($0)" }
        logger.info("chose \(dishes.count) of \(available.count) specials", metadata: ["theme": "\(request.theme)"])
        return dishes
      }
      let items = try await run("price-dishes") {
        var items: [MenuItem] = []
        for dish in chosen {
          items.append(MenuItem(name: dish, price: try await priceFlow(PriceRequest(dish: dish))))
        }
        return items
      }
      let total = try await run("total") { items.reduce(0) { $0 + $1.price } }
      return Menu(theme: request.theme, items: items, total: (total * 100).rounded() / 100)
    }
  }
}

// MARK: - failingFlow

/// Input of `failingFlow`.
public struct OrderRequest: Codable, Sendable {
  public var item: String
  public var quantity: Int
}

extension SampleFlows {
  static func registerFailingFlow(in runtime: FlowRuntime) {
    runtime.defineFlow(
      "failingFlow", description: "Fails inside a step (the payment gateway is down), to debug failures."
    ) { (order: OrderRequest) async throws -> String in
      let validated = try await run("validate-order", input: order) {
        guard order.quantity > 0 else { throw FlowError(.invalidArgument, "quantity must be positive") }
        return "\(order.quantity) × \(order.item)"
      }
      try await run("reserve-stock", input: validated) {
        try await pause(paceMilliseconds / 4)
        return "reserved"
      }
      return try await run("charge-card") { () async throws -> String in
        try await pause(paceMilliseconds / 4)
        logger.warning("payment gateway did not answer", metadata: ["gateway": "127.0.0.1:4242", "attempt": "1"])
        throw FlowError(.unavailable, "payment gateway unreachable: connection refused (127.0.0.1:4242)")
      }
    }
  }
}

// MARK: - slowFlow

/// Input of `slowFlow`.
public struct SlowRequest: Codable, Sendable {
  /// How many one-second steps to take (default 30).
  public var seconds: Int?
}

extension SampleFlows {
  static func registerSlowFlow(in runtime: FlowRuntime) {
    runtime.defineStreamingFlow(
      "slowFlow", description: "Counts slowly, one step per second; cancel it to see a CANCELLED trace."
    ) { (request: SlowRequest, ctx: FlowContext<String>) async throws -> Int in
      let seconds = max(request.seconds ?? 30, 0)
      for tick in 1...max(seconds, 1) where seconds > 0 {
        try await run("tick-\(tick)") {
          try await Task.sleep(for: .seconds(1))
          return tick
        }
        ctx.sendChunk("tick \(tick)/\(seconds)\n")
      }
      return seconds
    }
  }
}
