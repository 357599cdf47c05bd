import Flows
import FlowsServer
import Foundation
import Hummingbird
import ServiceLifecycle
import Testing

@Suite struct ReflectionServerTests {
  typealias Kit = ReflectionTestKit

  /// Runs `server` in a service group until `body` returns, then shuts it down gracefully.
  func withServer<T: Sendable>(
    _ server: ReflectionServer, _ body: @Sendable (Int) async throws -> T
  ) async throws -> T {
    let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [server], logger: Kit.logger))
    let task = Task { try await group.run() }
    do {
      let port = try await server.waitUntilListening()
      let result = try await body(port)
      await group.triggerGracefulShutdown()
      try await task.value
      return result
    } catch {
      await group.triggerGracefulShutdown()
      _ = try? await task.value
      throw error
    }
  }

  @Test func writesTheRuntimeFileWhileServingAndRemovesItAfter() async throws {
    let root = try Kit.Directory()
    let configuration = ReflectionServerConfiguration(port: .ephemeral, name: "tests", projectRoot: root.path)
    let server = ReflectionServer(runtime: Kit.runtime(), configuration: configuration, logger: Kit.logger)
    let pid = ProcessInfo.processInfo.processIdentifier
    let path = try await withServer(server) { port in
      let path = try #require(server.runtimeFilePath)
      let name = (path as NSString).lastPathComponent
      #expect(name.hasPrefix("\(pid)-\(port)-") && name.hasSuffix(".json"))
      #expect((path as NSString).deletingLastPathComponent == root.path + "/.genkit/runtimes")
      let json = try JSONValue(parsing: try Data(contentsOf: URL(fileURLWithPath: path)))
      #expect(json["id"] == .string("\(pid)-\(port)"))
      #expect(json["pid"] == .integer(Int64(pid)))
      #expect(json["name"] == "tests")
      #expect(json["reflectionServerUrl"] == .string("http://127.0.0.1:\(port)"))
      #expect(json["genkitVersion"] == .string("swift/" + ReflectionVersion.runtime))
      #expect(json["reflectionApiSpecVersion"] == 1)
      let timestamp = try #require(json["timestamp"]?.stringValue)
      #expect(timestamp.hasSuffix("Z") && timestamp.contains("."))
      let attributes = try FileManager.default.attributesOfItem(atPath: path)
      #expect((attributes[.posixPermissions] as? Int) == 0o600)

      // The CLI's health check with the id from the file.
      let url = try #require(json["reflectionServerUrl"]?.stringValue)
      let id = try #require(json["id"]?.stringValue)
      let ours = try await Kit.get(url + "/api/__health?id=" + id)
      #expect(ours.status == 200)
      let other = try await Kit.get(url + "/api/__health?id=nope")
      #expect(other.status == 503)
      #expect(server.url == url)
      return path
    }
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(server.runtimeFilePath == nil)
  }

  @Test func cancellationAlsoRemovesTheRuntimeFile() async throws {
    let root = try Kit.Directory()
    let server = ReflectionServer(
      runtime: Kit.runtime(), configuration: ReflectionServerConfiguration(port: .ephemeral, projectRoot: root.path),
      logger: Kit.logger)
    let task = Task { try await server.run() }
    _ = try await server.waitUntilListening()
    let path = try #require(server.runtimeFilePath)
    #expect(FileManager.default.fileExists(atPath: path))
    task.cancel()
    _ = try? await task.value
    #expect(!FileManager.default.fileExists(atPath: path))
  }

  @Test func aFileOfAnotherProcessIsNotRemoved() throws {
    let root = try Kit.Directory()
    let file = RuntimeFile(id: "1-2", pid: 1, reflectionServerUrl: "http://127.0.0.1:2")
    let path = try file.write(projectRoot: root.path, port: 2)
    #expect(!RuntimeFile.remove(at: path))
    #expect(FileManager.default.fileExists(atPath: path))
    #expect(try RuntimeFile(json: JSONValue(parsing: Data(contentsOf: URL(fileURLWithPath: path)))) == file)
    #expect(RuntimeFile.remove(at: path, ifOwnedBy: 1))
  }

  @Test func probingSkipsABusyPortAndPinningFails() async throws {
    let busy = try Kit.Directory()
    let blocker = ReflectionServer(
      runtime: Kit.runtime(),
      configuration: ReflectionServerConfiguration(port: .ephemeral, writesRuntimeFile: false, projectRoot: busy.path),
      logger: Kit.logger)
    try await withServer(blocker) { taken in
      let probing = ReflectionServer(
        runtime: Kit.runtime(),
        configuration: ReflectionServerConfiguration(port: .probing(from: taken), writesRuntimeFile: false),
        logger: Kit.logger)
      try await withServer(probing) { port in
        #expect(port > taken && port <= taken + 100)
        let health = try await Kit.get("http://127.0.0.1:\(port)/api/__health")
        #expect(health.body == "OK")
      }
      let pinned = ReflectionServer(
        runtime: Kit.runtime(),
        configuration: ReflectionServerConfiguration(port: .pinned(taken), writesRuntimeFile: false),
        logger: Kit.logger)
      await #expect(throws: (any Error).self) { try await pinned.run() }
      await #expect(throws: (any Error).self) { try await pinned.waitUntilListening() }
    }
  }

  @Test func refusesNonLoopbackHosts() async throws {
    let server = ReflectionServer(
      runtime: Kit.runtime(), configuration: ReflectionServerConfiguration(host: "0.0.0.0", port: .ephemeral),
      logger: Kit.logger)
    await #expect(throws: ReflectionServerError.self) { try await server.run() }
  }

  @Test func configurationFromTheEnvironment() {
    #expect(ReflectionServerConfiguration.fromEnvironment([:]).port == .probing(from: 3100))
    let pinned = ReflectionServerConfiguration.fromEnvironment([
      "GENKIT_REFLECTION_PORT": "3456", "GENKIT_RUNTIME_ID": "custom", "GENKIT_REFLECTION_HOST": "::1",
    ])
    #expect(pinned.port == .pinned(3456))
    #expect(pinned.runtimeId == "custom")
    #expect(pinned.host == "::1")
  }

  @Test func projectRootIsFoundLikeTheGenkitCLI() throws {
    let base = try Kit.Directory()
    let files = FileManager.default
    let nested = base.path + "/app/Sources/deep"
    try files.createDirectory(atPath: nested, withIntermediateDirectories: true)
    #expect(RuntimeFileProjectRoot.find(from: nested) == nested)
    _ = files.createFile(atPath: base.path + "/package.json", contents: Data("{}".utf8))
    #expect(RuntimeFileProjectRoot.find(from: nested) == base.path)
    _ = files.createFile(atPath: base.path + "/app/Package.swift", contents: Data())
    #expect(RuntimeFileProjectRoot.find(from: nested) == base.path + "/app")
    _ = files.createFile(atPath: base.path + "/app/Sources/go.mod", contents: Data())
    #expect(RuntimeFileProjectRoot.find(from: nested) == base.path + "/app/Sources")
  }
}
