import Flows
import FlowsTestSupport
import Testing

@Suite struct ActionContextValueTests {
  @Test func valuesSecretsAndCopies() {
    var context = ActionContext(auth: ["uid": "u1"], values: ["tenant": "acme"])
    #expect(context["tenant"] == "acme")
    #expect(context["missing"] == nil)
    #expect(!context.isEmpty)
    #expect(ActionContext().isEmpty)
    context.set("apiKey", "s3cr3t", secret: true)
    #expect(context["apiKey"] == "s3cr3t")
    #expect(context.secretKeys == ["apiKey"])
    let copy = context.with("region", "eu")
    #expect(copy["region"] == "eu")
    #expect(context["region"] == nil)
    #expect(copy.secretKeys == ["apiKey"])
    // Setting a key again without `secret` makes it public.
    #expect(copy.with("apiKey", "public").secretKeys.isEmpty)
  }

  @Test func redactedJSONHidesAuthAndSecrets() {
    let context = ActionContext(auth: ["uid": "u1", "token": "t"], values: ["tenant": "acme", "limits": ["max": 3]])
      .with("apiKey", "s3cr3t", secret: true)
    #expect(
      context.redactedJSON.serialized()
        == #"{"auth":"<redacted>","apiKey":"<redacted>","limits":{"max":3},"tenant":"acme"}"#)
    #expect(ActionContext().redactedJSON.serialized() == "{}")
    #expect(ActionContext.redactedMarker == "<redacted>")
  }

  @Test func mergingPrefersTheOtherContext() {
    let base = ActionContext(auth: "base-auth", values: ["a": 1, "b": 2]).with("s", "x", secret: true)
    let over = ActionContext(values: ["b": 20]).with("t", "y", secret: true)
    let merged = base.merging(over)
    #expect(merged.auth == "base-auth")
    #expect(merged.values == ["a": 1, "b": 20, "s": "x", "t": "y"])
    #expect(merged.secretKeys == ["s", "t"])
    #expect(base.merging(ActionContext(auth: "new")).auth == "new")
  }

  @Test func currentIsEmptyOutsideARun() {
    #expect(ActionContext.current == ActionContext())
  }
}

@Suite struct ContextPropagationTests {
  private static let context = ActionContext(auth: ["uid": "u1"], values: ["tenant": "acme"])
    .with("apiKey", "s3cr3t", secret: true)

  @Test func contextReachesTheFlowNestedStepsAndNestedFlows() async throws {
    let runtime = FlowRuntime()
    let seen = Locked<[String: ActionContext]>([:])
    let inner = runtime.defineFlow("inner") { (_: String) in
      seen.mutate { $0["inner"] = ActionContext.current }
      try await run("inner-step") { seen.mutate { $0["inner-step"] = ActionContext.current } }
      return "ok"
    }
    let outer = runtime.defineStreamingFlow("outer") { (s: String, ctx: FlowContext<String>) in
      seen.mutate { $0["flow"] = ActionContext.current }
      seen.mutate { $0["flowContext"] = ctx.context }
      try await run("a") {
        try await run("b") { seen.mutate { $0["nested-step"] = ActionContext.current } }
      }
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { seen.mutate { $0["child-task"] = ActionContext.current } }
        try await group.waitForAll()
      }
      return try await inner(s)
    }
    _ = try await outer.run("x", context: Self.context)
    #expect(seen.value.keys.sorted() == ["child-task", "flow", "flowContext", "inner", "inner-step", "nested-step"])
    for (place, context) in seen.value {
      #expect(context == Self.context, "context at \(place)")
    }
    #expect(ActionContext.current == ActionContext(), "the context does not leak out of the run")
  }

  @Test func contextIsRecordedRedactedOnTheRootSpanOnly() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let inner = runtime.defineFlow("inner") { (s: String) in s }
    let outer = runtime.defineFlow("outer") { (s: String) in
      try await run("step") { try await inner(s) }
    }
    _ = try await outer.run("x", context: Self.context)
    let events = subscription.drain()
    let spans = endedSpans(events)
    let root = try spans.named("outer")
    #expect(root.attr("genkit:metadata:context") == #"{"auth":"<redacted>","apiKey":"<redacted>","tenant":"acme"}"#)
    #expect(try spans.named("step").attr("genkit:metadata:context") == nil)
    #expect(try spans.named("inner").attr("genkit:metadata:context") == nil)
    // The start copy of the root span carries it too.
    let started = try #require(startedSpans(events).first)
    #expect(started.displayName == "outer")
    #expect(started.attr("genkit:metadata:context") == root.attr("genkit:metadata:context"))
  }

  @Test func secretsNeverReachAnySpan() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("secretive") { (s: String) in
      try await run("step") { s + (ActionContext.current["tenant"]?.stringValue ?? "") }
    }
    _ = try await flow.run("x", context: Self.context)
    let events = subscription.drain()
    let everything = (startedSpans(events) + endedSpans(events)).map { $0.json.serialized() }.joined(separator: "\n")
    #expect(!everything.contains("s3cr3t"))
    #expect(!everything.contains("u1"))
    #expect(everything.contains("acme"))
  }

  @Test func runsWithoutAContextRecordAnEmptyObject() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    let flow = runtime.defineFlow("plain") { (s: String) in
      #expect(ActionContext.current.isEmpty)
      return s
    }
    _ = try await flow("x")
    #expect(try endedSpans(subscription.drain()).named("plain").attr("genkit:metadata:context") == "{}")
  }

  @Test func jsonRunsTakeTheContextFromTheOptions() async throws {
    let runtime = FlowRuntime()
    let subscription = runtime.bus.subscribe()
    runtime.defineFlow("whoami") { (_: String) in
      ActionContext.current["tenant"]?.stringValue ?? "nobody"
    }
    let action = try runtime.registry.requireFlow(named: "whoami")
    #expect(try await action.run("x", options: ActionRunOptions(context: Self.context)).result == "acme")
    #expect(try await action.run("x").result == "nobody")
    let roots = endedSpans(subscription.drain())
    #expect(
      roots.map { $0.attr("genkit:metadata:context") } == [
        #"{"auth":"<redacted>","apiKey":"<redacted>","tenant":"acme"}"#, "{}",
      ])
  }

  @Test func streamsCarryTheirContext() async throws {
    let runtime = FlowRuntime()
    let flow = runtime.defineStreamingFlow("tenant") { (_: String, ctx: FlowContext<String>) in
      let tenant = try await run("read") { ActionContext.current["tenant"]?.stringValue ?? "-" }
      ctx.sendChunk(tenant)
      return ctx.context["tenant"]?.stringValue ?? "-"
    }
    let stream = flow.stream("x", context: Self.context)
    var chunks: [String] = []
    for try await chunk in stream { chunks.append(chunk) }
    #expect(chunks == ["acme"])
    #expect(try await stream.output == "acme")
  }

  @Test func nestedFlowCanOverrideTheContextForItsSubtree() async throws {
    let runtime = FlowRuntime()
    let seen = Locked<[String]>([])
    let inner = runtime.defineFlow("inner") { (_: String) in
      seen.append(ActionContext.current["tenant"]?.stringValue ?? "-")
      return "ok"
    }
    let outer = runtime.defineFlow("outer") { (s: String) in
      _ = try await inner.run(s, context: ActionContext(values: ["tenant": "other"]))
      seen.append(ActionContext.current["tenant"]?.stringValue ?? "-")
      return "ok"
    }
    _ = try await outer.run("x", context: Self.context)
    #expect(seen.value == ["other", "acme"])
  }
}
