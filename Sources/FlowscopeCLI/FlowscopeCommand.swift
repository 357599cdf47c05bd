import ArgumentParser

/// `flowscope`: run, serve and debug flows.
public struct FlowscopeCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "flowscope",
    abstract: "Run Genkit-style flows and inspect their traces.",
    discussion: """
      Without a subcommand, opens the terminal debugger. The built-in sample flows (jokeFlow, menuFlow, \
      priceFlow, failingFlow, slowFlow, weatherAgent, chatFlow, recipeFlow) need no network. \
      Traces go to .flowscope/traces.sqlite in the current directory (override with --db or FLOWSCOPE_DB).
      """,
    subcommands: [
      DebugCommand.self, FlowsCommand.self, RunCommand.self, TracesCommand.self, DemoCommand.self, ServeCommand.self,
      AttachCommand.self, StartCommand.self,
    ],
    defaultSubcommand: DebugCommand.self
  )

  public init() {}

  /// Parses the process arguments and runs the chosen command (the executable's entry point).
  public static func start() async {
    let entry: () async -> Void = main
    await entry()
  }
}

/// Options shared by the commands that use the trace store.
struct StoreOptions: ParsableArguments {
  @Option(name: .long, help: "Path of the trace database (default: .flowscope/traces.sqlite, or $FLOWSCOPE_DB).")
  var db: String?
}
