import AsyncHTTPClient
import Flows
import FlowsClient
import FlowsTestSupport
import NIOCore
import Testing

@testable import FlowsServer

/// Durable streams (`x-genkit-stream-id`), on a real server with real clients.
@Suite struct DurableStreamTests {
  static func durable(_ streams: DurableStreams = DurableStreams()) -> FlowServerConfiguration {
    FlowServerConfiguration(durableStreams: streams)
  }

  static let sseHeaders = [("Content-Type", "application/json"), ("Accept", "text/event-stream")]

  @Test func aStreamCarriesAnIdOnlyWhenDurableStreamsAreOn() async throws {
    for configuration in [FlowServerConfiguration(), Self.durable()] {
      let response = try await withLiveServer(makeTestRuntime(), configuration) { baseURL, _ in
        try await withHTTPClient {
          try await post($0, baseURL + "/countdown", #"{"data":2}"#, headers: Self.sseHeaders)
        }
      }
      #expect(response.status == 200)
      #expect(response.body.hasSuffix("data: {\"result\":\"liftoff\"}\n\n"))
      if configuration.durableStreams == nil {
        #expect(response.headers["x-genkit-stream-id"] == nil)
      } else {
        let id = try #require(response.headers["x-genkit-stream-id"])
        #expect(id.count == 36 && id == id.lowercased())
        #expect(isHex(response.headers["x-genkit-trace-id"], count: 32))
      }
    }
  }

  @Test func comingBackMidStreamReplaysWhatWasSentThenGoesOnLive() async throws {
    let gate = Signal()
    try await withLiveServer(makeTestRuntime(gate: gate), Self.durable()) { baseURL, _ in
      let client = FlowClient(baseURL: baseURL)
      let first = client.stream(flow: "gated", input: .null)
      var firstChunks = first.makeAsyncIterator()
      #expect(try await firstChunks.next() == "first")
      let id = try #require(await first.streamId)
      #expect(await first.traceId != nil)

      // The flow waits at the gate: the second client gets the replay now, then the rest live.
      let second = client.resume(flow: "gated", streamId: id)
      var secondChunks = second.makeAsyncIterator()
      #expect(try await secondChunks.next() == "first")
      #expect(await second.streamId == id)
      #expect(await second.traceId == (await first.traceId))
      gate.fire()
      #expect(try await secondChunks.next() == "second")
      #expect(try await secondChunks.next() == nil)
      #expect(try await second.output == "done")
      #expect(try await firstChunks.next() == "second")
      #expect(try await first.output == "done")

      // Once finished, the whole stream is replayed.
      let third = client.resume(flow: "gated", streamId: id)
      var all: [JSONValue] = []
      for try await chunk in third { all.append(chunk) }
      #expect(all == ["first", "second"])
      #expect(try await third.output == "done")
    }
  }

  @Test func theFlowGoesOnWhenItsClientLeavesAndTheRunIsSavedAsSucceeded() async throws {
    let gate = Signal()
    let runtime = makeTestRuntime(gate: gate)
    let events = runtime.bus.subscribe()
    try await withLiveServer(runtime, Self.durable()) { baseURL, _ in
      let client = FlowClient(baseURL: baseURL)
      let first = client.stream(flow: "gated", input: .null)
      for try await chunk in first {
        #expect(chunk == "first")
        break  // leaving the iteration closes the request
      }
      let id = try #require(await first.streamId)
      gate.fire()
      #expect(try await runEnding(named: "gated", on: events) == nil)
      let again = client.resume(flow: "gated", streamId: id)
      var chunks: [JSONValue] = []
      for try await chunk in again { chunks.append(chunk) }
      #expect(chunks == ["first", "second"])
      #expect(try await again.output == "done")
    }
  }

  @Test func anUnknownStreamIsNoContentAndTheClientSaysStreamNotFound() async throws {
    try await withLiveServer(makeTestRuntime(), Self.durable()) { baseURL, _ in
      let raw = try await withHTTPClient {
        try await post($0, baseURL + "/countdown", "{}", headers: Self.sseHeaders + [("x-genkit-stream-id", "nope")])
      }
      #expect(raw.status == 204)
      #expect(raw.body.isEmpty)
      let stream = FlowClient(baseURL: baseURL).resume(flow: "countdown", streamId: "nope")
      let error = try await #require(throws: FlowError.self) { try await stream.output }
      #expect(error.status == .notFound)
      #expect(error.message == "Stream not found.")
    }
  }

  @Test func withoutDurableStreamsTheHeaderIsIgnoredAndTheFlowRuns() async throws {
    let response = try await withLiveServer(makeTestRuntime()) { baseURL, _ in
      try await withHTTPClient {
        try await post(
          $0, baseURL + "/countdown", #"{"data":1}"#, headers: Self.sseHeaders + [("x-genkit-stream-id", "whatever")])
      }
    }
    #expect(response.status == 200)
    #expect(response.body == "data: {\"message\":{\"tick\":1}}\n\ndata: {\"result\":\"liftoff\"}\n\n")
  }

  @Test func aFailedStreamIsReplayedWithItsError() async throws {
    try await withLiveServer(makeTestRuntime(), Self.durable()) { baseURL, _ in
      try await withHTTPClient { client in
        let first = try await post(client, baseURL + "/streamBoom", #"{"data":"x"}"#, headers: Self.sseHeaders)
        let id = try #require(first.headers["x-genkit-stream-id"])
        let again = try await post(
          client, baseURL + "/streamBoom?stream=true", "{}", headers: [("x-genkit-stream-id", id)])
        #expect(again.status == 200)
        #expect(again.body == first.body)
        #expect(
          again.body
            == "data: {\"message\":1}\n\ndata: {\"error\":{\"status\":\"INTERNAL\",\"message\":\"kaboom: x\"}}\n\n")
      }
    }
  }

  @Test func aStreamTooLargeToKeepIsNotReplayedButItsFirstClientGetsItAll() async throws {
    let streams = DurableStreams(maximumBytesPerStream: 100)
    try await withLiveServer(makeTestRuntime(), Self.durable(streams)) { baseURL, _ in
      try await withHTTPClient { client in
        let first = try await post(client, baseURL + "/countdown", #"{"data":20}"#, headers: Self.sseHeaders)
        #expect(first.body.hasPrefix("data: {\"message\":{\"tick\":20}}\n\n"))
        #expect(first.body.hasSuffix("data: {\"message\":{\"tick\":1}}\n\ndata: {\"result\":\"liftoff\"}\n\n"))
        let id = try #require(first.headers["x-genkit-stream-id"])
        let again = try await post(
          client, baseURL + "/countdown", "{}", headers: Self.sseHeaders + [("x-genkit-stream-id", id)])
        #expect(again.status == 200)
        #expect(
          again.body.hasPrefix("data: {\"error\":{\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"Stream \(id) sent"))
        #expect(!again.body.contains("tick"))
      }
    }
  }

  @Test func comingBackNeedsTheSameAuthorization() async throws {
    var configuration = Self.durable()
    configuration.contextProvider = APIKeyContextProvider(key: "sesame")
    try await withLiveServer(makeTestRuntime(), configuration) { baseURL, _ in
      try await withHTTPClient { client in
        let authorized = Self.sseHeaders + [("Authorization", "sesame")]
        let first = try await post(client, baseURL + "/countdown", #"{"data":1}"#, headers: authorized)
        let id = try #require(first.headers["x-genkit-stream-id"])
        let stranger = try await post(
          client, baseURL + "/countdown", "{}", headers: Self.sseHeaders + [("x-genkit-stream-id", id)])
        #expect(stranger.status == 401)
        #expect(!stranger.body.contains("tick"))
        let owner = try await post(
          client, baseURL + "/countdown", "{}", headers: authorized + [("x-genkit-stream-id", id)])
        #expect(owner.body == first.body)
      }
    }
  }

  @Test func shuttingDownCancelsTheFlowsOfDurableStreams() async throws {
    let runtime = makeTestRuntime()
    let events = runtime.bus.subscribe()
    let streams = DurableStreams()
    try await withLiveServer(runtime, Self.durable(streams)) { baseURL, _ in
      let stream = FlowClient(baseURL: baseURL).stream(flow: "sleepy", input: .null)
      for try await chunk in stream {
        #expect(chunk == "first")
        break
      }
      #expect(streams.runningCount == 1)
    }
    // The server is down: the flow that slept on after its client left was cancelled.
    #expect(try await runEnding(named: "sleepy", on: events)?.status == .cancelled)
    #expect(streams.runningCount == 0)
  }

  @Test func theOldestFinishedStreamsGoWhenTheyKeepMoreThanTheTotalBudget() async throws {
    // Each countdown of 3 sends 3 frames of 30 bytes and a result frame of 28: 118 bytes.
    let streams = DurableStreams(maximumTotalBytes: 250)
    try await withLiveServer(makeTestRuntime(), Self.durable(streams)) { baseURL, _ in
      try await withHTTPClient { client in
        var ids: [String] = []
        for _ in 1...3 {
          let response = try await post(client, baseURL + "/countdown", #"{"data":3}"#, headers: Self.sseHeaders)
          #expect(response.body.utf8.count == 118)
          ids.append(try #require(response.headers["x-genkit-stream-id"]))
        }
        #expect(streams.keptBytes == 236)
        let statuses = try await ids.asyncMap { id in
          try await post(client, baseURL + "/countdown", "{}", headers: Self.sseHeaders + [("x-genkit-stream-id", id)])
            .status
        }
        #expect(statuses == [204, 200, 200])
      }
    }
  }

  @Test func finishedStreamsExpireAfterTheirTimeToLiveAndBeyondTheMaximumCount() async throws {
    let streams = DurableStreams(timeToLive: .seconds(60), maximumFinishedStreams: 2)
    try await withLiveServer(makeTestRuntime(), Self.durable(streams)) { baseURL, _ in
      try await withHTTPClient { client in
        var ids: [String] = []
        for n in 1...3 {
          let response = try await post(client, baseURL + "/countdown", "{\"data\":\(n)}", headers: Self.sseHeaders)
          ids.append(try #require(response.headers["x-genkit-stream-id"]))
        }
        // Three finished streams, two kept: the oldest went.
        #expect(streams.count == 2)
        let oldest = try await post(
          client, baseURL + "/countdown", "{}", headers: Self.sseHeaders + [("x-genkit-stream-id", ids[0])])
        #expect(oldest.status == 204)
        let newest = try await post(
          client, baseURL + "/countdown", "{}", headers: Self.sseHeaders + [("x-genkit-stream-id", ids[2])])
        #expect(newest.body.hasSuffix("data: {\"result\":\"liftoff\"}\n\n"))
        // A minute later, none is left.
        streams.removeExpired(now: .now + .seconds(61))
        #expect(streams.count == 0)
      }
    }
  }
}

extension Array where Element: Sendable {
  /// The results of `transform` on each element, in order, one after the other.
  func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
    var results: [T] = []
    for element in self { results.append(try await transform(element)) }
    return results
  }
}
