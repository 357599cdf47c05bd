/// The Genkit type of a span: `genkit:type` and `genkit:metadata:subtype`.
public struct SpanKind: Sendable, Hashable {
  /// `genkit:type`: `action`, `flowStep`, `util`, …
  public var type: String
  /// `genkit:metadata:subtype` for actions: `flow`, `model`, `tool`, …
  public var subtype: String?

  public init(type: String, subtype: String? = nil) {
    self.type = type
    self.subtype = subtype
  }

  public static let flow = SpanKind(type: "action", subtype: "flow")
  public static let flowStep = SpanKind(type: "flowStep")
  public static let util = SpanKind(type: "util")
  public static let model = SpanKind(type: "action", subtype: "model")
  public static let tool = SpanKind(type: "action", subtype: "tool")

  /// An action span of the given action type.
  public static func action(_ actionType: String) -> SpanKind { SpanKind(type: "action", subtype: actionType) }

  /// The segment type used in `genkit:path`: `flow` for flows, otherwise the span type.
  var pathType: String { subtype == "flow" ? "flow" : type }
}
