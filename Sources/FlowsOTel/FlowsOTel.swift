import Flows
import Logging

/// OTLP export of Flowscope spans through swift-otel (an opt-in product: the core products do not
/// depend on swift-otel).
///
/// - `OTelFlowExporter`: the service that sends a runtime's spans to an OpenTelemetry collector.
/// - `OTelExportConfiguration`, `OTelSpanOptions`: where to, and how spans are mapped.
/// - `GenAIAttributes`: the OpenTelemetry GenAI semantic-convention attributes of model and tool spans.
public enum FlowsOTel {
  /// An exporter of `runtime`'s spans, configured from `configuration` and the OTel environment
  /// variables; run the returned service in a `ServiceGroup`. The same as
  /// `OTelFlowExporter(runtime:configuration:logger:)`.
  public static func makeExportService(
    runtime: FlowRuntime, configuration: OTelExportConfiguration = .fromEnvironment(),
    logger: Logger = Logger(label: "flowscope.otel")
  ) throws -> OTelFlowExporter {
    try OTelFlowExporter(runtime: runtime, configuration: configuration, logger: logger)
  }
}
