import Foundation

/// A local `llama-server` and its models, as `scripts/install-llm.sh` lays them out:
/// `bin/llama-server`, `models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf`,
/// `models/smollm2-135m-instruct-q4_1.gguf`, and `chatml-json-tools.jinja`.
public struct LocalModelInstallation: Sendable, Hashable {
  /// File name of Qwen2.5-Coder-0.5B-Instruct (chat, streaming, tools, structured output).
  public static let toolModelFileName = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
  /// File name of SmolLM2-135M-Instruct (chat, streaming, structured output; never calls tools).
  public static let chatModelFileName = "smollm2-135m-instruct-q4_1.gguf"
  /// File name of the chat template that makes the small Qwen model call tools.
  public static let toolTemplateFileName = "chatml-json-tools.jinja"

  /// The installation directory.
  public var directory: String
  /// The `llama-server` executable.
  public var serverBinary: String
  /// The Qwen 0.5B model, when present.
  public var toolModel: String?
  /// The SmolLM2-135M model, when present.
  public var chatModel: String?
  /// The tool chat template (this repository's `scripts/llm/` copy, else the installed one).
  public var toolChatTemplate: String?

  /// An installation with these paths.
  public init(
    directory: String, serverBinary: String, toolModel: String?, chatModel: String?, toolChatTemplate: String?
  ) {
    self.directory = directory
    self.serverBinary = serverBinary
    self.toolModel = toolModel
    self.chatModel = chatModel
    self.toolChatTemplate = toolChatTemplate
  }

  /// True when tool calling can be tested: the Qwen model and the tool template are both present.
  public var supportsTools: Bool { toolModel != nil && toolChatTemplate != nil }

  /// The default installation directory: `$FLOWSCOPE_LLM_DIR`, else `~/.cache/llm-server`.
  public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let configured = environment["FLOWSCOPE_LLM_DIR"], !configured.isEmpty { return configured }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return home + "/.cache/llm-server"
  }

  /// The installation in `directory` (default: `defaultDirectory()`), or nil when it has no
  /// executable `bin/llama-server` or no model at all.
  public static func locate(
    in directory: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> LocalModelInstallation? {
    let root = directory ?? defaultDirectory(environment: environment)
    let files = FileManager.default
    let binary = root + "/bin/llama-server"
    guard files.isExecutableFile(atPath: binary) else { return nil }
    func existing(_ path: String) -> String? { files.fileExists(atPath: path) ? path : nil }
    let toolModel = existing(root + "/models/" + toolModelFileName)
    let chatModel = existing(root + "/models/" + chatModelFileName)
    guard toolModel != nil || chatModel != nil else { return nil }
    let template = repositoryTemplatePath().flatMap(existing) ?? existing(root + "/" + toolTemplateFileName)
    return LocalModelInstallation(
      directory: root, serverBinary: binary, toolModel: toolModel, chatModel: chatModel, toolChatTemplate: template)
  }

  /// `scripts/llm/chatml-json-tools.jinja` of the repository this file was built from, found
  /// next to the sources (nil when the sources are not around, e.g. in a deployed binary).
  static func repositoryTemplatePath(sourceFile: String = #filePath) -> String? {
    var url = URL(fileURLWithPath: sourceFile)
    // Sources/FlowsOpenAI/<file> → repository root.
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("scripts/llm/" + toolTemplateFileName).path
  }
}
