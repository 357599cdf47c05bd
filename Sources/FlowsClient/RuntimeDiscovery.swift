import Flows
import Foundation

/// Finds running Genkit runtimes (JS, Go, Python, Swift) the way the Genkit CLI does: from the
/// runtime files they write under `<projectRoot>/.genkit/runtimes/`, health-checked over their
/// reflection API.
///
/// ```swift
/// let root = GenkitProjectRoot.find()
/// for runtime in await RuntimeDiscovery.liveRuntimes(projectRoot: root) {
///   print(runtime.id, runtime.reflectionServerUrl)
/// }
/// ```
public enum RuntimeDiscovery {
  /// Makes the client a runtime is health-checked with, from its reflection server URL.
  public typealias ClientFactory = @Sendable (_ reflectionServerURL: String) -> ReflectionClient

  /// `ReflectionClient(baseURL:)` with the default HTTP client.
  public static let defaultClientFactory: ClientFactory = { ReflectionClient(baseURL: $0) }

  /// `<projectRoot>/.genkit/runtimes`.
  public static func runtimesDirectory(projectRoot: String) -> URL {
    URL(fileURLWithPath: projectRoot, isDirectory: true).appendingPathComponent(".genkit/runtimes", isDirectory: true)
  }

  /// `<projectRoot>/.genkit/runtimes`.
  public static func runtimesDirectory(projectRoot: URL) -> URL {
    runtimesDirectory(projectRoot: projectRoot.path)
  }

  /// The runtime files under `projectRoot`, newest first; unreadable and malformed files are left
  /// out (`scan` reports them).
  public static func runtimeFiles(projectRoot: URL) -> [RuntimeInfo] {
    runtimeFiles(projectRoot: projectRoot.path)
  }

  /// The runtime files under `projectRoot`, newest first; unreadable and malformed files are left
  /// out (`scan` reports them).
  public static func runtimeFiles(projectRoot: String) -> [RuntimeInfo] {
    scan(projectRoot: projectRoot).runtimes
  }

  /// Reads every `*.json` file of `<projectRoot>/.genkit/runtimes` (see `scan(projectRoot:)` with a
  /// path).
  public static func scan(projectRoot: URL) -> RuntimeScan {
    scan(projectRoot: projectRoot.path)
  }

  /// Reads every `*.json` file of `<projectRoot>/.genkit/runtimes` (hidden files excepted).
  ///
  /// Runtimes are ordered newest first: by `timestamp`, then by the file's modification time, then
  /// by file name. A runtime without a `projectName` gets the project root's directory name. A
  /// missing directory gives an empty scan.
  public static func scan(projectRoot: String) -> RuntimeScan {
    let directory = runtimesDirectory(projectRoot: projectRoot)
    let files = FileManager.default
    var isDirectory: ObjCBool = false
    guard files.fileExists(atPath: directory.path, isDirectory: &isDirectory) else { return RuntimeScan() }
    guard isDirectory.boolValue else {
      return RuntimeScan(problems: [RuntimeFileProblem(fileURL: directory, reason: "not a directory")])
    }
    let names: [String]
    do {
      names = try files.contentsOfDirectory(atPath: directory.path)
    } catch {
      return RuntimeScan(
        problems: [RuntimeFileProblem(fileURL: directory, reason: "cannot list: \(error.localizedDescription)")])
    }
    let projectName = URL(fileURLWithPath: projectRoot, isDirectory: true).standardizedFileURL.lastPathComponent
    var found: [(info: RuntimeInfo, date: Date?, modified: Date?)] = []
    var problems: [RuntimeFileProblem] = []
    for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
      let url = directory.appendingPathComponent(name, isDirectory: false)
      switch read(url) {
      case .success(var info):
        if info.projectName?.isEmpty ?? true { info.projectName = projectName.isEmpty ? nil : projectName }
        let modified = (try? files.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
        found.append((info, info.date, modified))
      case .failure(let problem):
        problems.append(problem)
      }
    }
    found.sort { left, right in
      let leftDate = left.date ?? .distantPast
      let rightDate = right.date ?? .distantPast
      if leftDate != rightDate { return leftDate > rightDate }
      let leftModified = left.modified ?? .distantPast
      let rightModified = right.modified ?? .distantPast
      if leftModified != rightModified { return leftModified > rightModified }
      return (left.info.fileURL?.lastPathComponent ?? "") > (right.info.fileURL?.lastPathComponent ?? "")
    }
    return RuntimeScan(runtimes: found.map(\.info), problems: problems)
  }

  /// Reads one runtime file.
  static func read(_ url: URL) -> Result<RuntimeInfo, RuntimeFileProblem> {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      return .failure(RuntimeFileProblem(fileURL: url, reason: "cannot read: \(error.localizedDescription)"))
    }
    guard data.contains(where: { !ReflectionRunCall.isSpace($0) }) else {
      return .failure(RuntimeFileProblem(fileURL: url, reason: "empty (the runtime may still be writing it)"))
    }
    do {
      var info = try JSONDecoder().decode(RuntimeInfo.self, from: data)
      // The Genkit CLI's `isValidRuntimeInfo` needs these too.
      for (name, present) in [("pid", info.pid != nil), ("timestamp", info.timestamp != nil)] where !present {
        return .failure(RuntimeFileProblem(fileURL: url, reason: "missing \"\(name)\""))
      }
      info.fileURL = url
      return .success(info)
    } catch let error as DecodingError {
      return .failure(RuntimeFileProblem(fileURL: url, reason: describe(error)))
    } catch {
      return .failure(RuntimeFileProblem(fileURL: url, reason: "not a runtime file: \(error.localizedDescription)"))
    }
  }

  private static func describe(_ error: DecodingError) -> String {
    switch error {
    case .keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      return path.isEmpty ? "not a JSON object" : "\"\(path)\" has the wrong type"
    case .dataCorrupted(let context):
      if context.codingPath.isEmpty { return "not valid JSON" }
      return context.debugDescription
    @unknown default:
      return "not a runtime file"
    }
  }

  /// The runtimes under `projectRoot` that answer their health check (see
  /// `liveRuntimes(projectRoot:healthTimeout:makeClient:)` with a path).
  public static func liveRuntimes(
    projectRoot: URL, healthTimeout: Duration = .seconds(1), makeClient: @escaping ClientFactory = defaultClientFactory
  ) async -> [RuntimeInfo] {
    await liveRuntimes(projectRoot: projectRoot.path, healthTimeout: healthTimeout, makeClient: makeClient)
  }

  /// The runtimes under `projectRoot` whose reflection server answers `GET /api/__health?id=<id>`
  /// within `healthTimeout` (checked concurrently), newest first.
  public static func liveRuntimes(
    projectRoot: String, healthTimeout: Duration = .seconds(1),
    makeClient: @escaping ClientFactory = defaultClientFactory
  ) async -> [RuntimeInfo] {
    let runtimes = runtimeFiles(projectRoot: projectRoot)
    let live = await withTaskGroup(of: (Int, Bool).self) { group in
      for (index, runtime) in runtimes.enumerated() {
        group.addTask { (index, await isLive(runtime, healthTimeout: healthTimeout, makeClient: makeClient)) }
      }
      var live = Set<Int>()
      for await (index, answered) in group where answered { live.insert(index) }
      return live
    }
    return runtimes.enumerated().filter { live.contains($0.offset) }.map(\.element)
  }

  /// True when `runtime` answers its health check (with its id) within `healthTimeout`.
  public static func isLive(
    _ runtime: RuntimeInfo, healthTimeout: Duration = .seconds(1), makeClient: ClientFactory = defaultClientFactory
  ) async -> Bool {
    (try? await checkHealth(runtime, healthTimeout: healthTimeout, makeClient: makeClient)) != nil
  }

  /// Health-checks `runtime`, throwing why it failed.
  static func checkHealth(_ runtime: RuntimeInfo, healthTimeout: Duration, makeClient: ClientFactory) async throws {
    var client = makeClient(runtime.reflectionServerUrl)
    client.timeout = min(client.timeout, healthTimeout)
    try await client.health(id: runtime.id)
  }
}

/// What `RuntimeDiscovery.scan` found: the runtimes, and the files it could not use.
public struct RuntimeScan: Sendable, Equatable {
  /// The runtimes, newest first.
  public var runtimes: [RuntimeInfo]
  /// Files that could not be read or are not runtime files.
  public var problems: [RuntimeFileProblem]

  /// A scan result.
  public init(runtimes: [RuntimeInfo] = [], problems: [RuntimeFileProblem] = []) {
    self.runtimes = runtimes
    self.problems = problems
  }
}

/// A runtime file (or the runtimes directory) that could not be used, and why.
public struct RuntimeFileProblem: Error, Sendable, Equatable, CustomStringConvertible {
  /// The file.
  public var fileURL: URL
  /// Why it was skipped (`missing "pid"`, `not valid JSON`, …).
  public var reason: String

  /// A problem with this file.
  public init(fileURL: URL, reason: String) {
    self.fileURL = fileURL
    self.reason = reason
  }

  /// `<path>: <reason>`.
  public var description: String { "\(fileURL.path): \(reason)" }
}
