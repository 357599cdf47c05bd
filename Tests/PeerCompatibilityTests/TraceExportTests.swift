import Flows
import FlowsTestSupport
import Foundation
import Testing

/// A trace exported by the Python Genkit runtime (dev mode: `GENKIT_ENV=dev`,
/// `GENKIT_TELEMETRY_SERVER=<our server>`) lands in our trace store through our telemetry API and
/// reads back with `flowscope traces show`.
@Suite(
  "Python Genkit traces exported to our telemetry API", .serialized,
  .enabled(
    if: PeerInstallation.isInstalled,
    Comment(rawValue: PythonPeerVenv.missingMessage)
  ))
struct TraceExportTests {
  @Test("steps and boom traces from the peer are stored and shown")
  func peerTracesAreStoredAndShown() async throws {
    let directory = try TestEnvironment.makeDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let ours = try await RunningServer.startFlowscope(in: directory)
    defer { ours.stop() }

    // Genkit's telemetry server API on `flowscope serve`: `GET /api/traces` lists, `POST` ingests.
    let probe = try await HTTPProbe.send(WireRequest(method: "GET", path: "/api/traces", headers: []), to: ours.baseURL)
    try #require(
      probe.status == 200, "flowscope serve has no telemetry API (GET /api/traces: \(WireNormalizer.summary(probe)))")
    try await exportPeerTraces(to: ours.baseURL, database: directory + "/traces.sqlite", directory: directory)
  }

  /// Runs the peer in dev mode exporting to `telemetryURL`, calls `steps` and `boom` on it, and checks
  /// both traces with `flowscope traces list/show --db <database>`.
  private func exportPeerTraces(to telemetryURL: String, database: String, directory: String) async throws {
    let peer = try await RunningServer.startPeer(
      in: directory, environment: ["GENKIT_ENV": "dev", "GENKIT_TELEMETRY_SERVER": telemetryURL])
    defer { peer.stop() }

    let stepsCall = try await HTTPProbe.send(WireRequest(path: "/steps", body: #"{"data":"abc"}"#), to: peer.baseURL)
    #expect(stepsCall.status == 200, "\(stepsCall.body)")
    let boom = try await HTTPProbe.send(WireRequest(path: "/boom", body: #"{"data":"x"}"#), to: peer.baseURL)
    #expect(boom.status == 500, "\(boom.body)")

    // Genkit posts each span at start and at end from a worker thread; wait for the merged traces.
    // FastAPI (0.165) traces the request too once Genkit's dev mode installs a tracer provider, so the
    // root span is `POST /<flow>` with `fastapi.*` spans, and the flow span sits under `fastapi.endpoint`.
    let stepsTrace = try await waitForTrace(
      named: "POST /steps", status: "ok", database: database, directory: directory, peer: peer)
    let boomTrace = try await waitForTrace(
      named: "POST /boom", status: "error", database: database, directory: directory, peer: peer)

    let tree = try await FlowscopeBinary.run(["traces", "show", stepsTrace, "--db", database], in: directory)
    #expect(tree.status == 0, "\(tree.output)")
    for expected in ["steps (flow)", "uppercase (flowStep)", "reverse (flowStep)", "ABC", "CBA"] {
      #expect(tree.output.contains(expected), "traces show lacks \(expected):\n\(tree.output)")
    }

    let json = try await FlowscopeBinary.run(
      ["traces", "show", stepsTrace, "--format", "json", "--db", database], in: directory)
    #expect(json.status == 0, "\(json.output)")
    let document = try JSONValue(parsing: json.output)
    let spans = document["spans"]?.objectValue?.entries.map(\.value) ?? []
    func span(_ name: String) -> JSONValue? { spans.first { $0["displayName"]?.stringValue == name } }
    let flow = try #require(span("steps"), "no steps span in \(json.output)")
    let steps = [span("uppercase"), span("reverse")].compactMap { $0 }
    #expect(steps.count == 2, "expected the two steps: \(json.output)")
    #expect(flow["attributes"]?["genkit:type"]?.stringValue == "action")
    #expect(flow["attributes"]?["genkit:output"]?.stringValue?.contains("CBA") == true, "\(flow.serialized())")
    for item in [flow] + steps {
      // The end snapshot replaced the start one (endTime 0, no state) for every span.
      #expect((item["endTime"]?.doubleValue ?? 0) > 0, "span not ended: \(item.serialized())")
      #expect(item["attributes"]?["genkit:state"]?.stringValue == "success", "\(item.serialized())")
    }
    for step in steps {
      #expect(step["parentSpanId"] == flow["spanId"], "step not under the flow: \(step.serialized())")
      #expect(step["attributes"]?["genkit:type"]?.stringValue == "flowStep")
    }

    let boomShown = try await FlowscopeBinary.run(["traces", "show", boomTrace, "--db", database], in: directory)
    #expect(boomShown.status == 0, "\(boomShown.output)")
    #expect(boomShown.output.contains("boom (flow)"), "\(boomShown.output)")
    #expect(boomShown.output.contains("kaboom: x"), "\(boomShown.output)")
  }

  /// Polls `flowscope traces list --json` until a trace whose root is `name` has `status`; returns
  /// its id.
  private func waitForTrace(
    named name: String, status: String, database: String, directory: String, peer: RunningServer
  ) async throws -> String {
    let deadline = ContinuousClock.now + .seconds(30)
    var last = ""
    while ContinuousClock.now < deadline {
      let listing = try await FlowscopeBinary.run(
        ["traces", "list", "--json", "--db", database], in: directory)
      last = listing.output
      if listing.status == 0, let page = try? JSONValue(parsing: listing.output),
        let trace = page["traces"]?.arrayValue?.first(where: {
          $0["name"]?.stringValue == name && $0["status"]?.stringValue == status
        }),
        let id = trace["traceId"]?.stringValue
      {
        return id
      }
      try await Task.sleep(for: .milliseconds(200))
    }
    throw HarnessError(
      description:
        "no \(status) trace of \(name) stored within 30 s; last listing:\n\(last)\npeer log:\n\(peer.process.logTail())"
    )
  }
}
