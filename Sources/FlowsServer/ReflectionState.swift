import Flows
import Foundation
import Logging
import Synchronization

/// What the reflection API of one runtime shares between requests: its runtime id, the runs in
/// progress (for `cancelAction`), the telemetry exporter that `/api/notify` configures, and the
/// answers to `/api/envs` and `/api/values`.
///
/// Pass one to `addReflectionAPI(runtime:state:)` to keep a handle on it; `ReflectionServer`
/// makes its own.
public final class ReflectionState: Sendable {
  /// Runs in progress, by trace id.
  public let activeRuns = ReflectionActiveRuns()
  /// Where spans are exported; `/api/notify` gives it the telemetry server URL.
  public let exporter: TelemetryExporter?
  /// The answer to `GET /api/envs`.
  public let environments: [String]
  /// Logs notify and run problems.
  public let logger: Logger

  let values: @Sendable (String) -> JSONObject
  let flushTraces: (@Sendable () async -> Void)?
  /// What `/api/__quitquitquit` does once it has answered.
  let quit: @Sendable () -> Void
  private let explicitRuntimeId: String?
  private let mutable: Mutex<MutableState>

  private struct MutableState {
    var port: Int?
    var notifiedTelemetryURL: String?
  }

  /// Makes the state of a runtime's reflection API.
  ///
  /// - Parameters:
  ///   - runtimeId: The runtime id checked by `/api/__health?id=`; by default `GENKIT_RUNTIME_ID`,
  ///     else `<pid>-<port>` once a server has a port (`<pid>` before).
  ///   - environments: The answer to `GET /api/envs`.
  ///   - exporter: The exporter `/api/notify` configures and `runAction` flushes before its result.
  ///   - values: The answer to `GET /api/values?type=` for `defaultModel` and `middleware`.
  ///   - flushTraces: Called before a run's result is written, after the exporter's flush (e.g. a
  ///     `TraceStoreWriter`'s `flush`), so the trace is stored when the caller sees the result.
  ///   - quit: What `/api/__quitquitquit` does after answering; by default a graceful shutdown of
  ///     the whole process, as Ctrl-C or `SIGTERM` would start it (`terminateProcess`).
  ///   - environment: Where `GENKIT_RUNTIME_ID` is read.
  ///   - logger: Where warnings go.
  public init(
    runtimeId: String? = nil, environments: [String] = ["dev"], exporter: TelemetryExporter? = nil,
    values: @escaping @Sendable (String) -> JSONObject = { _ in JSONObject() },
    flushTraces: (@Sendable () async -> Void)? = nil,
    quit: @escaping @Sendable () -> Void = ReflectionState.terminateProcess,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    logger: Logger = Logger(label: "flowscope.reflection")
  ) {
    self.quit = quit
    let fromEnvironment = environment["GENKIT_RUNTIME_ID"].flatMap { $0.isEmpty ? nil : $0 }
    self.explicitRuntimeId = runtimeId ?? fromEnvironment
    self.environments = environments
    self.exporter = exporter
    self.values = values
    self.flushTraces = flushTraces
    self.logger = logger
    self.mutable = Mutex(MutableState())
  }

  /// The runtime id: the explicit or `GENKIT_RUNTIME_ID` one, else `<pid>-<port>` (Genkit's form).
  public var runtimeId: String {
    if let explicitRuntimeId { return explicitRuntimeId }
    let pid = ProcessInfo.processInfo.processIdentifier
    guard let port = mutable.withLock({ $0.port }) else { return "\(pid)" }
    return "\(pid)-\(port)"
  }

  /// The port the reflection server listens on, once it does.
  public var port: Int? { mutable.withLock { $0.port } }

  /// Records the listening port (it becomes part of the default runtime id).
  public func setPort(_ port: Int) {
    mutable.withLock { $0.port = port }
  }

  /// The telemetry server URL in use: the exporter's, else the last one `/api/notify` sent.
  public var telemetryServerURL: String? {
    exporter?.serverURL ?? mutable.withLock { $0.notifiedTelemetryURL }
  }

  /// What `/api/notify` does: adopt the telemetry server URL (the exporter ignores it when
  /// `GENKIT_TELEMETRY_SERVER` is set) and warn when the CLI speaks another spec version.
  public func notify(telemetryServerURL: String?, reflectionApiSpecVersion: Int?) {
    if let telemetryServerURL {
      mutable.withLock { $0.notifiedTelemetryURL = telemetryServerURL }
      if let exporter, !exporter.adoptServerURL(telemetryServerURL) {
        logger.debug("keeping GENKIT_TELEMETRY_SERVER; ignoring notified \(telemetryServerURL)")
      }
    }
    let ours = ReflectionVersion.apiSpecVersion
    guard reflectionApiSpecVersion != ours else { return }
    if let theirs = reflectionApiSpecVersion, theirs > ours {
      logger.warning(
        "Genkit CLI is newer than this runtime (reflection API spec \(theirs), runtime speaks \(ours)); some features may not work"
      )
    } else {
      logger.warning("Genkit CLI version may be outdated; update genkit-cli to the latest version")
    }
  }

  /// Sends `SIGTERM` to this process: a service group with graceful shutdown on `SIGTERM` (as
  /// `flowscope serve` runs) finishes in-flight requests, flushes traces, removes the runtime file
  /// and exits.
  public static let terminateProcess: @Sendable () -> Void = {
    kill(getpid(), SIGTERM)
  }

  /// Exports and stores what the run produced so far, before its result is written.
  func flushBeforeResult() async {
    await exporter?.flush()
    await flushTraces?()
  }
}
