/// The GenAI provider of a Genkit model name (`provider/model`, as plugins register them).
public enum GenAIProvider {
  /// The provider used for model names without a `provider/` prefix.
  public static let fallback = "flowscope"

  /// Genkit plugin names with a well-known `gen_ai.provider.name` value of the semantic conventions.
  /// Any other prefix is used as-is.
  public static let wellKnown: [String: String] = [
    "googleai": "gcp.gemini",
    "google-genai": "gcp.gemini",
    "vertexai": "gcp.vertex_ai",
    "openai": "openai",
    "anthropic": "anthropic",
    "mistral": "mistral_ai",
    "mistralai": "mistral_ai",
    "groq": "groq",
    "deepseek": "deepseek",
    "xai": "x_ai",
    "cohere": "cohere",
    "perplexity": "perplexity",
    "bedrock": "aws.bedrock",
    "awsbedrock": "aws.bedrock",
    "aws-bedrock": "aws.bedrock",
    "azureopenai": "azure.ai.openai",
    "azure-openai": "azure.ai.openai",
    "watsonx": "ibm.watsonx.ai",
  ]

  /// Splits `provider/model` into the provider (mapped through `wellKnown`) and the model; a name
  /// without a prefix belongs to `fallback`.
  public static func split(modelName name: String) -> (provider: String, model: String) {
    guard let slash = name.firstIndex(of: "/"), slash != name.startIndex else { return (fallback, name) }
    let prefix = String(name[..<slash])
    let model = String(name[name.index(after: slash)...])
    return (wellKnown[prefix.lowercased()] ?? prefix, model.isEmpty ? name : model)
  }
}
