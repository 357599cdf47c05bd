import AsyncHTTPClient
import Flows
import FlowsServer
import FlowsTestSupport
import Hummingbird
import NIOCore
import Testing

/// runAction and cancelAction over a real loopback connection.
@Suite struct ReflectionLiveRunTests {
  typealias Kit = ReflectionTestKit

  @Test func headersArriveAsSoonAsTheRootSpanExists() async throws {
    let release = Signal()
    let entered = Signal()
    let router = Router()
    router.addReflectionAPI(runtime: Kit.runtime(release: release, entered: entered))
    try await Kit.withLive(router) { base in
      let response = try await Kit.send(base + "/api/runAction", ["key": "/flow/held", "input": "late"])
      // The head is here while the flow is still waiting to be released.
      await entered.wait()
      let traceId = try #require(response.headers.first(name: "X-Genkit-Trace-Id"))
      #expect(traceId.count == 32)
      #expect(response.headers.first(name: "X-Genkit-Span-Id")?.count == 16)
      #expect(response.headers.first(name: "x-genkit-version") == ReflectionVersion.genkitVersion)
      release.fire()
      let body = try Kit.json(try await response.body.collect(upTo: 1 << 20))
      #expect(body == ["result": "late", "telemetry": ["traceId": .string(traceId)]])
    }
  }

  @Test func streamedChunksArriveBeforeTheEnd() async throws {
    let release = Signal()
    let entered = Signal()
    let router = Router()
    router.addReflectionAPI(runtime: Kit.runtime(release: release, entered: entered))
    try await Kit.withLive(router) { base in
      let response = try await Kit.send(base + "/api/runAction?stream=true", ["key": "/flow/drip", "input": 3])
      #expect(response.headers.first(name: "content-type") == "text/plain; charset=utf-8")
      var received = ""
      var iterator = response.body.makeAsyncIterator()
      // Every chunk line comes through while the flow is still held.
      while received.filter({ $0 == "\n" }).count < 3, let buffer = try await iterator.next() {
        received += String(buffer: buffer)
      }
      #expect(received == "\"chunk 0\"\n\"chunk 1\"\n\"chunk 2\"\n")
      release.fire()
      while let buffer = try await iterator.next() { received += String(buffer: buffer) }
      #expect(!received.hasSuffix("\n"))
      let lines = received.split(separator: "\n").map(String.init)
      #expect(lines.count == 4)
      let final = try JSONValue(parsing: try #require(lines.last))
      #expect(final["result"] == "done")
      #expect(final["telemetry"]?["traceId"]?.stringValue == response.headers.first(name: "X-Genkit-Trace-Id"))
    }
  }

  @Test func cancelActionCancelsTheRunningFlow() async throws {
    let entered = Signal()
    let runtime = Kit.runtime(entered: entered)
    let subscription = runtime.bus.subscribe()
    let router = Router()
    let state = router.addReflectionAPI(runtime: runtime)
    try await Kit.withLive(router) { base in
      let response = try await Kit.send(base + "/api/runAction", ["key": "/flow/sleepy", "input": "zzz"])
      let traceId = try #require(response.headers.first(name: "X-Genkit-Trace-Id"))
      await entered.wait()
      #expect(state.activeRuns.traceIds == [traceId])

      let cancel = try await Kit.send(base + "/api/cancelAction", ["traceId": .string(traceId)])
      #expect(cancel.status.code == 200)
      #expect(try Kit.json(try await cancel.body.collect(upTo: 1 << 16)) == ["message": "Action cancelled"])

      let body = try Kit.json(try await response.body.collect(upTo: 1 << 20))
      #expect(body["error"]?["code"] == 1)
      #expect(body["error"]?["message"] == "Action was cancelled")
      #expect(body["error"]?["details"]?["traceId"] == .string(traceId))

      let again = try await Kit.send(base + "/api/cancelAction", ["traceId": .string(traceId)])
      #expect(again.status.code == 404)
      _ = try await again.body.collect(upTo: 1 << 16)
    }
    let root = try #require(endedSpans(subscription.drain()).first { $0.parentSpanId == nil })
    #expect(root.attributes["genkit:state"] == "error")
    #expect(root.attributes["flowscope:status"] == "CANCELLED")
    #expect(state.activeRuns.traceIds.isEmpty)
  }

  @Test func finishedRunsLeaveTheActiveMap() async throws {
    let router = Router()
    let state = router.addReflectionAPI(runtime: Kit.runtime())
    try await Kit.withLive(router) { base in
      let response = try await Kit.send(base + "/api/runAction", ["key": "/flow/echo", "input": "x"])
      _ = try await response.body.collect(upTo: 1 << 16)
    }
    #expect(state.activeRuns.traceIds.isEmpty)
  }
}
