import Flows
import Foundation
import HTTPTypes
import Hummingbird

/// The OTLP/HTTP receiver of the telemetry API: OTLP/JSON trace exports are converted to Genkit
/// traces (`OTLPJSONTraceConverter`) and ingested like `POST /api/traces`; log exports are stored as
/// Genkit log records (`OTLPJSONLogConverter`).
extension TelemetryRoutes {
  /// Which OTLP path was posted to.
  enum OTLPEndpoint {
    /// `/api/otlp/v1/traces`: the body must be an `ExportTraceServiceRequest`.
    case traces
    /// `/api/otlp/v1/logs`: the body must be an `ExportLogsServiceRequest`.
    case logs
    /// `/api/otlp`: Genkit's catch-all; the trace and log records of a request are stored, metrics
    /// ignored.
    case any
  }

  /// `POST /api/otlp/v1/traces`, `POST /api/otlp/v1/logs` and `POST /api/otlp`.
  ///
  /// Answers OTLP's success body `{"partialSuccess": {}}` (with `rejectedSpans` and `errorMessage`
  /// when some spans were unusable), `{}` on `/api/otlp` for a request without traces (as Genkit's
  /// server), 400 for a body that is not OTLP/JSON (the message gives the line and column of a JSON
  /// syntax error), 413 when too large, and 415 for protobuf or compressed bodies, which this
  /// receiver does not decode.
  func ingestOTLP(_ request: Request, endpoint: OTLPEndpoint) async -> Response {
    if let refusal = Self.unsupportedOTLPEncoding(request) {
      _ = try? await request.body.collect(upTo: options.maxBodySize)
      return Self.failure(.invalidArgument, refusal, status: .unsupportedMediaType)
    }
    let body: JSONValue
    do {
      body = try await ReflectionHTTP.readJSON(request, limit: options.maxBodySize)
    } catch {
      return Self.failure(.invalidArgument, error.description, status: ReflectionHTTP.status(for: error))
    }
    let takesTraces: Bool
    let takesLogs: Bool
    switch endpoint {
    case .traces: (takesTraces, takesLogs) = (true, false)
    case .logs: (takesTraces, takesLogs) = (false, true)
    case .any where body.objectValue == nil:
      // Refused below, as on `/api/otlp/v1/traces`.
      (takesTraces, takesLogs) = (true, false)
    case .any:
      (takesTraces, takesLogs) = (OTLPJSONTraceConverter.containsTraces(body), OTLPJSONLogConverter.containsLogs(body))
      // Metrics, or anything else: acknowledged and ignored, as Genkit's server does.
      if !takesTraces, !takesLogs { return ReflectionHTTP.json([:]) }
    }
    var converted = OTLPJSONTraces()
    var logs: [JSONObject] = []
    do {
      if takesTraces { converted = try OTLPJSONTraceConverter.traces(from: body) }
      if takesLogs { logs = try OTLPJSONLogConverter.logs(from: body) }
    } catch {
      return Self.failure(.invalidArgument, error.description, status: .badRequest)
    }
    let ingest = TelemetryIngest(store: store, bus: bus)
    do {
      for trace in converted.traces { try ingest.ingest(trace) }
      for record in try store.saveLogs(logs) { bus.publish(.logReceived(record)) }
    } catch {
      return Self.failure(.internal, "\(error)", status: .internalServerError)
    }
    if endpoint == .any, !takesTraces { return ReflectionHTTP.json([:]) }
    var partialSuccess = JSONObject()
    if converted.rejectedSpans > 0 {
      partialSuccess["rejectedSpans"] = .string(String(converted.rejectedSpans))
      partialSuccess["errorMessage"] = .string(converted.rejectionMessages.joined(separator: "; "))
    }
    return ReflectionHTTP.json(["partialSuccess": .object(partialSuccess)])
  }

  /// Why the body cannot be read, for protobuf (`application/x-protobuf`, gRPC) or compressed
  /// (`Content-Encoding` other than identity) requests; nil for anything that may be JSON.
  static func unsupportedOTLPEncoding(_ request: Request) -> String? {
    let contentType = request.headers[.contentType] ?? ""
    let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    if mediaType.lowercased().contains("protobuf") || mediaType.lowercased().hasPrefix("application/grpc") {
      return
        "OTLP/protobuf is not supported (Content-Type '\(contentType)'): this receiver accepts OTLP/JSON only; "
        + "set OTEL_EXPORTER_OTLP_PROTOCOL=http/json (or OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json) in the "
        + "exporting process"
    }
    if let encoding = request.headers[.contentEncoding], !encoding.isEmpty, encoding.lowercased() != "identity" {
      return
        "compressed OTLP bodies are not supported (Content-Encoding '\(encoding)'); "
        + "set OTEL_EXPORTER_OTLP_COMPRESSION=none in the exporting process"
    }
    return nil
  }
}
