import ArgumentParser
import Flows

/// `flowscope flows`: the registered flows and their input schemas.
struct FlowsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "flows", abstract: "List the registered flows with their input schemas.")

  @Flag(name: .long, help: "Print the action descriptors as JSON, as Genkit's reflection API does.")
  var json = false

  func run() async throws {
    let environment = try await AppEnvironment.make(databasePath: nil, persist: false)
    let flows = environment.runtime.registry.actions(ofType: "flow")
    Console.out(json ? Self.jsonListing(flows) : Self.textListing(flows))
  }

  static func jsonListing(_ flows: [AnyAction]) -> String {
    JSONValue.object(JSONObject(flows.map { ($0.key, $0.descriptor.json) })).serialized(.prettyPrinted)
  }

  static func textListing(_ flows: [AnyAction]) -> String {
    guard !flows.isEmpty else { return "No flows are registered." }
    let nameWidth = flows.map(\.name.count).max() ?? 0
    var lines: [String] = []
    for flow in flows {
      let name = flow.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
      let marker = flow.descriptor.streams ? "⇣" : " "
      lines.append("\(name)  \(marker)  input \(SchemaSummary.describe(flow.descriptor.inputSchema))")
      if let description = flow.descriptor.description {
        lines.append(String(repeating: " ", count: nameWidth + 5) + description)
      }
    }
    lines.append("")
    lines.append("⇣ streams chunks. Run one with: flowscope run <flow> '<json input>' --stream")
    return lines.joined(separator: "\n")
  }
}
