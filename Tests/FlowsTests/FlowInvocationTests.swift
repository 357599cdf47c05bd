import Flows
import FlowsTestSupport
import Foundation
import Testing

/// A runtime with a `joke` flow that counts how often its body ran.
private struct JokeFixture {
  let runtime = FlowRuntime()
  let bodyRuns = Locked(0)
  let flow: Flow<JokeInput, Joke, Never>

  init() {
    let runs = bodyRuns
    flow = runtime.defineFlow("joke", description: "Tells a joke") { (input: JokeInput) in
      runs.increment()
      let text = "Why did the \(input.subject) cross the road?"
      return Joke(text: text, length: text.count)
    }
  }
}

private struct OrderSummary: Codable, Sendable, Equatable {
  var customer: String
  var units: Int
}

private func orderFlow(_ runtime: FlowRuntime, runs: Locked<Int>) -> Flow<OrderInput, OrderSummary, Never> {
  runtime.defineFlow("order") { (input: OrderInput) in
    runs.increment()
    return OrderSummary(customer: input.customer, units: input.items.reduce(0) { $0 + $1.qty })
  }
}

private let validOrder: JSONValue = [
  "customer": "ann", "size": "small", "items": [["sku": "a", "qty": 1], ["sku": "b", "qty": 2]],
  "address": ["street": "Main"],
]

@Suite struct FlowInvocationTests {
  @Test func typedCallReturnsTheOutput() async throws {
    let fixture = JokeFixture()
    let joke = try await fixture.flow(JokeInput(subject: "cat"))
    #expect(joke == Joke(text: "Why did the cat cross the road?", length: 31))
    #expect(fixture.bodyRuns.value == 1)
    #expect(fixture.flow.name == "joke")
    #expect(fixture.flow.key == "/flow/joke")
  }

  @Test func runReturnsTraceAndRootSpanIds() async throws {
    let fixture = JokeFixture()
    let subscription = fixture.runtime.bus.subscribe()
    let result = try await fixture.flow.run(JokeInput(subject: "dog"))
    #expect(result.output.text == "Why did the dog cross the road?")
    #expect(isLowerHex(result.traceId, count: 32))
    #expect(isLowerHex(result.spanId, count: 16))
    #expect(result.traceId == result.traceID.hex)
    #expect(result.spanId == result.spanID.hex)

    let spans = endedSpans(subscription.drain())
    #expect(spans.count == 1)
    let root = try #require(spans.first)
    #expect(root.traceId == result.traceId)
    #expect(root.spanId == result.spanId)
    #expect(root.parentSpanId == nil)
    #expect(root.input == ["subject": "dog"])
    #expect(root.output == ["text": "Why did the dog cross the road?", "length": 31])
  }

  @Test func eachRunIsANewTrace() async throws {
    let fixture = JokeFixture()
    let first = try await fixture.flow.run(JokeInput(subject: "a"))
    let second = try await fixture.flow.run(JokeInput(subject: "a"))
    #expect(first.traceId != second.traceId)
    #expect(first.spanId != second.spanId)
  }

  @Test func jsonInvocationThroughTheRegistry() async throws {
    let fixture = JokeFixture()
    let subscription = fixture.runtime.bus.subscribe()
    let action = try #require(fixture.runtime.registry.flow(named: "joke"))
    let result = try await action.run(["subject": "fish"])
    #expect(result.result == ["text": "Why did the fish cross the road?", "length": 32])
    #expect(result.result.serialized() == #"{"text":"Why did the fish cross the road?","length":32}"#)
    let root = try #require(endedSpans(subscription.drain()).first)
    #expect(result.traceId == root.traceId)
    #expect(result.spanId == root.spanId)
    #expect(fixture.bodyRuns.value == 1)
  }

  @Test func jsonTextInvocation() async throws {
    let fixture = JokeFixture()
    let action = try fixture.runtime.registry.requireFlow(named: "joke")
    let result = try await action.run(jsonText: #"  {"subject": "owl"}  "#)
    #expect(result.result["text"] == "Why did the owl cross the road?")
  }

  @Test func lookupByKeyAndTypedFlowAgree() async throws {
    let fixture = JokeFixture()
    let byKey = try #require(fixture.runtime.registry.action(forKey: "/flow/joke"))
    #expect(byKey.key == "/flow/joke")
    #expect(byKey.name == "joke")
    #expect(byKey.descriptor == fixture.flow.descriptor)
    #expect(fixture.runtime.registry.action(forKey: "/flow/nope") == nil)
    #expect(fixture.runtime.registry.flow(named: "nope") == nil)
  }

  @Test func onTraceStartedFiresBeforeTheBodyWithTheRunIds() async throws {
    let runtime = FlowRuntime()
    let events = Locked<[String]>([])
    runtime.defineFlow("ids") { (input: String) in
      events.append("body")
      return input
    }
    let action = try runtime.registry.requireFlow(named: "ids")
    let started = Locked<[String]>([])
    let result = try await action.run(
      "x",
      options: ActionRunOptions(onTraceStarted: { traceId, spanId in
        events.append("started")
        started.mutate { $0 = [traceId, spanId] }
      }))
    #expect(events.value == ["started", "body"])
    #expect(started.value == [result.traceId, result.spanId])
  }

  @Test func labelsAreRecordedOnTheRootSpan() async throws {
    let fixture = JokeFixture()
    let subscription = fixture.runtime.bus.subscribe()
    _ = try await fixture.flow.run(JokeInput(subject: "x"), labels: ["genkitx:source": "test"])
    let action = try fixture.runtime.registry.requireFlow(named: "joke")
    _ = try await action.run(["subject": "y"], options: ActionRunOptions(labels: ["genkitx:via": "json"]))
    let spans = endedSpans(subscription.drain())
    #expect(spans.count == 2)
    #expect(spans[0].attr("genkitx:source") == "test")
    #expect(spans[1].attr("genkitx:via") == "json")
    #expect(spans[1].attr("genkitx:source") == nil)
  }

  // MARK: Descriptors and the registry

  @Test func descriptorDescribesTheFlow() throws {
    let fixture = JokeFixture()
    let descriptor = fixture.flow.descriptor
    #expect(descriptor.key == "/flow/joke")
    #expect(descriptor.name == "joke")
    #expect(descriptor.actionType == "flow")
    #expect(descriptor.description == "Tells a joke")
    #expect(descriptor.inputSchema == (try JSONSchemaDerivation.schema(for: JokeInput.self)))
    #expect(descriptor.outputSchema == (try JSONSchemaDerivation.schema(for: Joke.self)))
    #expect(descriptor.metadata["streaming"] == false)
    #expect(
      descriptor.json.serialized()
        == #"{"key":"/flow/joke","name":"joke","description":"Tells a joke","inputSchema":{"type":"object","properties":{"subject":{"type":"string"}},"required":["subject"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"},"outputSchema":{"type":"object","properties":{"text":{"type":"string"},"length":{"type":"integer"}},"required":["text","length"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"},"metadata":{"streaming":false}}"#
    )
  }

  @Test func nonStreamingDescriptorHasNoStreamSchema() {
    let fixture = JokeFixture()
    #expect(fixture.flow.descriptor.streamSchema == nil)
    #expect(!fixture.flow.descriptor.streams)
  }

  @Test func streamingDescriptorHasAStreamSchema() {
    let runtime = FlowRuntime()
    let flow = runtime.defineStreamingFlow("counter", metadata: ["owner": "tests"]) {
      (n: Int, ctx: FlowContext<String>) in
      ctx.sendChunk("\(n)")
      return n
    }
    #expect(flow.descriptor.streamSchema == ["type": "string", "$schema": "http://json-schema.org/draft-07/schema#"])
    #expect(flow.descriptor.metadata["streaming"] == true)
    #expect(flow.descriptor.metadata["owner"] == "tests")
    #expect(flow.descriptor.streams)
    #expect(flow.descriptor.inputSchema == ["type": "integer", "$schema": "http://json-schema.org/draft-07/schema#"])
  }

  @Test func explicitSchemasReplaceDerivedOnes() async throws {
    let runtime = FlowRuntime()
    let schema: JSONValue = ["type": "string", "minLength": 3]
    runtime.defineFlow("shout", inputSchema: schema, outputSchema: ["type": "string"]) { (s: String) in s.uppercased() }
    let action = try runtime.registry.requireFlow(named: "shout")
    #expect(action.descriptor.inputSchema == schema)
    #expect(action.descriptor.outputSchema == ["type": "string"])
    let error = try await requireFlowError { try await action.run("ab") }
    #expect(error.status == .invalidArgument)
    #expect(error.message == "$: must be at least 3 characters long, got 2")
    #expect(try await action.run("abc").result == "ABC")
  }

  @Test func registryListsAndReplacesActions() throws {
    let runtime = FlowRuntime()
    runtime.defineFlow("b") { (s: String) in s }
    runtime.defineFlow("a") { (s: String) in s }
    // (ActionRunResult has no public initializer, so an action defined outside the module can only throw.)
    runtime.registry.register(
      AnyAction(descriptor: ActionDescriptor(key: "/tool/t", name: "t", actionType: "tool")) { _, _ in
        throw FlowError(.unimplemented, "not a real tool")
      })
    #expect(runtime.registry.all.map(\.key) == ["/flow/a", "/flow/b", "/tool/t"])
    #expect(runtime.registry.actions(ofType: "flow").map(\.name) == ["a", "b"])
    #expect(runtime.registry.actions(ofType: "tool").map(\.name) == ["t"])
    runtime.defineFlow("a", description: "second") { (s: String) in s + s }
    #expect(runtime.registry.all.count == 3)
    #expect(runtime.registry.flow(named: "a")?.descriptor.description == "second")
  }

  @Test func requireFlowNamesTheKnownFlows() throws {
    let empty = FlowRuntime()
    let none = try #require(throws: FlowError.self) { try empty.registry.requireFlow(named: "x") }
    #expect(none.status == .notFound)
    #expect(none.message == "flow 'x' not found (no flows are registered)")

    let fixture = JokeFixture()
    fixture.runtime.defineFlow("alpha") { (s: String) in s }
    let missing = try #require(throws: FlowError.self) { try fixture.runtime.registry.requireFlow(named: "jokes") }
    #expect(missing.status == .notFound)
    #expect(missing.message == "flow 'jokes' not found (known flows: alpha, joke)")
    #expect(missing.description == "NOT_FOUND: flow 'jokes' not found (known flows: alpha, joke)")
  }

  // MARK: Invalid input

  /// Runs `order` through JSON, requiring INVALID_ARGUMENT before the body ran and before any span.
  private func rejected(_ input: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) async throws -> FlowError
  {
    let runtime = FlowRuntime()
    let runs = Locked(0)
    _ = orderFlow(runtime, runs: runs)
    let subscription = runtime.bus.subscribe()
    let action = try runtime.registry.requireFlow(named: "order")
    let error = try await requireFlowError(sourceLocation: sourceLocation) { try await action.run(input) }
    #expect(error.status == .invalidArgument, sourceLocation: sourceLocation)
    #expect(error.traceId == nil, sourceLocation: sourceLocation)
    #expect(runs.value == 0, "the flow body must not run", sourceLocation: sourceLocation)
    #expect(subscription.drain().isEmpty, "no span may be published", sourceLocation: sourceLocation)
    return error
  }

  private func order(_ change: (inout JSONObject) -> Void) -> JSONValue {
    var object = validOrder.objectValue!
    change(&object)
    return .object(object)
  }

  @Test func validOrderRuns() async throws {
    let runtime = FlowRuntime()
    let runs = Locked(0)
    _ = orderFlow(runtime, runs: runs)
    let result = try await runtime.registry.requireFlow(named: "order").run(validOrder)
    #expect(result.result == ["customer": "ann", "units": 3])
    #expect(runs.value == 1)
  }

  @Test func invalidInputWrongType() async throws {
    let error = try await rejected(order { $0["customer"] = 42 })
    #expect(error.message == "$.customer: expected string, got number")
    #expect(error.details == ["violations": [["path": "$.customer", "message": "expected string, got number"]]])
  }

  @Test func invalidInputMissingField() async throws {
    let error = try await rejected(order { $0["customer"] = nil })
    #expect(error.message == "$.customer: missing required property")
  }

  @Test func invalidInputUnknownField() async throws {
    let error = try await rejected(order { $0["coupon"] = "FREE" })
    #expect(error.message == "$.coupon: unknown property (allowed: customer, size, items, address, note)")
  }

  @Test func invalidInputEnumValue() async throws {
    let error = try await rejected(order { $0["size"] = "huge" })
    #expect(error.message == #"$.size: must be one of "small", "medium", "large", got "huge""#)
  }

  @Test func invalidInputNestedArrayElement() async throws {
    let error = try await rejected(order { $0["items"] = [["sku": "a", "qty": 1], ["sku": "b", "qty": "two"]] })
    #expect(error.message == "$.items[1].qty: expected integer, got string")
  }

  @Test func invalidInputNullForRequiredObject() async throws {
    let error = try await rejected(order { $0["address"] = .null })
    #expect(error.message == "$.address: expected object, got null")
    let topLevel = try await rejected(.null)
    #expect(topLevel.message == "$: expected object, got null")
  }

  @Test func invalidInputSeveralViolationsAreJoined() async throws {
    let error = try await rejected(
      order {
        $0["customer"] = 1
        $0["address"] = nil
      })
    #expect(error.message == "$.address: missing required property; $.customer: expected string, got number")
    #expect(error.details?["violations"]?.arrayValue?.count == 2)
  }

  @Test func malformedJSONTextReportsLineAndColumn() async throws {
    let runtime = FlowRuntime()
    let runs = Locked(0)
    _ = orderFlow(runtime, runs: runs)
    let subscription = runtime.bus.subscribe()
    let action = try runtime.registry.requireFlow(named: "order")
    let error = try await requireFlowError {
      try await action.run(jsonText: "{\n  \"customer\": \"ann\",\n  \"size\" \"small\"\n}")
    }
    #expect(error.status == .invalidArgument)
    #expect(
      error.message
        == "input is not valid JSON: invalid JSON at line 3, column 10: unexpected '\"'; expected ':' after key")
    let empty = try await requireFlowError { try await action.run(jsonText: "") }
    #expect(
      empty.message == "input is not valid JSON: invalid JSON at line 1, column 1: empty input; expected a JSON value")
    #expect(runs.value == 0)
    #expect(subscription.drain().isEmpty)
  }

  @Test func decodingFailuresThatTheSchemaCannotSeeAreInvalidArgument() async throws {
    struct Appointment: Codable, Sendable { var at: Date }
    let runtime = FlowRuntime()
    let runs = Locked(0)
    runtime.defineFlow("book") { (input: Appointment) in
      runs.increment()
      return input.at.timeIntervalSince1970
    }
    let subscription = runtime.bus.subscribe()
    let action = try runtime.registry.requireFlow(named: "book")
    let error = try await requireFlowError { try await action.run(["at": "tomorrow"]) }
    #expect(error.status == .invalidArgument)
    #expect(error.message == #"$.at: expected an ISO-8601 date-time, got "tomorrow""#)
    #expect(runs.value == 0)
    #expect(subscription.drain().isEmpty)
    #expect(try await action.run(["at": "1970-01-01T00:01:00Z"]).result == 60)
  }

  @Test func flowsWhoseSchemaCannotBeDerivedAcceptAnyJSONAndDecode() async throws {
    struct Node: Codable, Sendable {
      var name: String
      var children: [Node]
    }
    let runtime = FlowRuntime()
    runtime.defineFlow("count") { (node: Node) in
      func count(_ n: Node) -> Int { 1 + n.children.map(count).reduce(0, +) }
      return count(node)
    }
    let action = try runtime.registry.requireFlow(named: "count")
    #expect(action.descriptor.inputSchema == nil)
    #expect(
      action.descriptor.outputSchema == ["type": "integer", "$schema": "http://json-schema.org/draft-07/schema#"])
    #expect(try await action.run(["name": "a", "children": [["name": "b", "children": []]]]).result == 2)
    let error = try await requireFlowError { try await action.run(["name": "a"]) }
    #expect(error.status == .invalidArgument)
    #expect(error.message == "$.children: missing required property")
  }
}
