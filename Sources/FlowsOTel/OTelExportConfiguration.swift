import Foundation
import Logging
import OTel

/// Where and how `OTelFlowExporter` sends spans: swift-otel's configuration plus Flowscope's span
/// options.
///
/// swift-otel applies the standard OpenTelemetry environment variables of the process on top of
/// `otel` when the backend is made, so a deployment can redirect the export without code changes:
///
/// | variable | effect |
/// |---|---|
/// | `OTEL_EXPORTER_OTLP_ENDPOINT` | collector base URL (`/v1/traces` is appended for HTTP); default `http://localhost:4318` |
/// | `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` | full URL for traces, used as-is |
/// | `OTEL_EXPORTER_OTLP_PROTOCOL` / `_TRACES_PROTOCOL` | `http/protobuf` (default), `http/json` or `grpc` |
/// | `OTEL_EXPORTER_OTLP_HEADERS`, `_TIMEOUT`, `_COMPRESSION`, `_CERTIFICATE`… | as in the OTel spec |
/// | `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` | the resource |
/// | `OTEL_TRACES_SAMPLER`, `OTEL_BSP_*` | sampling and batching |
/// | `OTEL_SDK_DISABLED=true` | no export (the exporter does nothing) |
///
/// `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT` / `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT` set
/// `spans.attributeValueLengthLimit` (see `fromEnvironment`).
public struct OTelExportConfiguration: Sendable {
  /// swift-otel's configuration. Only its resource, propagator, diagnostic logger and `traces`
  /// settings matter here (logs and metrics are off).
  public var otel: OTel.Configuration
  /// How spans are mapped.
  public var spans: OTelSpanOptions

  /// A configuration exporting traces only, to swift-otel's default OTLP/HTTP (protobuf)
  /// endpoint unless the environment says otherwise.
  ///
  /// - Parameters:
  ///   - serviceName: The `service.name` resource attribute (`OTEL_SERVICE_NAME` overrides it).
  ///   - spans: How spans are mapped.
  ///   - diagnosticLogger: Where swift-otel reports its own problems (failed exports); its console
  ///     logger on standard error by default.
  public init(serviceName: String? = nil, spans: OTelSpanOptions = OTelSpanOptions(), diagnosticLogger: Logger? = nil) {
    var otel = OTel.Configuration.default
    otel.logs.enabled = false
    otel.metrics.enabled = false
    if let serviceName { otel.serviceName = serviceName }
    if let diagnosticLogger { otel.diagnosticLogger = .custom(diagnosticLogger) }
    self.otel = otel
    self.spans = spans
  }

  /// A configuration for an OTLP/HTTP collector at `endpoint`, the full traces URL (such as
  /// `http://127.0.0.1:4318/v1/traces`), with `protocol` `.httpProtobuf` or `.httpJSON` (or `.grpc`
  /// with a gRPC endpoint such as `http://127.0.0.1:4317`). Environment variables still override it.
  public static func collector(
    endpoint: String, protocol: OTel.Configuration.OTLPExporterConfiguration.`Protocol` = .httpProtobuf,
    serviceName: String? = nil, spans: OTelSpanOptions = OTelSpanOptions(), diagnosticLogger: Logger? = nil
  ) -> OTelExportConfiguration {
    var configuration = OTelExportConfiguration(
      serviceName: serviceName, spans: spans, diagnosticLogger: diagnosticLogger)
    configuration.otel.traces.otlpExporter.endpoint = endpoint
    configuration.otel.traces.otlpExporter.protocol = `protocol`
    return configuration
  }

  /// The default configuration with span options from the environment (swift-otel reads the rest of
  /// it when the backend is made).
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> OTelExportConfiguration {
    OTelExportConfiguration(spans: .fromEnvironment(environment))
  }

  /// True when `OTEL_SDK_DISABLED` is `true` in `environment`, or traces are disabled in `otel`.
  func isDisabled(in environment: [String: String]) -> Bool {
    if !otel.traces.enabled { return true }
    return environment["OTEL_SDK_DISABLED"]?.trimmingCharacters(in: .whitespaces).lowercased() == "true"
  }
}
