import AsyncHTTPClient
import Flows
import FlowsServer
import FlowsTestSupport
import NIOCore
import Testing

/// Non-streaming calls whose client goes away: the flow is cancelled once the call has run past the
/// watch's grace period, while quick calls keep their keep-alive connection.
@Suite struct AbandonedCallTests {
  /// Leaving before the call is watched (noticed when the watch starts) and after (noticed at once).
  @Test(arguments: [0, 1_000])
  func aNonStreamingCallWhoseClientLeavesIsCancelled(leavingAfterMilliseconds: Int) async throws {
    let runtime = makeTestRuntime()
    let events = runtime.bus.subscribe()
    try await withLiveServer(runtime) { baseURL, _ in
      try await withHTTPClient { client in
        let call = Task {
          var request = HTTPClientRequest(url: baseURL + "/sleepy")
          request.method = .POST
          request.headers.add(name: "Content-Type", value: "application/json")
          request.body = .bytes(ByteBuffer(string: #"{"data":null}"#))
          _ = try await client.execute(request, timeout: .seconds(60))
        }
        // Leave once the flow runs (it would sleep 30 s).
        let started = try await withTimeout(seconds: 10) {
          while let batch = await events.nextBatch() {
            for case .spanStarted(let span) in batch where span.name == "sleepy" { return true }
          }
          return false
        }
        #expect(started)
        try await Task.sleep(for: .milliseconds(leavingAfterMilliseconds))
        call.cancel()
        _ = await call.result
        let ending = try await runEnding(named: "sleepy", on: events)
        #expect(ending?.status == .cancelled)
      }
    }
  }

  @Test func manyAbandonedCallsAreAllCancelledAndTheServerGoesOn() async throws {
    let runtime = makeTestRuntime()
    let events = runtime.bus.subscribe()
    let callers = 40
    try await withLiveServer(runtime) { baseURL, _ in
      try await withHTTPClient(connections: callers) { client in
        let calls = (0..<callers).map { _ in
          Task {
            var request = HTTPClientRequest(url: baseURL + "/sleepy")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"{"data":null}"#))
            _ = try await client.execute(request, timeout: .seconds(60))
          }
        }
        // Every run started, and some are watched already when their clients leave.
        let leaving = try await withTimeout(seconds: 20) { () -> [SpanError?] in
          var started = 0
          var endings: [SpanError?] = []
          while let batch = await events.nextBatch() {
            for event in batch {
              switch event {
              case .spanStarted(let span) where span.name == "sleepy" && span.isRoot:
                started += 1
                if started == callers { for call in calls { call.cancel() } }
              case .runFinished(let summary) where summary.name == "sleepy":
                endings.append(summary.error)
                if endings.count == callers { return endings }
              default: break
              }
            }
          }
          return endings
        }
        for call in calls { _ = await call.result }
        #expect(leaving.count == callers)
        #expect(leaving.allSatisfy { $0?.status == .cancelled })
        let after = try await post(client, baseURL + "/echo", #"{"data":"still here"}"#)
        #expect(after.body == #"{"result":"still here"}"#)
      }
    }
  }

  @Test func aQuickCallKeepsItsConnectionAndASlowOneIsAnsweredThenClosed() async throws {
    try await withLiveServer(makeTestRuntime()) { baseURL, _ in
      try await withHTTPClient { client in
        let quick = try await post(client, baseURL + "/echo", #"{"data":"hi"}"#)
        #expect(quick.status == 200)
        #expect(quick.body == #"{"result":"hi"}"#)
        #expect(quick.headers["connection"] != "close")
        // Watched from 0.5-0.75 s on: still answered in full, on a connection that then closes.
        let slow = try await post(client, baseURL + "/pause", #"{"data":1200}"#)
        #expect(slow.status == 200)
        #expect(slow.body == #"{"result":1200}"#)
        #expect(slow.headers["connection"] == "close")
        // The client goes on with a new connection.
        let after = try await post(client, baseURL + "/echo", #"{"data":"again"}"#)
        #expect(after.body == #"{"result":"again"}"#)
      }
    }
  }
}
