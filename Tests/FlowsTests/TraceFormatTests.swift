import Flows
import FlowsTestSupport
import Foundation
import Testing

private struct MenuInput: Codable, Sendable { var theme: String }
private struct MenuOutput: Codable, Sendable { var item: String }

/// Runs a flow shaped like the golden Genkit JS `menuFlow` (a flow with a `fetch-specials` step) and
/// returns its ended spans.
private func runMenuFlow() async throws -> [SpanData] {
  let runtime = FlowRuntime()
  let subscription = runtime.bus.subscribe()
  let flow = runtime.defineFlow("menuFlow") { (input: MenuInput) in
    let specials = try await run("fetch-specials") { ["chowder", "grog"] }
    return MenuOutput(item: "\(input.theme) \(specials[0])")
  }
  _ = try await flow(MenuInput(theme: "pirate"))
  return endedSpans(subscription.drain())
}

private func keys(_ value: JSONValue?) -> Set<String> { Set(value?.objectValue?.keys ?? []) }

@Suite struct GoldenTraceTests {
  let golden: JSONValue
  let trace: TraceData

  init() throws {
    golden = try loadFixture("genkit-js-menuFlow.json")
    trace = try TraceData(json: golden)
  }

  @Test func decodesTheGoldenTrace() throws {
    #expect(trace.traceId == "4f6c1e0a9b2d4c7e8a1f3b5d7c9e0a12")
    #expect(trace.displayName == "menuFlow")
    #expect(trace.startTime == 1_782_000_000_000.125)
    #expect(trace.endTime == 1_782_000_002_310.5)
    #expect(trace.spans.count == 5)
    let root = try #require(trace.rootSpan)
    #expect(root.spanId == "a1b2c3d4e5f60001")
    #expect(root.parentSpanId == nil)
    #expect(root.attributes["genkit:isRoot"] == true)
    #expect(root.input == ["theme": "pirate"])
    #expect(root.output == ["item": "Blackbeard's Chowder", "weather": "rainy"])
    #expect(root.kindLabel == "flow")
    #expect(!root.isError)
    #expect(!root.isRunning)
    #expect(root.durationMilliseconds == 2310.375)
    #expect(root.instrumentationLibrary == .genkit)
    #expect(root.spanKind == "INTERNAL")
    #expect(root.sameProcessAsParentSpan == true)
    #expect(root.status == SpanData.SpanStatus(code: 0))
    #expect(root.timeEvents == [])
    #expect(root.links == [])

    let model = try #require(trace.spans["a1b2c3d4e5f60004"])
    #expect(model.kindLabel == "model")
    #expect(model.genkitType == "action")
    #expect(model.parentSpanId == "a1b2c3d4e5f60003")
    #expect(
      model.attr("genkit:path") == "/{menuFlow,t:flow}/{generate,t:util}/{googleai/gemini-2.5-flash,t:action,s:model}")
    #expect(try #require(trace.spans["a1b2c3d4e5f60005"]).output == "rainy")
    #expect(try #require(trace.spans["a1b2c3d4e5f60003"]).kindLabel == "util")
    #expect(try #require(trace.spans["a1b2c3d4e5f60002"]).kindLabel == "flowStep")
  }

  @Test func reEncodingReproducesTheGoldenJSON() throws {
    let reencoded = trace.json
    #expect(reencoded == golden)
    #expect(keys(reencoded) == keys(golden))
    let goldenSpans = try #require(golden["spans"]?.objectValue)
    let ourSpans = try #require(reencoded["spans"]?.objectValue)
    #expect(Set(ourSpans.keys) == Set(goldenSpans.keys))
    for (id, goldenSpan) in goldenSpans.entries {
      let ours = try #require(ourSpans[id])
      #expect(keys(ours) == keys(goldenSpan), "span \(id) fields")
      #expect(keys(ours["attributes"]) == keys(goldenSpan["attributes"]), "span \(id) attribute names")
      #expect(ours["attributes"] == goldenSpan["attributes"], "span \(id) attribute values")
      #expect(ours["status"] == goldenSpan["status"])
      #expect(ours["timeEvents"] == ["timeEvent": []])
      #expect(ours["sameProcessAsParentSpan"] == ["value": true])
      #expect(ours["instrumentationLibrary"] == ["name": "genkit-tracer", "version": "v1"])
    }
    // Spans are written in start order.
    #expect(
      ourSpans.keys == [
        "a1b2c3d4e5f60001", "a1b2c3d4e5f60002", "a1b2c3d4e5f60003", "a1b2c3d4e5f60004", "a1b2c3d4e5f60005",
      ])
    // And the text parses back to the same trace.
    #expect(try TraceData(json: JSONValue(parsing: reencoded.serialized(.prettyPrinted))) == trace)
  }

  @Test func foundationCodableRoundTrip() throws {
    let data = try JSONEncoder().encode(trace)
    let decoded = try JSONDecoder().decode(TraceData.self, from: data)
    #expect(decoded == trace)
    let span = try #require(trace.spans["a1b2c3d4e5f60004"])
    #expect(try JSONDecoder().decode(SpanData.self, from: JSONEncoder().encode(span)) == span)
    // Our own coders take the same shape.
    #expect(try JSONValueEncoder().encode(trace) == trace.json)
    #expect(try JSONValueDecoder().decode(TraceData.self, from: golden) == trace)
  }

  @Test func ourFlowAndStepSpansHaveTheGoldenAttributeNames() async throws {
    let ours = try await runMenuFlow()
    let goldenRoot = try #require(trace.spans["a1b2c3d4e5f60001"])
    let goldenStep = try #require(trace.spans["a1b2c3d4e5f60002"])
    let root = try ours.named("menuFlow")
    let step = try ours.named("fetch-specials")

    #expect(root.attributeKeys == goldenRoot.attributeKeys)
    #expect(step.attributeKeys == goldenStep.attributeKeys)
    // Same span-level field names, too.
    #expect(keys(root.json) == keys(goldenRoot.json))
    #expect(keys(step.json) == keys(goldenStep.json))
    #expect(keys(root.json).subtracting(["parentSpanId"]) == keys(golden["spans"]?["a1b2c3d4e5f60001"]))
    #expect(keys(step.json) == keys(golden["spans"]?["a1b2c3d4e5f60002"]))

    // And the same values wherever the content is the same.
    for key in [
      "genkit:type", "genkit:metadata:subtype", "genkit:key", "genkit:name", "genkit:isRoot", "genkit:path",
      "genkit:input", "genkit:state", "genkit:metadata:context",
    ] {
      #expect(root.attributes[key] == goldenRoot.attributes[key], "\(key)")
    }
    for key in ["genkit:type", "genkit:name", "genkit:path", "genkit:output", "genkit:state"] {
      #expect(step.attributes[key] == goldenStep.attributes[key], "\(key)")
    }
    for span in [root, step] {
      #expect(span.json["status"] == ["code": 0])
      #expect(span.json["timeEvents"] == ["timeEvent": []])
      #expect(span.json["links"] == [])
      #expect(span.json["sameProcessAsParentSpan"] == ["value": true])
      #expect(span.json["instrumentationLibrary"] == ["name": "genkit-tracer", "version": "v1"])
      #expect(span.json["spanKind"] == "INTERNAL")
      #expect(span.json["displayName"] == span.attributes["genkit:name"])
    }
  }

  @Test func ourFailedSpansUseTheGenkitErrorShape() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("menuFlow") { (_: String) -> String in
      try await run("fetch-specials") { () throws -> String in throw FlowError(.unavailable, "kitchen closed") }
    }
    _ = await thrownError { try await flow("x") }
    let step = try endedSpans(subscription.drain()).named("fetch-specials")
    let json = step.json
    #expect(json["status"] == ["code": 2, "message": "kitchen closed"])
    let events = try #require(json["timeEvents"]?["timeEvent"]?.arrayValue)
    #expect(events.count == 1)
    let event = try #require(events.first)
    #expect(keys(event) == ["time", "annotation"])
    #expect(event["time"] == .number(step.endTime))
    #expect(event["annotation"]?["description"] == "exception")
    #expect(
      keys(event["annotation"]?["attributes"]) == ["exception.type", "exception.message", "exception.stacktrace"])
    #expect(
      Set(step.attributeKeys) == [
        "genkit:type", "genkit:name", "genkit:path", "genkit:state", "genkit:isFailureSource", "flowscope:status",
      ])
    // It reads back as the same span.
    #expect(try SpanData(json: json) == step)
  }
}

@Suite struct OurTraceFormatTests {
  @Test func idsAreLowercaseHexOfTheRightLength() async throws {
    let spans = try await runMenuFlow()
    for span in spans {
      #expect(isLowerHex(span.traceId, count: 32), "\(span.traceId)")
      #expect(isLowerHex(span.spanId, count: 16), "\(span.spanId)")
    }
    #expect(TraceID(high: 1, low: 0xABC).hex == "00000000000000010000000000000abc")
    #expect(SpanID(0xDEAD_BEEF).hex == "00000000deadbeef")
    #expect(SpanID(UInt64.max).description == "ffffffffffffffff")
  }

  @Test func startCopiesAreRunningAndEndedCopiesAreNot() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("f") { (s: String) in try await run("s", input: s) { s } }
    _ = try await flow("x")
    let events = subscription.drain()
    let started = startedSpans(events)
    let ended = endedSpans(events)
    #expect(started.map(\.displayName) == ["f", "s"])
    for span in started {
      #expect(span.endTime == 0)
      #expect(span.isRunning)
      #expect(span.durationMilliseconds == nil)
      #expect(span.attr("genkit:state") == nil)
      #expect(span.attr("genkit:output") == nil)
      #expect(!span.isError)
      #expect(span.status == SpanData.SpanStatus(code: 0))
    }
    #expect(try started.named("s").attr("genkit:input") == #""x""#)
    for span in ended {
      #expect(!span.isRunning)
      #expect(span.endTime > 0)
      #expect(span.durationMilliseconds == span.endTime - span.startTime)
    }
    // Merging: a late start copy never replaces an ended span.
    var trace = TraceData(traceId: try #require(ended.first).traceId)
    for span in ended { trace.merge(span) }
    for span in started { trace.merge(span) }
    #expect(trace.spans.values.allSatisfy { !$0.isRunning })
    var growing = TraceData(traceId: trace.traceId)
    for span in started { growing.merge(span) }
    #expect(growing.spans.values.allSatisfy { $0.isRunning })
    for span in ended { growing.merge(span) }
    #expect(growing.spans == trace.spans)
  }

  @Test func traceSummaryComesFromTheRootSpan() async throws {
    let spans = try await runMenuFlow()
    let root = try spans.named("menuFlow")
    let trace = TraceData(traceId: root.traceId, spans: spans)
    #expect(trace.displayName == "menuFlow")
    #expect(trace.startTime == root.startTime)
    #expect(trace.endTime == root.endTime)
    #expect(trace.rootSpan == root)
    #expect(trace.spans.count == 2)
    let json = trace.json
    #expect(json["spans"]?.objectValue?.keys == [root.spanId, try spans.named("fetch-specials").spanId])
    #expect(try TraceData(json: json) == trace)
  }

  @Test func spanJSONRoundTripsForOurSpans() async throws {
    for span in try await runMenuFlow() {
      #expect(try SpanData(json: span.json) == span)
      #expect(try SpanData(json: JSONValue(parsing: span.json.serialized())) == span)
    }
  }
}

@Suite struct ForeignTraceTests {
  @Test func pythonTraceWithFloatStatusCodesDecodes() throws {
    let trace = try TraceData(json: loadFixture("steps-merged.json"))
    #expect(trace.traceId == "9433c239707b573e2c92dcad314bed72")
    #expect(trace.spans.count == 3)
    let root = try #require(trace.rootSpan)
    #expect(root.spanId == "7786ad521f2ed3d3")
    #expect(root.displayName == "steps")
    #expect(root.attributes["genkit:isRoot"] == nil)
    #expect(root.status == SpanData.SpanStatus(code: 0))
    #expect(!root.isError)
    #expect(root.errorMessage == nil)
    #expect(root.kindLabel == "flow")
    #expect(root.input == "abc")
    #expect(root.output == ["upper": "ABC", "reversed": "CBA"])
    #expect(root.sameProcessAsParentSpan == nil)
    #expect(root.links == nil)
    let steps = trace.spans.values.filter { $0.parentSpanId == root.spanId }.sorted { $0.startTime < $1.startTime }
    #expect(steps.map(\.displayName) == ["uppercase", "reverse"])
    #expect(steps.map(\.kindLabel) == ["flowStep", "flowStep"])
    #expect(
      steps.map { $0.attr("genkit:path") } == [
        "/{steps,t:action,s:flow}/{uppercase,t:flowStep}", "/{steps,t:action,s:flow}/{reverse,t:flowStep}",
      ])
    #expect(steps.map(\.output) == ["ABC", "CBA"])
    #expect(steps.allSatisfy { !$0.isError && $0.status?.code == 0 })
  }

  @Test func pythonErrorTraceIsDetectedAsAnError() throws {
    let trace = try TraceData(json: loadFixture("boom-merged.json"))
    let root = try #require(trace.rootSpan)
    #expect(root.displayName == "boom")
    #expect(root.status == SpanData.SpanStatus(code: 2, message: "kaboom: x"))
    #expect(root.isError)
    #expect(root.errorMessage == "kaboom: x")
    let event = try #require(root.exceptionEvents.first)
    #expect(event.attributes["exception.type"] == "ValueError")
    #expect(event.attributes["exception.escaped"] == "False")
    #expect(event.time == 1_795_596_546_850.0574)
    #expect(
      event.attributes["exception.stacktrace"]?.stringValue?.hasPrefix("Traceback (most recent call last):") == true)
  }

  @Test func pythonTracesReEncodeWithIntegerCodes() throws {
    let original = try loadFixture("boom-merged.json")
    let reencoded = try TraceData(json: original).json
    let span = try #require(reencoded["spans"]?["2bde739fd60b5e76"])
    guard case .integer(2)? = span["status"]?["code"] else {
      Issue.record("status code should be written as the integer 2: \(String(describing: span["status"]))")
      return
    }
    #expect(span["attributes"] == original["spans"]?["2bde739fd60b5e76"]?["attributes"])
    #expect(span["timeEvents"] == original["spans"]?["2bde739fd60b5e76"]?["timeEvents"])
  }

  @Test func errorDetectionForOtherExporters() throws {
    func span(_ status: JSONValue?, attributes: JSONValue = [:], events: JSONValue? = nil) throws -> SpanData {
      var object: JSONObject = ["spanId": "s", "traceId": "t", "attributes": attributes]
      object["status"] = status
      if let events { object["timeEvents"] = ["timeEvent": events] }
      return try SpanData(json: .object(object))
    }
    // Go's exporter uses code 1 with a message for errors.
    #expect(try span(["code": 1, "message": "bad"]).isError)
    #expect(try span(["code": 1, "message": "bad"]).errorMessage == "bad")
    #expect(try !span(["code": 1]).isError)
    #expect(try !span(nil).isError)
    #expect(try span(["code": 2]).errorMessage == "Error")
    // genkit:state wins over the status code.
    #expect(try !span(["code": 2], attributes: ["genkit:state": "success"]).isError)
    #expect(
      try span(["code": 0], attributes: ["genkit:state": "error", "genkit:error": "from attribute"]).errorMessage
        == "from attribute")
    let withEvent = try span(
      ["code": 2],
      events: [
        ["time": 1, "annotation": ["description": "exception", "attributes": ["exception.message": "from event"]]]
      ])
    #expect(withEvent.errorMessage == "from event")
  }

  @Test func rootDetectionToleratesPartialTraces() throws {
    func span(_ id: String, parent: String?, start: Double) -> SpanData {
      SpanData(
        spanId: id, traceId: "t", parentSpanId: parent, startTime: start, endTime: start + 1, attributes: [:],
        displayName: id)
    }
    // The parent of "b" was never received; a parentless span still wins over it.
    let partial = TraceData(
      traceId: "t", spans: [span("b", parent: "missing", start: 1), span("a", parent: nil, start: 5)])
    #expect(partial.rootSpan?.spanId == "a")
    // With no parentless span, the earliest orphan is the root.
    let orphans = TraceData(
      traceId: "t",
      spans: [span("c", parent: "x", start: 3), span("d", parent: "y", start: 2), span("e", parent: "d", start: 2.5)])
    #expect(orphans.rootSpan?.spanId == "d")
    #expect(orphans.displayName == "d")
    #expect(TraceData(traceId: "t").rootSpan == nil)
    // An empty parentSpanId means "no parent".
    let empty = try SpanData(json: ["spanId": "s", "traceId": "t", "parentSpanId": ""])
    #expect(empty.parentSpanId == nil)
  }

  @Test func malformedTraceJSONIsRejectedWithAReason() throws {
    let notObject = try #require(throws: TraceFormatError.self) { try SpanData(json: [1]) }
    #expect(notObject.description == "span is not an object")
    let noId = try #require(throws: TraceFormatError.self) { try SpanData(json: ["traceId": "t"]) }
    #expect(noId.description == "span field 'spanId' is missing or not a string")
    let badTrace = try #require(throws: TraceFormatError.self) { try TraceData(json: "trace") }
    #expect(badTrace.description == "trace is not an object")
    let noTraceId = try #require(throws: TraceFormatError.self) { try TraceData(json: ["spans": [:]]) }
    #expect(noTraceId.description == "trace has no traceId")
    // A partial trace without a top-level traceId takes it from its spans.
    let partial = try TraceData(json: ["spans": ["s1": ["spanId": "s1", "traceId": "abc"]]])
    #expect(partial.traceId == "abc")
    #expect(partial.spans["s1"]?.displayName == "")
    #expect(partial.spans["s1"]?.spanKind == "INTERNAL")
  }

  @Test func displayNameFallsBackToTheGenkitName() throws {
    let span = try SpanData(json: ["spanId": "s", "traceId": "t", "attributes": ["genkit:name": "fromAttr"]])
    #expect(span.displayName == "fromAttr")
  }
}
