import Flows
import Foundation
import Testing

/// Sends every captured request of the Python Genkit peer (genkit 0.12.0 + genkit-fastapi) to the
/// peer itself and to `flowscope serve`, and compares the answers field for field; the deliberate
/// differences are listed in `WireCases` with the reason, everything else must be identical.
@Suite(
  "Wire compatibility with the Python Genkit peer", .serialized,
  .enabled(
    if: PeerInstallation.isInstalled,
    "the Python peer is not installed (run scripts/install-peer.sh; venv in $FLOWSCOPE_PEER_DIR or ~/.cache/flowscope-peer)"
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
      let peerResponse = try await HTTPProbe.send(wireCase.request, to: peer.baseURL)
      let oursResponse = try await HTTPProbe.send(wireCase.request, to: ours.baseURL)
      let request = "\(wireCase.id): \(wireCase.request)"

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
  }
}
