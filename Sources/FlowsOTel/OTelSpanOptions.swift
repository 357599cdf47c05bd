import Foundation

/// How Flowscope spans are written as OpenTelemetry spans.
public struct OTelSpanOptions: Sendable, Equatable {
  /// The longest string attribute value, in characters; longer values (large inputs and outputs,
  /// stacks) are cut to it. `nil`: no limit.
  public var attributeValueLengthLimit: Int?
  /// Write the recorded payloads: `genkit:input`, `genkit:output` and `genkit:metadata:context`.
  /// Turn off when inputs and outputs must not leave the process; the GenAI attributes (model,
  /// usage, finish reasons, tool names) are still written.
  public var recordsPayloads: Bool

  /// Options.
  public init(attributeValueLengthLimit: Int? = nil, recordsPayloads: Bool = true) {
    self.attributeValueLengthLimit = attributeValueLengthLimit
    self.recordsPayloads = recordsPayloads
  }

  /// The attributes left out when `recordsPayloads` is off.
  static let payloadAttributes: Set<String> = ["genkit:input", "genkit:output", "genkit:metadata:context"]

  /// Options from the standard OpenTelemetry SDK variables `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT`
  /// (or, when unset, `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`); payloads are recorded.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> OTelSpanOptions {
    func limit(_ key: String) -> Int? {
      environment[key].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0 >= 0 ? $0 : nil }
    }
    return OTelSpanOptions(
      attributeValueLengthLimit: limit("OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT")
        ?? limit("OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"))
  }
}
