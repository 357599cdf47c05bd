import Flows
import FlowsClient
import FlowsServer
import FlowsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Flows and servers for the reflection client tests.
enum ReflectionFixtures {
  struct Order: Codable, Sendable {
    var item: String
    var quantity: Int
  }

  struct Boom: Error, CustomStringConvertible {
    var description: String { "kaboom" }
  }

  /// A runtime with `echo` (String→String, described), `order` (typed), `countdown` (streams
  /// n…1), `boom` (plain error), `missing` (NOT_FOUND), `sleepy` (streams one chunk, fires
  /// `entered`, then sleeps until cancelled) and `whoami` (returns its context).
  static func runtime(entered: Signal = Signal()) -> FlowRuntime {
    let runtime = FlowRuntime()
    runtime.defineFlow("echo", description: "Echoes its input.") { (text: String) in text }
    runtime.defineFlow("order") { (order: Order) in "\(order.quantity) x \(order.item)" }
    runtime.defineStreamingFlow("countdown") { (n: Int, context: FlowContext<Int>) in
      for tick in stride(from: n, through: 1, by: -1) { context.sendChunk(tick) }
      return "liftoff"
    }
    runtime.defineFlow("boom") { (_: String) -> String in throw Boom() }
    runtime.defineFlow("missing") { (text: String) -> String in throw FlowError(.notFound, "no such thing: \(text)") }
    runtime.defineStreamingFlow("sleepy") { (_: String, context: FlowContext<String>) -> String in
      context.sendChunk("zzz")
      entered.fire()
      try await Task.sleep(for: .seconds(60))
      return "woke up"
    }
    runtime.defineFlow("whoami") { (_: String?) -> JSONValue in
      let context = ActionContext.current
      return ["auth": context.auth ?? .null, "tenant": context["tenant"] ?? .null]
    }
    return runtime
  }

  /// Runs a real `ReflectionServer` for `runtime` on an ephemeral loopback port until `body`
  /// returns; with `projectRoot` it also writes its runtime file there.
  static func withServer<T: Sendable>(
    _ runtime: FlowRuntime, projectRoot: String? = nil,
    _ body: @Sendable (_ server: ReflectionServer, _ baseURL: String) async throws -> T
  ) async throws -> T {
    let configuration = ReflectionServerConfiguration(
      port: .ephemeral, writesRuntimeFile: projectRoot != nil, projectRoot: projectRoot)
    let server = ReflectionServer(runtime: runtime, configuration: configuration)
    let task = Task { try await server.run() }
    do {
      let port = try await server.waitUntilListening()
      let result = try await body(server, "http://127.0.0.1:\(port)")
      task.cancel()
      _ = await task.result
      return result
    } catch {
      task.cancel()
      _ = await task.result
      throw error
    }
  }

  /// A loopback port nothing listens on (bound, then closed again).
  static func closedPort() throws -> Int {
    #if canImport(Glibc)
      let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
      let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw FlowError(.internal, "socket() failed") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
        bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
      }
    }
    guard bound else { throw FlowError(.internal, "bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
  }

  /// A fresh temporary directory.
  static func makeDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowscope-client-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
  }
}

/// True for `count` lowercase hex characters.
func isHex(_ text: String?, count: Int) -> Bool {
  guard let text else { return false }
  return text.count == count && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
}
