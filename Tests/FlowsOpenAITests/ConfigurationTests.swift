import Flows
import FlowsAI
import FlowsOpenAI
import FlowsTestSupport
import Testing

@Suite("Configuration")
struct ConfigurationTests {
  @Test func defaults() {
    let configuration = OpenAICompatibleConfiguration(baseURL: "http://127.0.0.1:8080/v1", model: "qwen")
    #expect(configuration.apiKey == nil)
    #expect(configuration.timeout == .seconds(120))
    #expect(configuration.extraHeaders.isEmpty)
    #expect(configuration.responseFormat == .jsonSchema)
    #expect(configuration.includeUsageInStream)
  }

  @Test func fromEnvironmentUsesTheEnvironment() {
    let configuration = OpenAICompatibleConfiguration.fromEnvironment(
      model: "gpt-4o-mini", environment: ["OPENAI_BASE_URL": "http://127.0.0.1:9999/v1", "OPENAI_API_KEY": "sk-env"])
    #expect(configuration.baseURL == "http://127.0.0.1:9999/v1")
    #expect(configuration.apiKey == "sk-env")
    #expect(configuration.model == "gpt-4o-mini")
  }

  @Test func fromEnvironmentDefaultsAndArgumentsWin() {
    let empty = OpenAICompatibleConfiguration.fromEnvironment(model: "m", environment: ["OPENAI_API_KEY": ""])
    #expect(empty.baseURL == "https://api.openai.com/v1")
    #expect(empty.apiKey == nil)
    let explicit = OpenAICompatibleConfiguration.fromEnvironment(
      model: "m", baseURL: "http://127.0.0.1:1/v1", apiKey: "sk-arg",
      environment: ["OPENAI_BASE_URL": "http://ignored/v1", "OPENAI_API_KEY": "sk-env"])
    #expect(explicit.baseURL == "http://127.0.0.1:1/v1")
    #expect(explicit.apiKey == "sk-arg")
  }

  @Test func registersUnderOpenAIName() throws {
    let runtime = FlowRuntime()
    let configuration = OpenAICompatibleConfiguration(baseURL: "http://127.0.0.1:1/v1", model: "qwen")
    let model = runtime.defineOpenAICompatibleModel(configuration: configuration)
    #expect(model.name == "openai/qwen")
    #expect(try runtime.model(named: "openai/qwen").name == "openai/qwen")
    #expect(model.info.label?.contains("qwen") == true)
    let custom = runtime.defineOpenAICompatibleModel(name: "local/tiny", configuration: configuration)
    #expect(custom.key == "/model/local/tiny")
  }
}
