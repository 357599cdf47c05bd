import Flows
import FlowsAI
import FlowsTestSupport
import Testing

/// Streaming through `onChunk`, and cancelling a generate while the model streams.
@Suite struct GenerateStreamingTests {
  @Test func chunksArriveInOrderWithTheTurnAsIndex() async throws {
    let runtime = FlowRuntime()
    let getWeather = runtime.defineTool("getWeather", description: "Weather") {
      (q: WeatherQuery) async throws -> String in
      "sunny in \(q.city)"
    }
    let scripted = ScriptedModel(
      runtime,
      [
        .parts(
          [.text("Let me check."), toolRequest("getWeather", ["city": "Paris"])], chunks: ["Let", " me", " check."]),
        .text("It is sunny in Paris.", chunks: ["It is", " sunny", " in Paris."]),
      ])
    let chunks = Locked<[GenerateResponseChunk]>([])
    let result = try await generate(
      model: scripted.model, prompt: "Weather in Paris?", tools: [getWeather.erased], onChunk: { chunks.append($0) })

    let received = chunks.value
    #expect(received.map(\.text) == ["Let", " me", " check.", "It is", " sunny", " in Paris."])
    #expect(received.map(\.index) == [0, 0, 0, 2, 2, 2], "Genkit's message index: model turns are messages 0 and 2")
    #expect(received.allSatisfy { $0.role == .model })
    let lastTurn = received.filter { $0.index == (result.turns - 1) * 2 }
    #expect(lastTurn.map(\.text).joined() == result.text)
    #expect(received.filter { $0.index == 0 }.map(\.text).joined() == result.messages[1].text)
  }

  @Test func theModelSeesWhetherTheCallerStreams() async throws {
    let runtime = FlowRuntime()
    let seen = Locked<[Bool]>([])
    let model = runtime.defineModel("test/observer") { _, streamer in
      seen.append(streamer.isStreaming)
      return GenerateResponse(message: .model("ok"))
    }
    _ = try await generate(model: model, prompt: "a")
    _ = try await generate(model: model, prompt: "b", onChunk: { _ in })
    #expect(seen.value == [false, true])
  }

  @Test func streamingThroughAFlowDeliversTheSameTextAsTheResult() async throws {
    let runtime = FlowRuntime()
    let scripted = ScriptedModel(runtime, [.text("Yo ho ho", chunks: ["Yo", " ho", " ho"])])
    let flow = runtime.defineStreamingFlow("shanty") { (prompt: String, ctx: FlowContext<String>) in
      try await generate(model: scripted.model, prompt: prompt, onChunk: { ctx.sendChunk($0.text) }).text
    }
    let stream = flow.stream("sing")
    var pieces: [String] = []
    for try await piece in stream { pieces.append(piece) }
    let output = try await stream.output
    #expect(pieces == ["Yo", " ho", " ho"])
    #expect(pieces.joined() == output)
  }

  @Test func cancellingMidStreamSurfacesCancellationAndCancelsTheModelSpan() async throws {
    let runtime = FlowRuntime()
    let firstChunk = Signal("first chunk")
    let slow = runtime.defineModel("test/slow") { _, streamer in
      streamer.send(GenerateResponseChunk(content: [.text("Once")]))
      // The next word takes a minute: cancellation has to cut this short for the test to pass.
      try await Task.sleep(for: .seconds(60))
      streamer.send(GenerateResponseChunk(content: [.text(" upon a time")]))
      return GenerateResponse(message: .model("Once upon a time"), finishReason: .stop)
    }
    let chunks = Locked<[String]>([])
    let storyteller = runtime.defineFlow("storyteller") { (prompt: String) in
      try await generate(
        model: slow, prompt: prompt,
        onChunk: { chunk in
          chunks.append(chunk.text)
          firstChunk.fire()
        }
      ).text
    }
    let sub = runtime.bus.subscribe()
    let task = Task { try await storyteller("Tell me a story") }
    try await firstChunk.wait()
    task.cancel()
    let error = await thrownError { try await task.value }
    #expect(error is CancellationError, "got \(String(describing: error))")
    #expect(chunks.value == ["Once"])

    let spans = endedSpans(sub.drain())
    let modelSpan = try spans.named("test/slow")
    #expect(modelSpan.attr("flowscope:status") == "CANCELLED")
    #expect(modelSpan.attr("genkit:state") == "error")
    #expect(modelSpan.attributes["genkit:isFailureSource"] == true)
    #expect(modelSpan.output == nil)
    for name in ["generate", "storyteller"] {
      let span = try spans.named(name)
      #expect(span.attr("flowscope:status") == "CANCELLED", "\(name)")
      #expect(span.attributes["genkit:isFailureSource"] == nil, "\(name)")
    }
  }

  @Test func cancellingWhileAToolRunsCancelsTheTool() async throws {
    let runtime = FlowRuntime()
    let toolStarted = Signal("tool started")
    let slowTool = runtime.defineTool("slowLookup", description: "Slow") { (_: WeatherQuery) async throws -> String in
      toolStarted.fire()
      try await Task.sleep(for: .seconds(60))
      return "late"
    }
    let scripted = ScriptedModel(runtime, [.tool("slowLookup", ["city": "Paris"]), .text("never")])
    let sub = runtime.bus.subscribe()
    let task = Task { try await generate(model: scripted.model, prompt: "x", tools: [slowTool.erased]) }
    try await toolStarted.wait()
    task.cancel()
    let error = await thrownError { try await task.value }
    #expect(error is CancellationError, "got \(String(describing: error))")
    #expect(scripted.requests.count == 1, "a cancelled tool is not reported to the model")
    let spans = endedSpans(sub.drain())
    #expect(try spans.named("slowLookup").attr("flowscope:status") == "CANCELLED")
    #expect(try spans.named("generate").attr("flowscope:status") == "CANCELLED")
  }
}
