import Flows
import FlowsServer
import FlowsTestSupport
import Foundation
import Testing

@testable import FlowsClient

/// Finding runtimes from `.genkit/runtimes/*.json`: reading, ordering, health checks, waiting.
@Suite("Runtime discovery")
struct RuntimeDiscoveryTests {
  typealias Fixtures = ReflectionFixtures

  /// A temporary project root, removed after `body`.
  func withProject<T>(_ body: (String) async throws -> T) async throws -> T {
    let root = try Fixtures.makeDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    try FileManager.default.createDirectory(
      at: RuntimeDiscovery.runtimesDirectory(projectRoot: root), withIntermediateDirectories: true)
    return try await body(root)
  }

  /// Writes `<root>/.genkit/runtimes/<name>` with `text`, optionally with a modification date.
  @discardableResult
  func write(_ text: String, _ name: String, in root: String, modified: Date? = nil) throws -> URL {
    let url = RuntimeDiscovery.runtimesDirectory(projectRoot: root).appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    if let modified { try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path) }
    return url
  }

  /// A runtime file's JSON.
  func runtimeJSON(id: String, pid: Int32 = 999_999, url: String = "http://127.0.0.1:1", timestamp: String) -> String {
    #"{"id":"\#(id)","pid":\#(pid),"reflectionServerUrl":"\#(url)","timestamp":"\#(timestamp)","genkitVersion":"nodejs/1.41.0","reflectionApiSpecVersion":1}"#
  }

  @Test func scanReadsOrdersNewestFirstAndReportsProblems() async throws {
    try await withProject { root in
      try write(runtimeJSON(id: "js", timestamp: "2026-01-01T10:00:00.000Z"), "1-3100-1.json", in: root)
      try write(runtimeJSON(id: "go", timestamp: "2026-01-01T11_00_00.123456789Z"), "2-3101-2.json", in: root)
      try write(
        #"{"reflectionApiSpecVersion": 1, "id": "py", "pid": 3, "genkitVersion": "py/0.12.0", "reflectionServerUrl": "http://127.0.0.1:55545", "timestamp": "2026-01-01T12:00:00.918535+00:00"}"#,
        "3-55545-3.json", in: root)
      try write("{not json", "bad.json", in: root)
      try write(#"{"id":"x","reflectionServerUrl":"u","timestamp":"t"}"#, "nopid.json", in: root)
      try write("", "empty.json", in: root)
      try write("[1]", "array.json", in: root)
      try write(runtimeJSON(id: "hidden", timestamp: "2030-01-01T00:00:00Z"), ".hidden.json", in: root)
      try write("notes", "notes.txt", in: root)

      let scan = RuntimeDiscovery.scan(projectRoot: root)
      #expect(scan.runtimes.map(\.id) == ["py", "go", "js"])
      let python = try #require(scan.runtimes.first)
      #expect(python.pid == 3)
      #expect(python.genkitVersion == "py/0.12.0")
      #expect(python.reflectionServerUrl == "http://127.0.0.1:55545")
      #expect(python.projectName == URL(fileURLWithPath: root).lastPathComponent)
      #expect(python.fileURL?.lastPathComponent == "3-55545-3.json")
      let problems = Dictionary(uniqueKeysWithValues: scan.problems.map { ($0.fileURL.lastPathComponent, $0.reason) })
      #expect(problems.keys.sorted() == ["array.json", "bad.json", "empty.json", "nopid.json"])
      #expect(problems["bad.json"] == "not valid JSON")
      #expect(problems["nopid.json"] == "missing \"pid\"")
      #expect(problems["empty.json"]?.hasPrefix("empty") == true)
      #expect(RuntimeDiscovery.runtimeFiles(projectRoot: root).map(\.id) == ["py", "go", "js"])
    }
  }

  @Test func equalTimestampsAreOrderedByModificationTime() async throws {
    try await withProject { root in
      let stamp = "2026-01-01T10:00:00.000Z"
      try write(
        runtimeJSON(id: "older", timestamp: stamp), "a.json", in: root, modified: Date(timeIntervalSince1970: 1000))
      try write(
        runtimeJSON(id: "newer", timestamp: stamp), "b.json", in: root, modified: Date(timeIntervalSince1970: 2000))
      try write(runtimeJSON(id: "undated", timestamp: "yesterday"), "c.json", in: root)
      #expect(RuntimeDiscovery.runtimeFiles(projectRoot: root).map(\.id) == ["newer", "older", "undated"])
    }
  }

  @Test func aMissingDirectoryHasNoRuntimes() throws {
    let root = try Fixtures.makeDirectory()
    defer { try? FileManager.default.removeItem(atPath: root) }
    #expect(RuntimeDiscovery.scan(projectRoot: root) == RuntimeScan())
  }

  @Test func liveRuntimesDropStaleAndForeignFiles() async throws {
    try await withProject { root in
      let deadURL = "http://127.0.0.1:\(try Fixtures.closedPort())"
      try write(runtimeJSON(id: "stale", url: deadURL, timestamp: "2099-01-01T00:00:00Z"), "stale.json", in: root)
      try await Fixtures.withServer(Fixtures.runtime(), projectRoot: root) { server, base in
        // Another runtime's file that points at this server: its id does not match.
        try write(runtimeJSON(id: "impostor", url: base, timestamp: "2098-01-01T00:00:00Z"), "impostor.json", in: root)
        let all = RuntimeDiscovery.runtimeFiles(projectRoot: root)
        #expect(all.map(\.id) == ["stale", "impostor", server.state.runtimeId])
        let started = ContinuousClock.now
        let live = await RuntimeDiscovery.liveRuntimes(projectRoot: root, healthTimeout: .seconds(2))
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(live.map(\.id) == [server.state.runtimeId])
        let ours = try #require(live.first)
        #expect(ours.reflectionServerUrl == base)
        #expect(ours.pid == ProcessInfo.processInfo.processIdentifier)
        #expect(ours.genkitVersion == ReflectionVersion.genkitVersion)
        #expect(await RuntimeDiscovery.isLive(ours))
      }
    }
  }

  @Test func waitForRuntimeReturnsTheRuntimeThatRegistersLater() async throws {
    try await withProject { root in
      let deadURL = "http://127.0.0.1:\(try Fixtures.closedPort())"
      let pid = ProcessInfo.processInfo.processIdentifier
      // A stale file of this very pid (a previous run) that no longer answers.
      try write(runtimeJSON(id: "old", pid: pid, url: deadURL, timestamp: "2026-01-01T00:00:00Z"), "old.json", in: root)
      let since = Date()
      let waiting = Task {
        try await RuntimeDiscovery.waitForRuntime(projectRoot: root, newerThan: since, pid: pid, timeout: .seconds(30))
      }
      try await Task.sleep(for: .milliseconds(300))
      try await Fixtures.withServer(Fixtures.runtime(), projectRoot: root) { server, base in
        let found = try await withSafetyLimit(.seconds(30)) { try await waiting.value }
        #expect(found.id == server.state.runtimeId)
        #expect(found.reflectionServerUrl == base)
        #expect(found.fileURL?.path == server.runtimeFilePath)
      }
    }
  }

  @Test func waitForRuntimeTakesANewRuntimeOfAnotherProcessWithoutAPidMatch() async throws {
    try await withProject { root in
      let since = Date()
      try await Fixtures.withServer(Fixtures.runtime(), projectRoot: root) { server, _ in
        let found = try await RuntimeDiscovery.waitForRuntime(
          projectRoots: [root, root + "/"], newerThan: since, pid: 1, timeout: .seconds(10))
        #expect(found.id == server.state.runtimeId)
      }
    }
  }

  @Test func waitForRuntimeTimesOutSayingWhatItSaw() async throws {
    try await withProject { root in
      let since = Date()
      let deadURL = "http://127.0.0.1:\(try Fixtures.closedPort())"
      try write(runtimeJSON(id: "dead", url: deadURL, timestamp: "2099-01-01T00:00:00Z"), "dead.json", in: root)
      try write("{", "broken.json", in: root)
      let error = try await requireFlowError {
        try await RuntimeDiscovery.waitForRuntime(projectRoot: root, newerThan: since, timeout: .milliseconds(400))
      }
      #expect(error.status == .deadlineExceeded)
      #expect(error.message.contains(".genkit/runtimes"), "\(error.message)")
      #expect(error.message.contains("dead.json did not answer"), "\(error.message)")
      #expect(error.message.contains("connection refused"), "\(error.message)")
      #expect(error.message.contains("broken.json: not valid JSON"), "\(error.message)")
    }
  }

  @Test func waitForRuntimeStopsWhenCancelled() async throws {
    try await withProject { root in
      let waiting = Task {
        try await RuntimeDiscovery.waitForRuntime(projectRoot: root, newerThan: Date(), timeout: .seconds(60))
      }
      try await Task.sleep(for: .milliseconds(150))
      waiting.cancel()
      let error = try await withSafetyLimit(.seconds(10)) { await thrownError { try await waiting.value } }
      #expect(error is CancellationError, "\(String(describing: error))")
    }
  }

  @Test func candidatesPreferThePidThenItsDescendantsThenNewFiles() {
    let me = ProcessInfo.processInfo.processIdentifier
    let parent = getppid()
    let since = Date(timeIntervalSince1970: 1_000_000)
    func runtime(_ id: String, pid: Int32, timestamp: String) -> RuntimeInfo {
      RuntimeInfo(id: id, pid: pid, reflectionServerUrl: "http://127.0.0.1:1", timestamp: timestamp)
    }
    let runtimes = [
      runtime("newest", pid: 999_999, timestamp: "2099-01-01T00:00:00Z"),
      runtime("child", pid: me, timestamp: "1970-01-01T00:00:00Z"),
      runtime("own", pid: parent, timestamp: "1970-01-01T00:00:00Z"),
      runtime("ancient", pid: 999_998, timestamp: "1970-01-01T00:00:00Z"),
    ]
    #expect(RuntimeDiscovery.rank(runtimes, newerThan: since, pid: parent).map(\.id) == ["own", "child", "newest"])
    #expect(RuntimeDiscovery.rank(runtimes, newerThan: since, pid: nil).map(\.id) == ["newest"])
    #expect(ProcessAncestry.isDescendant(me, of: parent))
    #expect(!ProcessAncestry.isDescendant(parent, of: me))
  }
}
