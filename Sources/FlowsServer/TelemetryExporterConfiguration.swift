import Foundation

/// Where and when `TelemetryExporter` sends spans.
public struct TelemetryExporterConfiguration: Sendable, Equatable {
  /// The telemetry server base URL (spans go to `<url>/api/traces`); nil until one is known.
  public var serverURL: String?
  /// True when `serverURL` came from `GENKIT_TELEMETRY_SERVER`: `/api/notify` then cannot change it.
  public var serverURLIsPinned: Bool
  /// Export spans when they start (with `endTime` 0) as well as when they end.
  public var realtime: Bool
  /// How long one POST may take before it is abandoned (and logged). After a POST that cannot
  /// reach the server, export pauses for 2 s (spans meanwhile are dropped and counted), so a
  /// dead server never holds up shutdown for more than about one timeout.
  public var requestTimeout: Duration

  /// A configuration.
  public init(
    serverURL: String? = nil, serverURLIsPinned: Bool = false, realtime: Bool = false,
    requestTimeout: Duration = .seconds(5)
  ) {
    self.serverURL = serverURL
    self.serverURLIsPinned = serverURLIsPinned
    self.realtime = realtime
    self.requestTimeout = requestTimeout
  }

  /// From the environment, as Genkit runtimes read it: `GENKIT_TELEMETRY_SERVER` (pinned when set)
  /// and `GENKIT_ENABLE_REALTIME_TELEMETRY=true`.
  public static func fromEnvironment(
    _ environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> TelemetryExporterConfiguration {
    let url = environment["GENKIT_TELEMETRY_SERVER"].flatMap { $0.isEmpty ? nil : $0 }
    return TelemetryExporterConfiguration(
      serverURL: url, serverURLIsPinned: url != nil,
      realtime: environment["GENKIT_ENABLE_REALTIME_TELEMETRY"] == "true")
  }
}
