import AsyncHTTPClient
import Flows
import FlowsTestSupport
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the peer lives: the venv made by `scripts/install-peer.sh` and the app in Tests/Peer.
enum PeerInstallation {
  static var uvicorn: String { PythonPeerVenv.executable("uvicorn") }

  /// Tests/Peer in this checkout (holds peer_app.py).
  static var appDirectory: String { PythonPeerVenv.appDirectory }

  static var isInstalled: Bool { PythonPeerVenv.isInstalled(executable: "uvicorn", app: "peer_app.py") }
}

/// The `flowscope` executable built next to the test bundle.
enum FlowscopeBinary {
  static var path: String {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("flowscope").path
  }

  /// Runs `flowscope <arguments>` to completion (stdout and stderr together) and returns its exit
  /// status and output.
  static func run(_ arguments: [String], in directory: String) async throws -> (status: Int32, output: String) {
    let log = directory + "/flowscope-\(UUID().uuidString.prefix(8)).out"
    defer { unlink(log) }
    let process = try ServerProcess.spawn(
      name: "flowscope", executable: path, arguments: arguments, environment: TestEnvironment.base(), logPath: log)
    let deadline = ContinuousClock.now + .seconds(60)
    while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    process.terminate(gracePeriod: .seconds(1))
    return (process.pollExit() ?? -1, process.log)
  }
}

enum TestEnvironment {
  /// This process's environment without variables that would change what the servers do.
  static func base(adding extra: [String: String] = [:]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment.filter {
      !$0.key.hasPrefix("GENKIT_") && !$0.key.hasPrefix("FLOWSCOPE_") && $0.key != "PORT"
    }
    environment["PYTHONUNBUFFERED"] = "1"
    environment["PYTHONDONTWRITEBYTECODE"] = "1"  // no __pycache__ in Tests/Peer
    environment.merge(extra) { _, new in new }
    return environment
  }

  /// A fresh temporary directory.
  static func makeDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowscope-peer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
  }
}

/// A started server: its process and base URL (`http://127.0.0.1:<port>`).
struct RunningServer: Sendable {
  let process: ServerProcess
  let port: Int
  var baseURL: String { "http://127.0.0.1:\(port)" }

  /// The Python peer under uvicorn (httptools) on a free loopback port; `environment` is added to
  /// the child's (e.g. `GENKIT_ENV=dev`). Runs in `directory`, where Genkit's dev mode writes
  /// `.genkit/runtimes/`. (In dev mode Genkit reconfigures logging and uvicorn's startup line is
  /// not printed, so the port is chosen here rather than with `--port 0`; a port taken in between is
  /// retried.)
  static func startPeer(in directory: String, environment extra: [String: String] = [:]) async throws
    -> RunningServer
  {
    let script =
      #"cd "$1" && exec "$2" peer_app:app --app-dir "$3" --host 127.0.0.1 --port "$4" --http httptools "#
      + "--log-level info --no-access-log"
    var attempt = 0
    while true {
      attempt += 1
      let port = try LoopbackPort.pickFree()
      let process = try ServerProcess.spawn(
        name: "peer (uvicorn)", executable: "/bin/sh",
        arguments: ["-c", script, "sh", directory, PeerInstallation.uvicorn, PeerInstallation.appDirectory, "\(port)"],
        environment: TestEnvironment.base(adding: extra), logPath: directory + "/peer-\(attempt).log")
      let server = RunningServer(process: process, port: port)
      do {
        try await server.waitUntilServing(timeout: .seconds(60))
        return server
      } catch {
        process.terminate()
        if attempt < 3, process.log.contains("address already in use") { continue }
        throw error
      }
    }
  }

  /// `flowscope serve` with the peer-parity flows (`FLOWSCOPE_BENCHMARK_FLOWS=1`) and a trace database
  /// in `directory`, on an ephemeral port (read from the URL the command prints).
  static func startFlowscope(in directory: String, extraArguments: [String] = []) async throws -> RunningServer {
    let process = try ServerProcess.spawn(
      name: "flowscope serve", executable: FlowscopeBinary.path,
      arguments: ["serve", "--host", "127.0.0.1", "--port", "0", "--db", directory + "/traces.sqlite"]
        + extraArguments,
      environment: TestEnvironment.base(adding: ["FLOWSCOPE_BENCHMARK_FLOWS": "1"]),
      logPath: directory + "/flowscope.log")
    do {
      let port = try await waitForPort(of: process, matching: /http:\/\/127\.0\.0\.1:(\d+)/)
      let server = RunningServer(process: process, port: port)
      try await server.waitUntilServing()
      return server
    } catch {
      process.terminate()
      throw error
    }
  }

  /// Polls the process's log for `pattern` (capturing the port), failing when it exits or after 60 s.
  private static func waitForPort(of process: ServerProcess, matching pattern: Regex<(Substring, Substring)>)
    async throws -> Int
  {
    let deadline = ContinuousClock.now + .seconds(60)
    while ContinuousClock.now < deadline {
      if let match = process.log.firstMatch(of: pattern), let port = Int(match.1), port > 0 { return port }
      if let status = process.pollExit() {
        throw HarnessError(description: "\(process.name) exited with \(status) before listening:\n\(process.logTail())")
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw HarnessError(description: "\(process.name) printed no listening URL within 60 s:\n\(process.logTail())")
  }

  /// Polls `POST /trivial {"data":"ready"}` until it answers 200.
  private func waitUntilServing(timeout: Duration = .seconds(30)) async throws {
    let deadline = ContinuousClock.now + timeout
    let ready = WireRequest(path: "/trivial", body: #"{"data":"ready"}"#)
    while ContinuousClock.now < deadline {
      if let response = try? await HTTPProbe.send(ready, to: baseURL), response.status == 200 { return }
      if let status = process.pollExit() {
        throw HarnessError(description: "\(process.name) exited with \(status):\n\(process.logTail())")
      }
      try await Task.sleep(for: .milliseconds(50))
    }
    throw HarnessError(
      description: "\(process.name) did not answer POST /trivial within \(timeout):\n\(process.logTail())")
  }

  func stop() { process.terminate() }
}

// MARK: - HTTP

/// One request of a wire case, sent byte for byte the same to both servers.
struct WireRequest: Sendable, CustomStringConvertible {
  var method = "POST"
  var path: String
  var headers: [(String, String)] = [("Content-Type", "application/json")]
  /// The raw body; nil sends none.
  var body: String?

  var description: String {
    var text = "\(method) \(path)"
    for (name, value) in headers where name.lowercased() != "content-type" || value != "application/json" {
      text += " [\(name): \(value)]"
    }
    if !headers.contains(where: { $0.0.lowercased() == "content-type" }) { text += " [no Content-Type]" }
    if let body { text += " " + (body.isEmpty ? "(empty body)" : body) }
    return text
  }
}

/// A response as the comparison sees it.
struct WireResponse: Sendable {
  var status: Int
  var contentType: String?
  var headers: [(String, String)]
  var body: String

  func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }
}

enum HTTPProbe {
  /// One client for the whole run: a refused connection fails at once, 10 s per request.
  static let client: HTTPClient = {
    var pool = HTTPClient.Configuration.ConnectionPool()
    pool.retryConnectionEstablishment = false
    var configuration = HTTPClient.Configuration(
      timeout: HTTPClient.Configuration.Timeout(connect: .seconds(5)), connectionPool: pool)
    // A fresh connection per request: both servers close some connections after answering (the peer
    // after an unhandled 500, ours after every stream), and a reused one would race that close.
    configuration.maximumUsesPerConnection = 1
    return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
  }()

  /// Sends `request` to `server`; a failure names the case and the server, with its log's tail.
  static func send(_ request: WireRequest, to server: RunningServer, context: String) async throws -> WireResponse {
    do {
      return try await send(request, to: server.baseURL)
    } catch {
      throw HarnessError(
        description:
          "\(context): \(server.process.name) at \(server.baseURL) failed: \(error)\n\(server.process.logTail())")
    }
  }

  static func send(_ request: WireRequest, to baseURL: String) async throws -> WireResponse {
    var outgoing = HTTPClientRequest(url: baseURL + request.path)
    outgoing.method = .init(rawValue: request.method)
    for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
    if let body = request.body { outgoing.body = .bytes(Array(body.utf8)) }
    let response = try await client.execute(outgoing, timeout: .seconds(10))
    let buffer = try await response.body.collect(upTo: 32 << 20)
    return WireResponse(
      status: Int(response.status.code), contentType: response.headers.first(name: "content-type"),
      headers: response.headers.map { ($0.name, $0.value) }, body: String(buffer: buffer))
  }
}

/// Raw HTTP/1.1 over one socket, to see what a server does with the connection after a response.
enum KeepAliveProbe {
  /// Sends one request with `Content-Length`, reads the response to its end (a chunked body's last
  /// chunk, or `Content-Length` bytes), then waits `grace` for the server: true when the connection is
  /// still open, false when the server closed it.
  static func staysOpen(port: Int, request: String, grace: Duration = .milliseconds(300)) throws -> Bool {
    guard let fd = LoopbackSocket.connect(port: port) else {
      throw HarnessError(description: "connect() failed: \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    let bytes = Array(request.utf8)
    guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw HarnessError(description: "send() failed") }

    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    let deadline = ContinuousClock.now + .seconds(10)
    while !isComplete(received) {
      guard ContinuousClock.now < deadline else { throw HarnessError(description: "response did not end in 10 s") }
      guard wait(fd, milliseconds: 1_000) else { continue }
      let count = recv(fd, &buffer, buffer.count, 0)
      if count <= 0 { return false }  // closed before the response ended
      received += buffer[0..<count]
    }
    let milliseconds = Int32(grace.components.seconds * 1000 + grace.components.attoseconds / 1_000_000_000_000_000)
    guard wait(fd, milliseconds: milliseconds) else { return true }
    return recv(fd, &buffer, buffer.count, 0) > 0
  }

  /// True when `fd` is readable (or closed) within `milliseconds`.
  private static func wait(_ fd: Int32, milliseconds: Int32) -> Bool {
    var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    return poll(&descriptor, 1, milliseconds) > 0
  }

  /// Whether `bytes` hold a whole response: headers, then the chunked terminator or the declared length.
  private static func isComplete(_ bytes: [UInt8]) -> Bool {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let headerEnd = text.range(of: "\r\n\r\n") else { return false }
    let head = text[..<headerEnd.lowerBound].lowercased()
    if head.contains("transfer-encoding: chunked") { return text.hasSuffix("0\r\n\r\n") }
    guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
      let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
    else { return false }
    return text.utf8.count - text[..<headerEnd.upperBound].utf8.count >= length
  }
}
