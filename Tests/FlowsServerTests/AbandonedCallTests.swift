import AsyncHTTPClient
import Flows
import FlowsServer
import FlowsTestSupport
import NIOCore
import Testing

/// Non-streaming calls whose client goes away: the flow is cancelled once the call has run past the
/// watch's grace period, while quick calls keep their keep-alive connection.
@Suite struct AbandonedCallTests {
  @Test func aNonStreamingCallWhoseClientLeavesIsCancelled() async throws {
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
        call.cancel()
        _ = await call.result
        let ending = try await runEnding(named: "sleepy", on: events)
        #expect(ending?.status == .cancelled)
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
