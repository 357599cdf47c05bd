import Flows

/// An action a Genkit runtime registered, as `GET /api/actions` describes it.
///
/// The key is `/<type>/<name>`: `/flow/menu` is the flow `menu`, `/tool.v2/get_weather` a tool
/// (Genkit Python registers tools as `tool.v2`), `/model/googleai/gemini` the model
/// `googleai/gemini` (the name is everything after the type segment).
public struct RemoteAction: Sendable, Hashable, Identifiable {
  /// The registry key, for example `/flow/menu`.
  public var key: String
  /// The action type: the key's first segment (`flow`, `model`, `tool`, `tool.v2`, `util`, …).
  public var type: String
  /// The name: the rest of the key after the type (`a/b` for `/model/a/b`); the descriptor's
  /// `name` when the key has no second segment.
  public var name: String
  /// The description, or nil when the runtime sent none or an empty one.
  public var description: String?
  /// The input JSON Schema, when the action declares one.
  public var inputSchema: JSONValue?
  /// The output JSON Schema, when the action declares one.
  public var outputSchema: JSONValue?
  /// The action's metadata (model capabilities, `bidi`, …); empty when none was sent.
  public var metadata: JSONObject

  /// The key identifies the action within its runtime.
  public var id: String { key }

  /// An action with these fields; `type` and `name` come from the key.
  public init(
    key: String, description: String? = nil, inputSchema: JSONValue? = nil, outputSchema: JSONValue? = nil,
    metadata: JSONObject = JSONObject()
  ) {
    let parts = Self.split(key: key)
    self.key = key
    self.type = parts.type
    self.name = parts.name
    self.description = description
    self.inputSchema = inputSchema
    self.outputSchema = outputSchema
    self.metadata = metadata
  }

  /// Reads one entry of `GET /api/actions`, tolerating what runtimes leave out: a missing `key`
  /// uses `key` (the map's key), null members count as missing (Go sends every field), and the
  /// schemas fall back to `metadata.inputSchema` / `metadata.outputSchema` (Python also puts them
  /// there). A descriptor that is not an object gives an action with only its key.
  public init(key mapKey: String, descriptor: JSONValue) {
    func member(_ value: JSONValue?) -> JSONValue? { value.flatMap { $0.isNull ? nil : $0 } }
    let key = member(descriptor["key"])?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? mapKey
    let metadata = member(descriptor["metadata"])?.objectValue ?? JSONObject()
    let description = member(descriptor["description"])?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    self.init(
      key: key, description: description,
      inputSchema: member(descriptor["inputSchema"]) ?? member(metadata["inputSchema"]),
      outputSchema: member(descriptor["outputSchema"]) ?? member(metadata["outputSchema"]), metadata: metadata)
    if name.isEmpty, let declared = member(descriptor["name"])?.stringValue { name = declared }
  }

  /// The type and name of a key: `/flow/x` → (`flow`, `x`), `/model/a/b` → (`model`, `a/b`),
  /// `/util` → (`util`, ``). A missing leading slash is tolerated.
  public static func split(key: String) -> (type: String, name: String) {
    var rest = Substring(key)
    if rest.hasPrefix("/") { rest = rest.dropFirst() }
    guard let slash = rest.firstIndex(of: "/") else { return (String(rest), "") }
    return (String(rest[..<slash]), String(rest[rest.index(after: slash)...]))
  }
}
