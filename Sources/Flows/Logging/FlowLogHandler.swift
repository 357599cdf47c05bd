import Logging

/// A swift-log handler that keeps the messages logged inside a traced run as log records of the
/// span they were logged in (`SpanLogRecord`): the trace store saves them with the trace and the
/// debugger shows them in the span inspector. Every message is also passed on to `forwardingTo`
/// (a `StreamLogHandler`, say), inside a run or not.
///
/// ```swift
/// LoggingSystem.bootstrap { FlowLogHandler(label: $0, forwardingTo: StreamLogHandler.standardError(label: $0)) }
/// let logger = Logger(label: "menu")
/// runtime.defineFlow("menuFlow") { (theme: String) in
///   logger.info("choosing dishes", metadata: ["theme": "\(theme)"])   // a record of the flow's span
///   …
/// }
/// ```
///
/// Levels map to OpenTelemetry severities (trace 1, debug 5, info 9, notice 10, warning 13,
/// error 17, critical 21); metadata (the handler's, then the message's) become the record's
/// attributes, and the label its `instrumentationLibrary.name`.
public struct FlowLogHandler: LogHandler {
  /// The least severe level kept in traces.
  public var traceLevel: Logger.Level
  /// Metadata added to every message.
  public var metadata: Logger.Metadata = [:]
  public var metadataProvider: Logger.MetadataProvider?
  private let label: String
  private var forward: (any LogHandler)?

  /// A handler for the logger `label`, keeping messages from `traceLevel` up in traces and
  /// passing every message to `forward` (which filters by its own level).
  public init(label: String, traceLevel: Logger.Level = .info, forwardingTo forward: (any LogHandler)? = nil) {
    self.label = label
    self.traceLevel = traceLevel
    self.forward = forward
    self.metadataProvider = LoggingSystem.metadataProvider
  }

  /// The least severe level either kept in traces or forwarded; setting it sets both.
  public var logLevel: Logger.Level {
    get { min(traceLevel, forward?.logLevel ?? traceLevel) }
    set {
      traceLevel = newValue
      forward?.logLevel = newValue
    }
  }

  public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  public func log(event: LogEvent) {
    if event.level >= traceLevel {
      var merged = self.metadata
      if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
      if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
      var attributes = Self.object(merged)
      if let error = event.error { attributes["exception.message"] = .string(String(describing: error)) }
      SpanLogRecord.record(
        Self.severity(event.level), .string(event.message.description), attributes: attributes, logger: label)
    }
    if let forward, event.level >= forward.logLevel { forward.log(event: event) }
  }

  static func severity(_ level: Logger.Level) -> SpanLogRecord.Severity {
    switch level {
    case .trace: return .trace
    case .debug: return .debug
    case .info: return .info
    case .notice: return .notice
    case .warning: return .warn
    case .error: return .error
    case .critical: return .fatal
    }
  }

  /// Metadata as a JSON object, keys sorted.
  static func object(_ metadata: Logger.Metadata) -> JSONObject {
    var object = JSONObject(minimumCapacity: metadata.count + 1)
    for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { object[key] = json(value) }
    return object
  }

  static func json(_ value: Logger.Metadata.Value) -> JSONValue {
    switch value {
    case .string(let text): return .string(text)
    case .stringConvertible(let convertible): return .string(convertible.description)
    case .array(let items): return .array(items.map(json))
    case .dictionary(let entries): return .object(object(entries))
    }
  }
}
