import Foundation
import Testing

@Suite(.serialized) struct RunCommandTests {
  @Test func streamsChunksThenPrintsResultAndTraceId() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let result = try cli.run(["run", "jokeFlow", #"{"subject":"cats"}"#, "--stream"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let resultIndex = try #require(lines.firstIndex(of: "Result:"))
    #expect(lines[0].contains("cats"), "the streamed joke comes first")
    #expect(lines[resultIndex + 1].hasPrefix("\"") && lines[resultIndex + 1].contains("cats"))
    #expect(CLIHarness.traceId(in: result.stdout) != nil)
  }

  @Test func showPrintsTheTreeOfTheRun() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let run = try cli.run(["run", "menuFlow", #"{"theme":"pirate","courses":2}"#])
    let traceId = try #require(CLIHarness.traceId(in: run.stdout))
    let show = try cli.run(["traces", "show", traceId])
    #expect(show.status == 0, "\(show.stderr)")
    let tree = show.stdout
    #expect(tree.contains("menuFlow (flow) ["))
    #expect(tree.contains("├─ fetch-specials (flowStep) ["))
    #expect(tree.contains("priceFlow (flow) ["), "nested flow appears in the tree")
    #expect(tree.contains(#"Input: {"theme":"pirate","courses":2}"#))
    // What the step logged, under the step.
    let lines = tree.split(separator: "\n").map(String.init)
    let step = try #require(lines.firstIndex { $0.contains("choose-dishes (flowStep)") })
    let log = try #require(lines.firstIndex { $0.contains(#"INFO chose 2 of 3 specials  {"theme":"pirate"}"#) })
    #expect(log == step + 2 && lines[log].hasPrefix("│  ├─ Log: +"))
    #expect(!tree.contains("✖"))
    let prefix = try cli.run(["traces", "show", String(traceId.prefix(8)), "--format", "json"])
    let json = try JSONSerialization.jsonObject(with: Data(prefix.stdout.utf8)) as? [String: Any]
    #expect(json?["traceId"] as? String == traceId)
    #expect((json?["spans"] as? [String: Any])?.count == 11)
  }

  @Test func demoRunsTheSamplesAndPrintsTheirTreesWithTheirLogs() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let demo = try cli.run(["demo"])
    #expect(demo.status == 0, "\(demo.stderr)")
    #expect(demo.stdout.contains("▶ flowscope run jokeFlow"))
    #expect(
      demo.stdout.contains(#"Log: +"#) && demo.stdout.contains(#"INFO chose 2 of 3 specials  {"theme":"pirate"}"#))
    #expect(demo.stdout.contains(#"WARN payment gateway did not answer  {"attempt":"1","gateway":"127.0.0.1:4242"}"#))
    #expect(demo.stdout.contains("Error: UNAVAILABLE: payment gateway unreachable"))
  }

  @Test func recordedStreamIsShownAgain() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let run = try cli.run(["run", "jokeFlow", #"{"subject":"owls"}"#])
    let traceId = try #require(CLIHarness.traceId(in: run.stdout))
    let show = try cli.run(["traces", "show", traceId, "--chunks"])
    #expect(show.stdout.contains("[0] \"Why\"") || show.stdout.contains("[0] \""))
    let chunkLines = show.stdout.split(separator: "\n").filter { $0.hasPrefix("  [") }
    #expect(chunkLines.count > 5)
    #expect(chunkLines.last?.contains(".") == true)
  }

  @Test func badFieldTypeExitsNonZeroWithThePath() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let result = try cli.run(["run", "jokeFlow", #"{"subject": 3}"#])
    #expect(result.status == 1)
    #expect(result.stderr.contains("Error: INVALID_ARGUMENT: $.subject: expected string, got number"))
    #expect(result.stdout.isEmpty)
  }

  @Test func malformedJSONNamesLineAndColumn() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let result = try cli.run(["run", "jokeFlow", "{subject: 1}"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("INVALID_ARGUMENT: input is not valid JSON: invalid JSON at line 1, column 2"))
  }

  @Test func unknownFlowListsTheKnownOnes() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let result = try cli.run(["run", "nopeFlow", "{}"])
    #expect(result.status == 1)
    #expect(
      result.stderr.contains("NOT_FOUND: flow 'nopeFlow' not found (known flows: chatFlow, failingFlow, jokeFlow"))
  }

  @Test func failingFlowReportsStatusAndFailureSource() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let result = try cli.run(["run", "failingFlow", #"{"item":"tea","quantity":1}"#])
    #expect(result.status == 1)
    #expect(result.stderr.contains("Error: UNAVAILABLE: payment gateway unreachable"))
    let traceId = try #require(CLIHarness.traceId(in: result.stderr))
    let show = try cli.run(["traces", "show", traceId, "--format", "json"])
    let trace = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
    let spans = try #require(trace["spans"] as? [String: [String: Any]])
    let sources = spans.values.filter {
      (($0["attributes"] as? [String: Any])?["genkit:isFailureSource"] as? Bool) == true
    }
    #expect(sources.count == 1)
    #expect(sources.first?["displayName"] as? String == "charge-card")
    let tree = try cli.run(["traces", "show", traceId]).stdout
    #expect(tree.contains("failingFlow (flow) ["))
    #expect(tree.contains("charge-card (flowStep) ["))
    #expect(tree.contains("Error: UNAVAILABLE: payment gateway unreachable"))
  }

  @Test func timeoutCancelsAHangingFlowAndKeepsItsTrace() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let result = try cli.run(["run", "slowFlow", #"{"seconds":30}"#, "--timeout", "0.3"])
    #expect(result.status == 124)
    #expect(result.stderr.contains("DEADLINE_EXCEEDED: flow did not finish within 0.3 s"))
    let traceId = try #require(CLIHarness.traceId(in: result.stderr))
    let tree = try cli.run(["traces", "show", traceId]).stdout
    #expect(tree.contains("tick-1 (flowStep) ["))
    #expect(tree.contains("Error: CANCELLED: Action was cancelled"))
  }

  @Test func interruptCancelsTheRun() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let out = Pipe()
    let err = Pipe()
    let process = cli.process(
      ["run", "slowFlow", #"{"seconds":30}"#, "--stream", "--db", cli.database], stdout: out, stderr: err)
    try process.run()
    // Wait (bounded) until the first tick has streamed: the flow is running inside a step.
    var seen = ""
    let deadline = Date().addingTimeInterval(15)
    while !seen.contains("tick 1/30") && Date() < deadline {
      let data = out.fileHandleForReading.availableData
      if data.isEmpty { break }
      seen += String(decoding: data, as: UTF8.self)
    }
    #expect(seen.contains("tick 1/30"))
    kill(process.processIdentifier, SIGINT)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 130)
    #expect(stderr.contains("CANCELLED: interrupted"))
    let traceId = try #require(CLIHarness.traceId(in: stderr))
    let list = try cli.run(["traces", "list", "--status", "error"])
    #expect(list.stdout.contains(String(traceId.prefix(12))))
  }

  @Test func contextIsRecordedWithAuthRedacted() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let run = try cli.run([
      "run", "menuFlow", #"{"theme":"space"}"#, "--context", #"{"auth":{"uid":"u1"},"tenant":"acme"}"#,
    ])
    let traceId = try #require(CLIHarness.traceId(in: run.stdout))
    let json = try cli.run(["traces", "show", traceId, "--format", "json"]).stdout
    #expect(json.contains(#"genkit:metadata:context"#))
    #expect(json.contains(#"<redacted>"#))
    #expect(!json.contains("u1"))
    #expect(json.contains("acme"))
  }

  @Test func jsonOutputIsMachineReadable() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let ok = try cli.run(["run", "priceFlow", #"{"dish":"Grog"}"#, "--json"])
    let object = try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any]
    #expect(object?["result"] is Double)
    #expect((object?["traceId"] as? String)?.count == 32)
    let bad = try cli.run(["run", "priceFlow", #"{"dish":1}"#, "--json"])
    #expect(bad.status == 1)
    #expect(bad.stdout.contains(#""status":"INVALID_ARGUMENT""#))
  }
}
