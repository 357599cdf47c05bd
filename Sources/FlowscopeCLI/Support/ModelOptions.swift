import ArgumentParser
import Flows
import FlowsAI
import FlowsOpenAI
import Foundation

/// `--model`, `--base-url`, `--api-key`: which model the AI sample flows use.
struct ModelOptions: ParsableArguments {
  @Option(
    name: .long,
    help: """
      Model for the AI sample flows: demo (offline, default), local (starts the installed llama-server; \
      see scripts/install-llm.sh), or openai/<model> for any OpenAI-compatible server ($FLOWSCOPE_MODEL).
      """)
  var model: String?

  @Option(
    name: .long, help: "Base URL of the OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 ($OPENAI_BASE_URL).")
  var baseURL: String?

  @Option(name: .long, help: "API key for the server ($OPENAI_API_KEY).")
  var apiKey: String?

  /// The choice, with `FLOWSCOPE_MODEL` as the fallback.
  var choice: String {
    let value = model ?? ProcessInfo.processInfo.environment["FLOWSCOPE_MODEL"] ?? "demo"
    return value.isEmpty ? "demo" : value
  }
}

/// The model the AI flows use, and the local server to stop afterwards (for `--model local`).
struct ModelSetup {
  let name: String
  let localServer: LocalModelServer?

  /// Registers the chosen model in `runtime` (starting a local server when asked) and returns its name.
  static func prepare(_ options: ModelOptions, in runtime: FlowRuntime) async throws -> ModelSetup {
    let choice = options.choice
    switch choice {
    case "demo", DemoModel.name:
      return ModelSetup(name: DemoModel.name, localServer: nil)
    case "local":
      guard let installation = LocalModelServer.locateInstallation(), let model = installation.toolModel else {
        throw CLIFailure(
          message: """
            FAILED_PRECONDITION: no local model installation in \(LocalModelInstallation.defaultDirectory()) \
            (run scripts/install-llm.sh, or set FLOWSCOPE_LLM_DIR)
            """)
      }
      Console.error("starting llama-server (\(URL(fileURLWithPath: model).lastPathComponent))…")
      let server = try await LocalModelServer.start(
        installation, model: model, alias: "qwen", chatTemplateFile: installation.toolChatTemplate)
      let registered = runtime.defineOpenAICompatibleModel(name: "local/qwen", configuration: server.configuration())
      return ModelSetup(name: registered.name, localServer: server)
    default:
      let modelId = choice.hasPrefix("openai/") ? String(choice.dropFirst("openai/".count)) : choice
      guard !modelId.isEmpty else {
        throw CLIFailure(message: "INVALID_ARGUMENT: --model openai/<model> needs a model name")
      }
      let configuration = OpenAICompatibleConfiguration.fromEnvironment(
        model: modelId, baseURL: options.baseURL, apiKey: options.apiKey)
      let registered = runtime.defineOpenAICompatibleModel(name: "openai/" + modelId, configuration: configuration)
      return ModelSetup(name: registered.name, localServer: nil)
    }
  }

  func stop() { localServer?.stop() }
}
