import Flows
import FlowsTestSupport
import Testing

@Suite struct StatusCodeTests {
  @Test func canonicalCodesAndHTTPStatuses() {
    let table: [(StatusCode, String, Int, Int)] = [
      (.ok, "OK", 0, 200), (.cancelled, "CANCELLED", 1, 499), (.unknown, "UNKNOWN", 2, 500),
      (.invalidArgument, "INVALID_ARGUMENT", 3, 400), (.deadlineExceeded, "DEADLINE_EXCEEDED", 4, 504),
      (.notFound, "NOT_FOUND", 5, 404), (.alreadyExists, "ALREADY_EXISTS", 6, 409),
      (.permissionDenied, "PERMISSION_DENIED", 7, 403), (.resourceExhausted, "RESOURCE_EXHAUSTED", 8, 429),
      (.failedPrecondition, "FAILED_PRECONDITION", 9, 400), (.aborted, "ABORTED", 10, 409),
      (.outOfRange, "OUT_OF_RANGE", 11, 400), (.unimplemented, "UNIMPLEMENTED", 12, 501),
      (.internal, "INTERNAL", 13, 500), (.unavailable, "UNAVAILABLE", 14, 503), (.dataLoss, "DATA_LOSS", 15, 500),
      (.unauthenticated, "UNAUTHENTICATED", 16, 401),
    ]
    #expect(StatusCode.allCases.count == table.count)
    for (status, name, code, http) in table {
      #expect(status.rawValue == name)
      #expect(status.code == code, "\(name)")
      #expect(status.httpStatus == http, "\(name)")
      #expect(StatusCode(code: code) == status)
      #expect(StatusCode(name: name) == status)
      #expect(StatusCode(rawValue: name) == status)
    }
  }

  @Test func parsingAcceptsGenkitSpellingsAndRejectsUnknowns() {
    #expect(StatusCode(name: "invalid argument") == .invalidArgument)
    #expect(StatusCode(name: "Not_Found") == .notFound)
    #expect(StatusCode(name: "NOPE") == nil)
    #expect(StatusCode(code: 17) == nil)
    #expect(StatusCode(code: -1) == nil)
  }

  @Test func statusCodesAreCodableAsTheirNames() throws {
    #expect(try JSONValueEncoder().encode(StatusCode.permissionDenied) == "PERMISSION_DENIED")
    #expect(try JSONValueDecoder().decode(StatusCode.self, from: "DATA_LOSS") == .dataLoss)
  }
}

@Suite struct FlowErrorTests {
  @Test func descriptionAndDetails() {
    let error = FlowError(.permissionDenied, "no access", details: ["user": "ann"])
    #expect(error.description == "PERMISSION_DENIED: no access")
    #expect(error.details == ["user": "ann"])
    #expect(error.traceId == nil)
  }

  @Test func wrappingMapsErrorsToStatuses() {
    let original = FlowError(.notFound, "gone")
    let same = FlowError(wrapping: original)
    #expect(same.status == .notFound)
    #expect(same.message == "gone")

    let cancelled = FlowError(wrapping: CancellationError())
    #expect(cancelled.status == .cancelled)
    #expect(cancelled.message == "Action was cancelled")

    let foreign = FlowError(wrapping: BoomError(reason: "disk"))
    #expect(foreign.status == .internal)
    #expect(foreign.message == "boom: disk")

    let quota = FlowError(wrapping: QuotaError())
    #expect(quota.status == .resourceExhausted)
    #expect(quota.message == "quota used up")

    let decoding = DecodingError.typeMismatch(
      Int.self, .init(codingPath: [AnyCodingKey("a")], debugDescription: "expected integer, got string"))
    let wrapped = FlowError(wrapping: decoding)
    #expect(wrapped.status == .internal)
    #expect(wrapped.message == "$.a: expected integer, got string")
  }
}

@Suite struct FlowFailureTraceTests {
  /// A flow whose `lookup` step throws `error`.
  private func failingFlow(_ runtime: FlowRuntime, _ error: @escaping @Sendable () -> any Error) -> Flow<
    String, String, Never
  > {
    runtime.defineFlow("boom") { (input: String) in
      _ = try await run("prepare") { input }
      return try await run("lookup") { () throws -> String in throw error() }
    }
  }

  @Test func flowErrorFromAStepReachesTheTypedCaller() async throws {
    let runtime = FlowRuntime()
    let flow = failingFlow(runtime) { FlowError(.notFound, "no such item") }
    let error = try await requireFlowError { try await flow("x") }
    #expect(error.status == .notFound)
    #expect(error.message == "no such item")
  }

  @Test func onlyTheInnermostFailingSpanIsTheFailureSource() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = failingFlow(runtime) { FlowError(.notFound, "no such item") }
    _ = await thrownError { try await flow("x") }
    let events = subscription.drain()
    #expect(
      eventShape(events) == [
        "start:boom", "start:prepare", "end:prepare", "start:lookup", "end:lookup!", "end:boom!", "finished:boom!",
      ])
    let spans = endedSpans(events)
    let root = try spans.named("boom")
    let lookup = try spans.named("lookup")
    let prepare = try spans.named("prepare")

    #expect(lookup.attributes["genkit:isFailureSource"] == true)
    #expect(root.attributes["genkit:isFailureSource"] == nil)
    #expect(prepare.attributes["genkit:isFailureSource"] == nil)

    for span in [lookup, root] {
      #expect(span.attr("genkit:state") == "error")
      #expect(span.attr("flowscope:status") == "NOT_FOUND")
      #expect(span.status == SpanData.SpanStatus(code: 2, message: "no such item"))
      #expect(span.json["status"] == ["code": 2, "message": "no such item"])
      #expect(span.attr("genkit:output") == nil)
      #expect(span.isError)
      #expect(span.errorMessage == "no such item")
      let event = try #require(span.exceptionEvents.first)
      #expect(span.exceptionEvents.count == 1)
      #expect(event.time == span.endTime)
      #expect(event.attributes["exception.type"] == "FlowError")
      #expect(event.attributes["exception.message"] == "no such item")
    }
    #expect(prepare.attr("genkit:state") == "success")
    #expect(prepare.attr("flowscope:status") == nil)
    #expect(prepare.exceptionEvents.isEmpty)
    #expect(prepare.status == SpanData.SpanStatus(code: 0))
    #expect(!prepare.isError)
    #expect(prepare.errorMessage == nil)

    let summary = try #require(runSummaries(events).first)
    #expect(summary.error?.status == .notFound)
    #expect(summary.error?.isFailureSource == false)
    #expect(summary.rootSpanId.hex == root.spanId)
  }

  @Test func exceptionStackStartsWithTheErrorAndTheLogicalPath() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = failingFlow(runtime) { FlowError(.notFound, "no such item") }
    _ = await thrownError { try await flow("x") }
    let spans = endedSpans(subscription.drain())
    let sourceStack = try #require(
      try spans.named("lookup").exceptionEvents.first?.attributes["exception.stacktrace"]?.stringValue)
    let lines = sourceStack.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(Array(lines.prefix(2)) == ["FlowError: no such item", "    at boom > lookup"])
    #expect(lines.dropFirst(2).allSatisfy { $0.hasPrefix("    at ") })
    // The parent only re-threw the error: its stack is just the header and its own path.
    let rootStack = try spans.named("boom").exceptionEvents.first?.attributes["exception.stacktrace"]?.stringValue
    #expect(rootStack == "FlowError: no such item\n    at boom")
  }

  @Test func foreignErrorsKeepTheirTypeInTheTraceAndAreInternal() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = failingFlow(runtime) { BoomError(reason: "disk full") }
    // The typed caller gets the original error back.
    let error = await thrownError { try await flow("x") }
    #expect((error as? BoomError)?.reason == "disk full")
    let lookup = try endedSpans(subscription.drain()).named("lookup")
    #expect(lookup.attr("flowscope:status") == "INTERNAL")
    #expect(lookup.status == SpanData.SpanStatus(code: 2, message: "boom: disk full"))
    #expect(lookup.exceptionEvents.first?.attributes["exception.type"] == "BoomError")
    #expect(
      lookup.exceptionEvents.first?.attributes["exception.stacktrace"]?.stringValue?.hasPrefix(
        "BoomError: boom: disk full\n    at boom > lookup") == true)
  }

  @Test func foreignErrorsBecomeInternalThroughTheJSONPathWithTheTraceId() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    _ = failingFlow(runtime) { BoomError(reason: "disk full") }
    let action = try runtime.registry.requireFlow(named: "boom")
    let error = try await requireFlowError { try await action.run("x") }
    #expect(error.status == .internal)
    #expect(error.message == "boom: disk full")
    let root = try endedSpans(subscription.drain()).named("boom")
    #expect(error.traceId == root.traceId)
    #expect(isLowerHex(try #require(error.traceId), count: 32))
  }

  @Test func flowErrorsKeepTheirStatusThroughTheJSONPathWithTheTraceId() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    _ = failingFlow(runtime) { FlowError(.failedPrecondition, "not ready", details: ["retryAfter": 5]) }
    let error = try await requireFlowError { try await runtime.registry.requireFlow(named: "boom").run("x") }
    #expect(error.status == .failedPrecondition)
    #expect(error.message == "not ready")
    #expect(error.details == ["retryAfter": 5])
    #expect(error.traceId == (try endedSpans(subscription.drain()).named("boom").traceId))
  }

  @Test func statusProvidingErrorsDeclareTheirStatus() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    _ = failingFlow(runtime) { QuotaError() }
    let error = try await requireFlowError { try await runtime.registry.requireFlow(named: "boom").run("x") }
    #expect(error.status == .resourceExhausted)
    #expect(error.message == "quota used up")
    let lookup = try endedSpans(subscription.drain()).named("lookup")
    #expect(lookup.attr("flowscope:status") == "RESOURCE_EXHAUSTED")
  }

  @Test func errorsThrownByTheFlowBodyItselfMakeTheFlowTheSource() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("direct") { (n: Int) -> Int in
      _ = try await run("ok") { n }
      throw FlowError(.outOfRange, "\(n) is too big")
    }
    let error = try await requireFlowError { try await flow(99) }
    #expect(error.message == "99 is too big")
    let spans = endedSpans(subscription.drain())
    #expect(try spans.named("direct").attributes["genkit:isFailureSource"] == true)
    #expect(try spans.named("direct").attr("flowscope:status") == "OUT_OF_RANGE")
    #expect(try spans.named("ok").attr("genkit:state") == "success")
  }

  @Test func failingNestedFlowIsTheSourceNotItsCaller() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let inner = runtime.defineFlow("inner") { (_: String) -> String in
      throw FlowError(.unauthenticated, "who are you")
    }
    let outer = runtime.defineFlow("outer") { (s: String) in try await run("call") { try await inner(s) } }
    let error = try await requireFlowError { try await outer("x") }
    #expect(error.status == .unauthenticated)
    let spans = endedSpans(subscription.drain())
    #expect(spans.map(\.displayName) == ["inner", "call", "outer"])
    #expect(spans.map { $0.attributes["genkit:isFailureSource"] == true } == [true, false, false])
    #expect(spans.allSatisfy { $0.attr("genkit:state") == "error" && $0.attr("flowscope:status") == "UNAUTHENTICATED" })
    #expect(
      try spans.named("inner").exceptionEvents.first?.attributes["exception.stacktrace"]?.stringValue?.hasPrefix(
        "FlowError: who are you\n    at outer > call > inner") == true)
  }

  @Test func caughtStepFailuresLeaveTheFlowSuccessful() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("resilient") { (_: String) in
      do {
        return try await run("primary") { () throws -> String in throw FlowError(.unavailable, "primary down") }
      } catch {
        return try await run("fallback") { "from fallback" }
      }
    }
    #expect(try await flow("x") == "from fallback")
    let events = subscription.drain()
    let spans = endedSpans(events)
    let primary = try spans.named("primary")
    #expect(primary.attr("genkit:state") == "error")
    #expect(primary.attributes["genkit:isFailureSource"] == true)
    #expect(try spans.named("fallback").attr("genkit:state") == "success")
    let root = try spans.named("resilient")
    #expect(root.attr("genkit:state") == "success")
    #expect(root.attr("genkit:output") == #""from fallback""#)
    #expect(!root.isError)
    #expect(runSummaries(events).first?.error == nil)
  }

  @Test
  func rethrowingAnEarlierChildErrorAfterAFailedFallbackDoesNotMakeTheParentASource() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("retry") { (_: String) -> String in
      do {
        return try await run("primary") { () throws -> String in throw FlowError(.unavailable, "primary down") }
      } catch let original {
        // Try a fallback; if it fails too, report the original problem.
        if let value = try? await run(
          "fallback", { () throws -> String in throw FlowError(.unavailable, "fallback down") })
        {
          return value
        }
        throw original
      }
    }
    let error = try await requireFlowError { try await flow("x") }
    #expect(error.message == "primary down")
    let spans = endedSpans(subscription.drain())
    #expect(try spans.named("primary").attributes["genkit:isFailureSource"] == true)
    #expect(try spans.named("fallback").attributes["genkit:isFailureSource"] == true)
    #expect(try spans.named("retry").attributes["genkit:isFailureSource"] == nil)
  }

  @Test func decodingErrorsInsideTheBodyAreInternalNotInvalidArgument() async throws {
    let runtime = FlowRuntime()
    runtime.defineFlow("parse") { (_: String) in
      try JSONValueDecoder().decode(LineItem.self, from: ["sku": "a"]).qty
    }
    let error = try await requireFlowError { try await runtime.registry.requireFlow(named: "parse").run("x") }
    #expect(error.status == .internal)
    #expect(error.message == "$.qty: missing required property")
    #expect(error.traceId != nil)
  }
}
