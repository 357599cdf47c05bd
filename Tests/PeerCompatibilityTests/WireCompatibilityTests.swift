import Flows
import FlowsTestSupport
import Foundation
import Testing

/// Sends every captured request of the Python Genkit peer (genkit 0.12.0 + genkit-fastapi) to the
/// peer itself and to `flowscope serve`, and compares the answers field for field; the deliberate
/// differences are listed in `WireCases` with the reason, everything else must be identical.
@Suite(
  "Wire compatibility with the Python Genkit peer", .serialized,
  .enabled(
    if: PeerInstallation.isInstalled,
    Comment(rawValue: PythonPeerVenv.missingMessage)
  ))
struct WireCompatibilityTests {
  @Test("every captured case: same answer as the peer, or the listed deliberate difference")
  func everyCaseMatchesThePeer() async throws {
    let directory = try TestEnvironment.makeDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let peer = try await RunningServer.startPeer(in: directory)
    defer { peer.stop() }
    let ours = try await RunningServer.startFlowscope(in: directory)
    defer { ours.stop() }

    var table = ["case | peer | ours | verdict", "---|---|---|---"]
    for wireCase in WireCases.all {
      let request = "\(wireCase.id): \(wireCase.request)"
      let peerResponse = try await HTTPProbe.send(wireCase.request, to: peer, context: request)
      let oursResponse = try await HTTPProbe.send(wireCase.request, to: ours, context: request)

      // The peer still answers as captured (otherwise the table below would describe another peer).
      let peerProblems = WireNormalizer.problems(peerResponse, wireCase.peer)
      #expect(peerProblems.isEmpty, "peer changed for \(request): \(peerProblems)")

      let oursProblems: [String]
      if let expected = wireCase.ours {
        oursProblems = WireNormalizer.problems(oursResponse, expected)
      } else {
        oursProblems = WireNormalizer.differences(ours: oursResponse, peer: peerResponse)
      }
      let verdict: String
      switch wireCase.difference {
      case nil:
        verdict = oursProblems.isEmpty ? "same" : "DIFFERENT: \(oursProblems.joined(separator: "; "))"
        #expect(oursProblems.isEmpty, "\(request) differs from the peer: \(oursProblems)")
      case .deliberate(let reason):
        verdict = oursProblems.isEmpty ? "deliberate: \(reason)" : "UNEXPECTED: \(oursProblems.joined(separator: "; "))"
        #expect(oursProblems.isEmpty, "\(request), expected deliberate difference (\(reason)) not met: \(oursProblems)")
      case .unintended(let reason):
        verdict = "known issue: \(reason)"
        withKnownIssue("\(request): \(reason)", isIntermittent: true) {
          #expect(oursProblems.isEmpty, "\(request): \(oursProblems)")
        }
      }
      table.append(
        "\(wireCase.id) | \(WireNormalizer.summary(peerResponse)) | \(WireNormalizer.summary(oursResponse)) | \(verdict)"
      )
    }
    print(table.joined(separator: "\n"))

    // Header-level differences, deliberate and additive (see WireCases.headerDifferences).
    let call = WireRequest(path: "/greet", body: #"{"data":{"name":"Ada"}}"#)
    let stream = WireRequest(
      path: "/countdown", headers: [("Content-Type", "application/json"), ("Accept", "text/event-stream")],
      body: #"{"data":1}"#)
    for request in [call, stream] {
      let peerResponse = try await HTTPProbe.send(request, to: peer, context: "headers")
      let oursResponse = try await HTTPProbe.send(request, to: ours, context: "headers")
      #expect(peerResponse.header("x-genkit-trace-id") == nil)
      #expect(
        oursResponse.header("x-genkit-trace-id")?.wholeMatch(of: /[0-9a-f]{32}/) != nil,
        "no trace id header on \(request)")
      #expect(oursResponse.header("x-genkit-span-id")?.wholeMatch(of: /[0-9a-f]{16}/) != nil)
    }
    let peerStream = try await HTTPProbe.send(stream, to: peer, context: "headers")
    let oursStream = try await HTTPProbe.send(stream, to: ours, context: "headers")
    #expect(peerStream.contentType == "text/event-stream; charset=utf-8")
    #expect(oursStream.contentType == "text/event-stream")
    #expect(oursStream.header("cache-control") == "no-cache")
  }

  /// After a streamed response the peer keeps the HTTP/1.1 connection for the next request; we close
  /// it (without `Connection: close`), so a client that reuses connections has to reconnect. Not a
  /// deliberate difference: Hummingbird's `consumeWithInboundCloseHandler`, which FlowStreamRun uses
  /// to cancel the flow when the client goes away, closes the connection when the response ends.
  @Test("keep-alive: open after a JSON answer; after a stream the peer keeps it, we close it (deliberate)")
  func keepAliveAfterStream() async throws {
    let directory = try TestEnvironment.makeDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let peer = try await RunningServer.startPeer(in: directory)
    defer { peer.stop() }
    let ours = try await RunningServer.startFlowscope(in: directory)
    defer { ours.stop() }

    let body = #"{"data":2}"#
    let stream =
      "POST /countdown HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
      + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    let plain =
      "POST /countdown HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    #expect(try KeepAliveProbe.staysOpen(port: peer.port, request: stream), "peer closed after a stream")
    #expect(try KeepAliveProbe.staysOpen(port: peer.port, request: plain), "peer closed after a JSON answer")
    #expect(try KeepAliveProbe.staysOpen(port: ours.port, request: plain), "we closed after a JSON answer")
    // Deliberate (README, difference 8): a streamed response says `Connection: close` and the
    // connection ends with it — the server watches the connection to cancel the flow when the client
    // goes away, and a client must not reuse a connection that is being closed.
    #expect(try !KeepAliveProbe.staysOpen(port: ours.port, request: stream), "we kept a stream's connection open")
  }
}
