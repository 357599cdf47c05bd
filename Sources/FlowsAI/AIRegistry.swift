import Flows
import Synchronization

/// The typed models and tools of one runtime (the JSON forms live in the runtime's action registry).
final class AIRegistry: Sendable {
  private let models = Mutex<[String: Model]>([:])
  private let tools = Mutex<[String: AnyTool]>([:])

  func register(_ model: Model) { models.withLock { $0[model.name] = model } }
  func register(_ tool: AnyTool) { tools.withLock { $0[tool.name] = tool } }
  func model(named name: String) -> Model? { models.withLock { $0[name] } }
  func tool(named name: String) -> AnyTool? { tools.withLock { $0[name] } }
  var modelNames: [String] { models.withLock { $0.keys.sorted() } }
  var toolNames: [String] { tools.withLock { $0.keys.sorted() } }
}

extension FlowRuntime {
  var aiRegistry: AIRegistry { extensions.value(for: AIRegistry.self) { AIRegistry() } }

  /// A registered tool by name.
  public func tool(named name: String) -> AnyTool? { aiRegistry.tool(named: name) }
}
