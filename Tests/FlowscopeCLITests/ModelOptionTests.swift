import Foundation
import Testing

/// The AI sample flows through the CLI: the offline demo model always, the real local model server
/// when scripts/install-llm.sh has installed it.
@Suite(.serialized) struct ModelOptionTests {
  static var localModelInstalled: Bool {
    let directory =
      ProcessInfo.processInfo.environment["FLOWSCOPE_LLM_DIR"]
      ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/llm-server").path
    return FileManager.default.isExecutableFile(atPath: directory + "/bin/llama-server")
  }

  @Test func agentOnTheDemoModelShowsToolSpans() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let run = try cli.run(["run", "weatherAgent", #"{"city":"Oslo"}"#, "--stream"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("From getWeather: city Oslo"))
    let traceId = try #require(CLIHarness.traceId(in: run.stdout))
    let tree = try cli.run(["traces", "show", traceId]).stdout
    #expect(tree.contains("demo/assistant (model) ["))
    #expect(tree.contains("getWeather (tool) ["))
    #expect(tree.contains("searchRestaurants (tool) ["))
    #expect(tree.contains(#"Output: Tool Call: getWeather({"city":"Oslo"})"#))
  }

  @Test func unreachableServerIsUnavailable() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let run = try cli.run([
      "run", "chatFlow", #"{"message":"hi"}"#, "--model", "openai/none", "--base-url", "http://127.0.0.1:9/v1",
    ])
    #expect(run.status == 1)
    #expect(run.stderr.contains("Error: UNAVAILABLE: "))
    #expect(run.stderr.contains("127.0.0.1:9"))
  }

  @Test(.enabled(if: localModelInstalled, "the local model server is not installed (scripts/install-llm.sh)"))
  func agentOnTheLocalModelCallsRealTools() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let run = try cli.run(["run", "weatherAgent", #"{"city":"Paris"}"#, "--stream", "--model", "local"])
    #expect(run.status == 0, "\(run.stderr)")
    let traceId = try #require(CLIHarness.traceId(in: run.stdout))
    let json = try cli.run(["traces", "show", traceId, "--format", "json"]).stdout
    let trace = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    let spans = try #require(trace["spans"] as? [String: [String: Any]]).values
    let names = spans.compactMap { $0["displayName"] as? String }
    #expect(names.filter { $0 == "local/qwen" }.count >= 2, "a model call before and after the tool")
    let toolSpans = spans.filter {
      (($0["attributes"] as? [String: Any])?["genkit:metadata:subtype"] as? String) == "tool"
    }
    #expect(!toolSpans.isEmpty)
    let input = (toolSpans.first?["attributes"] as? [String: Any])?["genkit:input"] as? String ?? ""
    #expect(input.contains("city"))
  }
}
