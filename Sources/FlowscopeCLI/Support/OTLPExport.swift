import Flows
import ServiceLifecycle

#if OTLP
  import FlowsOTel
  import Logging
#endif

/// OTLP export for `flowscope serve`, in builds with the `OTLP` trait
/// (`swift build --traits OTLP`): on when `OTEL_EXPORTER_OTLP_ENDPOINT` or
/// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set and `OTEL_SDK_DISABLED` is not `true`.
enum OTLPExport {
  /// Whether this build can export over OTLP.
  static var isAvailable: Bool {
    #if OTLP
      return true
    #else
      return false
    #endif
  }

  /// Whether `environment` asks for OTLP export.
  static func isRequested(by environment: [String: String]) -> Bool {
    let endpoint = environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? environment["OTEL_EXPORTER_OTLP_ENDPOINT"]
    let disabled = environment["OTEL_SDK_DISABLED"]?.lowercased() == "true"
    return !(endpoint ?? "").isEmpty && !disabled
  }

  /// The exporter service for `runtime` when export is requested and available; a line for the
  /// user about what happens.
  static func service(for runtime: FlowRuntime, environment: [String: String]) throws -> (
    service: (any Service)?, note: String?
  ) {
    guard isRequested(by: environment) else { return (nil, nil) }
    #if OTLP
      // swift-otel reports each setting it read at info level: only its problems are of interest.
      var logger = Logger(label: "flowscope.otlp")
      logger.logLevel = .warning
      let configuration = OTelExportConfiguration(
        serviceName: "flowscope", spans: .fromEnvironment(environment), diagnosticLogger: logger)
      let exporter = try OTelFlowExporter(runtime: runtime, configuration: configuration, logger: logger)
      let endpoint =
        environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? environment["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? ""
      return (exporter, "OTLP export: spans go to \(endpoint)")
    #else
      return (
        nil,
        "warning: OTEL_EXPORTER_OTLP_ENDPOINT is set but this flowscope was built without OTLP export "
          + "(build with `swift build --traits OTLP`)"
      )
    #endif
  }
}
