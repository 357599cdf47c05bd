import Foundation
import Testing

@Suite(.serialized) struct TracesCommandTests {
  @Test func listFiltersByFlowAndStatus() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    _ = try cli.run(["run", "jokeFlow", #"{"subject":"cats"}"#])
    _ = try cli.run(["run", "failingFlow", #"{"item":"tea","quantity":1}"#])
    _ = try cli.run(["run", "menuFlow", #"{"theme":"pirate"}"#])
    let all = try cli.run(["traces", "list"])
    let rows = all.stdout.split(separator: "\n").dropFirst()
    #expect(rows.count == 3)
    #expect(rows.first?.contains("menuFlow") == true, "newest first")
    let errors = try cli.run(["traces", "list", "--status", "error"]).stdout
    #expect(errors.contains("failingFlow") && !errors.contains("jokeFlow"))
    let jokes = try cli.run(["traces", "list", "--flow", "jokeFlow"]).stdout
    #expect(jokes.contains("jokeFlow") && !jokes.contains("menuFlow"))
    let paged = try cli.run(["traces", "list", "--limit", "2"]).stdout
    #expect(paged.contains("More: flowscope traces list --continuation-token "))
  }

  @Test func exportThenImportIntoAnotherStore() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let run = try cli.run(["run", "menuFlow", #"{"theme":"pirate"}"#])
    let traceId = try #require(CLIHarness.traceId(in: run.stdout))
    let file = cli.directory.appendingPathComponent("export.json").path
    let export = try cli.run(["traces", "export", "-o", file])
    #expect(export.status == 0, "\(export.stderr)")
    let other = cli.directory.appendingPathComponent("other.sqlite").path
    let imported = try cli.run(["traces", "import", file, "--db", other], db: false)
    #expect(imported.stdout.contains("imported 1 trace"))
    let original = try cli.run(["traces", "show", traceId, "--format", "json"]).stdout
    let copy = try cli.run(["traces", "show", traceId, "--format", "json", "--db", other], db: false).stdout
    #expect(original == copy)
  }

  @Test func importRejectsInvalidJSONClearly() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let file = cli.directory.appendingPathComponent("broken.json")
    try Data(#"{"traceId": "#.utf8).write(to: file)
    let result = try cli.run(["traces", "import", file.path])
    #expect(result.status != 0)
    #expect(result.stderr.contains("is not valid JSON: invalid JSON at line 1"))
  }

  @Test func corruptDatabaseStillRunsFlowsButListingFailsClearly() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    try Data(repeating: 0x5A, count: 4096).write(to: URL(fileURLWithPath: cli.database))
    let run = try cli.run(["run", "priceFlow", #"{"dish":"Grog"}"#])
    #expect(run.status == 0)
    #expect(run.stderr.contains("warning: traces will not be saved"))
    #expect(run.stderr.contains(cli.database))
    let list = try cli.run(["traces", "list"])
    #expect(list.status != 0)
    #expect(list.stderr.contains(cli.database))
  }

  @Test func unknownTraceIdIsNotFound() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let result = try cli.run(["traces", "show", "0123456789abcdef0123456789abcdef"])
    #expect(result.status != 0)
    #expect(result.stderr.contains("NOT_FOUND: no trace with id 0123456789abcdef0123456789abcdef"))
  }

  @Test func flowsListsSchemas() throws {
    let cli = try CLIHarness()
    defer { cli.cleanUp() }
    let result = try cli.run(["flows"], db: false)
    #expect(result.stdout.contains("jokeFlow      ⇣  input {subject: string, count?: integer}"))
    #expect(
      result.stdout.contains("menuFlow         input {theme: string, courses?: integer}"),
      "non-streaming flows have no marker")
    #expect(result.stdout.contains("menuFlow"))
    let json = try cli.run(["flows", "--json"], db: false).stdout
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    let joke = object?["/flow/jokeFlow"] as? [String: Any]
    #expect(
      (joke?["inputSchema"] as? [String: Any])?["$schema"] as? String == "http://json-schema.org/draft-07/schema#")
  }
}
