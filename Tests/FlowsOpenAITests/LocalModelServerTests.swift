import Flows
import FlowsOpenAI
import FlowsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `LocalModelServer` process handling, with stand-in executables (no llama-server needed).
@Suite("Local model server process")
struct LocalModelServerTests {
  /// A temporary directory with an executable script `name` and an empty "model" file.
  final class Sandbox {
    let directory: String
    init() throws {
      directory = NSTemporaryDirectory() + "flowscope-lms-test-\(UUID().uuidString)"
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      _ = FileManager.default.createFile(atPath: model, contents: Data())
    }
    deinit { try? FileManager.default.removeItem(atPath: directory) }

    var model: String { directory + "/model.gguf" }

    /// Writes an executable script. The file is opened with O_CLOEXEC: processes that other tests
    /// spawn meanwhile must not inherit a writable descriptor of it, or executing it fails with
    /// ETXTBSY ("Text file busy") for as long as such a process lives.
    func script(_ name: String, _ body: String) throws -> String {
      let path = directory + "/" + name
      let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
      guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
      defer { close(fd) }
      let bytes = Array(("#!/bin/sh\n" + body).utf8)
      let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      guard written == bytes.count else { throw CocoaError(.fileWriteUnknown) }
      return path
    }
  }

  static let python3Available = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

  /// A stand-in server: serves `GET /health` → 200 on the `--port` it is given. `prelude` runs first.
  func fakeServer(in sandbox: Sandbox, prelude: String = "") throws -> String {
    try sandbox.script(
      "fake-server",
      """
      \(prelude)
      while [ $# -gt 0 ]; do case "$1" in --port) PORT="$2"; shift;; esac; shift; done
      mkdir -p "\(sandbox.directory)/www" && printf ok > "\(sandbox.directory)/www/health"
      cd "\(sandbox.directory)/www" && exec /usr/bin/python3 -m http.server --bind 127.0.0.1 "$PORT"
      """)
  }

  static func processExists(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

  @Test func missingBinaryIsFailedPrecondition() async throws {
    let error = try await requireFlowError {
      try await LocalModelServer.start(binary: "/nonexistent/llama-server", model: "/nonexistent.gguf", alias: "x")
    }
    #expect(error.status == .failedPrecondition)
    #expect(error.message.contains("/nonexistent/llama-server"))
  }

  @Test func serverThatDiesReportsTheTailOfItsOutput() async throws {
    let sandbox = try Sandbox()
    let binary = try sandbox.script(
      "dying-server", "echo 'loading model'\necho 'error: model file is corrupt' >&2\nexit 3\n")
    let error = try await requireFlowError {
      try await LocalModelServer.start(binary: binary, model: sandbox.model, alias: "x")
    }
    #expect(error.status == .unavailable)
    #expect(error.message.contains("exited with status 3"))
    #expect(error.message.contains("error: model file is corrupt"))
  }

  @Test func serverThatNeverGetsReadyTimesOutAndIsStopped() async throws {
    let sandbox = try Sandbox()
    let pidFile = sandbox.directory + "/pid"
    let binary = try sandbox.script("silent-server", "echo $$ > '\(pidFile)'\necho 'still loading'\nexec sleep 600\n")
    let error = try await requireFlowError {
      try await LocalModelServer.start(
        binary: binary, model: sandbox.model, alias: "x", readinessTimeout: .milliseconds(500))
    }
    #expect(error.status == .deadlineExceeded)
    #expect(error.message.contains("still loading"))
    let pid = try #require(
      Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(!Self.processExists(pid))
  }

  @Test(.enabled(if: python3Available, "needs /usr/bin/python3 for a stand-in HTTP server"))
  func startsOnAFreeLoopbackPortAndStops() async throws {
    let sandbox = try Sandbox()
    let server = try await LocalModelServer.start(
      binary: try fakeServer(in: sandbox), model: sandbox.model, alias: "tiny")
    #expect(server.baseURL == "http://127.0.0.1:\(server.port)/v1")
    #expect(server.port > 0)
    #expect(server.alias == "tiny")
    #expect(server.isRunning)
    #expect(server.configuration().model == "tiny")
    #expect(server.configuration().baseURL == server.baseURL)
    let pid = server.processID
    server.stop()
    #expect(!server.isRunning)
    #expect(!Self.processExists(pid))
    #expect(!FileManager.default.fileExists(atPath: server.logPath))
    server.stop()  // a second stop does nothing
  }

  @Test(.enabled(if: python3Available, "needs /usr/bin/python3 for a stand-in HTTP server"))
  func serverIgnoringSIGTERMIsKilled() async throws {
    let sandbox = try Sandbox()
    let binary = try fakeServer(in: sandbox, prelude: "trap '' TERM")
    let server = try await LocalModelServer.start(
      binary: binary, model: sandbox.model, alias: "stubborn", stopGracePeriod: .milliseconds(200))
    let pid = server.processID
    server.stop()
    #expect(!Self.processExists(pid))
  }

  @Test(.enabled(if: python3Available, "needs /usr/bin/python3 for a stand-in HTTP server"))
  func deinitStopsTheServer() async throws {
    let sandbox = try Sandbox()
    var server: LocalModelServer? = try await LocalModelServer.start(
      binary: try fakeServer(in: sandbox), model: sandbox.model, alias: "x")
    let pid = try #require(server?.processID)
    #expect(Self.processExists(pid))
    server = nil
    #expect(!Self.processExists(pid))
  }

  @Test func locatesAnInstallation() throws {
    let sandbox = try Sandbox()
    let root = sandbox.directory + "/llm"
    let files = FileManager.default
    #expect(LocalModelInstallation.locate(in: root) == nil)
    try files.createDirectory(atPath: root + "/bin", withIntermediateDirectories: true)
    try files.createDirectory(atPath: root + "/models", withIntermediateDirectories: true)
    _ = files.createFile(atPath: root + "/bin/llama-server", contents: Data(), attributes: [.posixPermissions: 0o755])
    #expect(LocalModelInstallation.locate(in: root) == nil)  // no model yet
    _ = files.createFile(atPath: root + "/models/" + LocalModelInstallation.chatModelFileName, contents: Data())
    let found = try #require(LocalModelInstallation.locate(environment: ["FLOWSCOPE_LLM_DIR": root]))
    #expect(found.directory == root)
    #expect(found.serverBinary == root + "/bin/llama-server")
    #expect(found.chatModel == root + "/models/" + LocalModelInstallation.chatModelFileName)
    #expect(found.toolModel == nil)
    #expect(!found.supportsTools)
    // The repository's template is found next to the sources.
    #expect(found.toolChatTemplate?.hasSuffix("scripts/llm/chatml-json-tools.jinja") == true)
  }

  @Test func defaultDirectory() {
    #expect(LocalModelInstallation.defaultDirectory(environment: ["HOME": "/home/u"]) == "/home/u/.cache/llm-server")
    #expect(LocalModelInstallation.defaultDirectory(environment: ["FLOWSCOPE_LLM_DIR": "/opt/llm"]) == "/opt/llm")
  }
}
