import Flows
import FlowsClient
import FlowscopeTUI
import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A Genkit runtime (JS, Go, Python, or another Flowscope) attached over its reflection API: flows
/// from `GET /api/actions`, runs through `POST /api/runAction` (NDJSON stream), cancellation through
/// `POST /api/cancelAction`. Its spans reach `bus` through the debugger's telemetry listener.
///
/// The monitor health-checks the runtime every second. When it stops answering and the runtime
/// was discovered from `.genkit/runtimes`, a restarted runtime (a new file) is attached instead.
final class RemoteTarget: DebugTarget {
  /// The runtime in use and the client for it.
  struct Connection: Sendable {
    var runtime: RuntimeInfo
    var client: ReflectionClient
    var flows: [FlowEntry]
  }

  let bus: EventBus
  let initialFlows: [FlowEntry]
  /// Where spans should be exported (the debugger's telemetry listener).
  let telemetryURL: String
  /// Where to look for a restarted runtime (the project root and the working directory, where
  /// Python writes its runtime file); empty when attached to an explicit URL.
  let searchRoots: [URL]
  /// The log of the app `flowscope start` runs.
  let appLog: AsyncStream<[String]>?
  private let connection: Mutex<Connection>

  init(
    runtime: RuntimeInfo, client: ReflectionClient, flows: [FlowEntry], bus: EventBus, telemetryURL: String,
    searchRoots: [URL], appLog: AsyncStream<[String]>? = nil
  ) {
    self.bus = bus
    self.initialFlows = flows
    self.telemetryURL = telemetryURL
    self.searchRoots = searchRoots
    self.appLog = appLog
    connection = Mutex(Connection(runtime: runtime, client: client, flows: flows))
  }

  var current: Connection { connection.withLock { $0 } }

  var attachedRuntime: AttachedRuntime? { Self.describe(current.runtime) }

  /// `py/0.12.0 pid 4242` for the status bar.
  static func describe(_ runtime: RuntimeInfo, status: ConnectionStatus = .connected) -> AttachedRuntime {
    var name = runtime.genkitVersion ?? "genkit"
    if let pid = runtime.pid { name += " pid \(pid)" }
    return AttachedRuntime(name: name, url: runtime.reflectionServerUrl, status: status)
  }

  /// The flows among a runtime's actions, as the debugger lists them.
  static func flowEntries(_ actions: [RemoteAction]) -> [FlowEntry] {
    actions.filter { $0.type == "flow" }.map { action in
      let streams =
        action.metadata["streamSchema"] != nil || action.metadata["stream"]?.boolValue == true
        || action.metadata["streaming"]?.boolValue == true
      return FlowEntry(
        name: action.name, key: action.key, description: action.description.flatMap { $0.isEmpty ? nil : $0 },
        inputSchema: action.inputSchema, outputSchema: action.outputSchema, streams: streams)
    }
  }

  /// Tells the runtime where to export its spans and reads its flows.
  static func prepare(client: ReflectionClient, telemetryURL: String) async throws -> [FlowEntry] {
    // Older runtimes and Python ignore /api/notify (they read GENKIT_TELEMETRY_SERVER at start):
    // that is not an error.
    try? await client.notify(telemetryServerURL: telemetryURL)
    return flowEntries(try await client.actions())
  }

  // MARK: - DebugTarget

  func run(flow: String, input: JSONValue, observer: RunObserver) async throws -> TargetRunResult {
    let connection = current
    guard let entry = connection.flows.first(where: { $0.name == flow }) else {
      throw FlowError(.notFound, "Flow \(flow) is not offered by \(Self.describe(connection.runtime).name)")
    }
    let result = try await connection.client.runAction(
      key: entry.key, input: input,
      onTraceStarted: { traceId, _ in observer.traceStarted(traceId) },
      onChunk: { chunk in observer.chunk(chunk, Date().timeIntervalSince1970 * 1000) })
    return TargetRunResult(traceId: result.traceId, result: result.result)
  }

  func cancel(traceId: String) async -> Bool {
    (try? await current.client.cancelAction(traceId: traceId)) ?? false
  }

  func monitor(_ report: @escaping @Sendable (TargetChange) -> Void) async {
    await withTaskGroup(of: Void.self) { group in
      if let appLog {
        group.addTask {
          for await lines in appLog { report(.log(lines)) }
        }
      }
      group.addTask { await self.watchConnection(report) }
      await group.waitForAll()
    }
  }

  // MARK: - Watching the runtime

  private func watchConnection(_ report: @escaping @Sendable (TargetChange) -> Void) async {
    var failures = 0
    var lastFlowCheck = ContinuousClock.now
    while !Task.isCancelled {
      try? await Task.sleep(for: .seconds(1))
      if Task.isCancelled { return }
      let connection = current
      do {
        try await connection.client.health(id: connection.runtime.id)
        if failures > 0 {
          failures = 0
          report(.status(.connected))
          await refresh(connection, report, renotify: true)
          lastFlowCheck = .now
        } else if ContinuousClock.now - lastFlowCheck > .seconds(10) {
          await refresh(connection, report, renotify: false)
          lastFlowCheck = .now
        }
      } catch {
        failures += 1
        if await switchToRestartedRuntime(report) {
          failures = 0
          continue
        }
        let gone = failures >= 5 || Self.processEnded(connection.runtime.pid)
        report(.status(gone ? .gone : .reconnecting(attempt: failures)))
      }
    }
  }

  /// Reloads the flows (reported when they changed) and, after a reconnection, tells the runtime
  /// again where to export.
  private func refresh(
    _ connection: Connection, _ report: @escaping @Sendable (TargetChange) -> Void, renotify: Bool
  ) async {
    if renotify { try? await connection.client.notify(telemetryServerURL: telemetryURL) }
    guard let actions = try? await connection.client.actions() else { return }
    let flows = Self.flowEntries(actions)
    let changed = self.connection.withLock { state in
      guard state.flows != flows else { return false }
      state.flows = flows
      return true
    }
    if changed { report(.flows(flows)) }
  }

  /// A runtime discovered from `.genkit/runtimes` that went away may have restarted (a file
  /// watcher, `genkit start`): attach to the newest live runtime of the project instead.
  private func switchToRestartedRuntime(_ report: @escaping @Sendable (TargetChange) -> Void) async -> Bool {
    guard !searchRoots.isEmpty else { return false }
    let old = current.runtime
    let live = await Self.liveRuntimes(in: searchRoots)
    guard let replacement = live.first(where: { $0.reflectionServerUrl != old.reflectionServerUrl || $0.id != old.id })
    else { return false }
    let client = ReflectionClient(baseURL: replacement.reflectionServerUrl)
    guard let flows = try? await Self.prepare(client: client, telemetryURL: telemetryURL) else { return false }
    connection.withLock { $0 = Connection(runtime: replacement, client: client, flows: flows) }
    report(.runtime(Self.describe(replacement)))
    report(.status(.connected))
    report(.flows(flows))
    return true
  }

  /// The live runtimes registered under any of `roots`, newest first, each once.
  static func liveRuntimes(in roots: [URL]) async -> [RuntimeInfo] {
    var seen = Set<String>()
    var runtimes: [RuntimeInfo] = []
    for root in roots {
      for runtime in await RuntimeDiscovery.liveRuntimes(projectRoot: root)
      where seen.insert(runtime.reflectionServerUrl).inserted {
        runtimes.append(runtime)
      }
    }
    return runtimes.sorted { ($0.date ?? .distantPast) > ($1.date ?? .distantPast) }
  }

  /// The project root (the `genkit` CLI's rule) and the working directory when it differs: Python
  /// writes its runtime file under the directory it runs in.
  static func searchRoots(workingDirectory: String = FileManager.default.currentDirectoryPath) -> [URL] {
    let root = URL(fileURLWithPath: GenkitProjectRoot.find(from: workingDirectory)).standardizedFileURL
    let here = URL(fileURLWithPath: workingDirectory).standardizedFileURL
    return root.path == here.path ? [root] : [root, here]
  }

  /// True when the runtime's process is known and no longer exists.
  static func processEnded(_ pid: Int32?) -> Bool {
    guard let pid, pid > 0 else { return false }
    return kill(pid, 0) == -1 && errno == ESRCH
  }
}
