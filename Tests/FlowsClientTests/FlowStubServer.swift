import Flows
import FlowsTestSupport
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// What the stub answers to one request.
enum StubResponse: Sendable {
  /// A JSON body with a status and extra headers.
  case json(status: Int = 200, String, headers: [String: String] = [:])
  /// A body of another type (plain-text or HTML errors).
  case text(status: Int, String, contentType: String = "text/plain; charset=utf-8")
  /// A 200 streamed (chunked) response: the steps run in order, then the stream ends as `end` says.
  case stream(
    [StreamStep], end: StreamEnd = .finish, contentType: String = "text/event-stream; charset=utf-8",
    headers: [String: String] = [:])
  /// No answer at all (a slow server), until the client goes away or the stub stops.
  case hang
}

/// One step of a streamed response.
enum StreamStep: Sendable {
  /// Writes these bytes (one chunk, flushed).
  case send(String)
  /// Waits this long.
  case pause(Duration)
  /// Waits until the test fires the signal.
  case wait(Signal)
}

/// How a streamed response ends.
enum StreamEnd: Sendable {
  /// The terminating chunk: a well-formed end of the body.
  case finish
  /// The connection is closed without the terminating chunk.
  case disconnect
  /// Nothing more is sent and the connection stays open until the client goes away.
  case hold
}

/// A request the stub received.
struct StubRequest: Sendable {
  var method: String
  var uri: String
  var headers: [(String, String)]
  var body: [UInt8]

  /// The body as JSON (`.null` when it is not JSON).
  var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }

  func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }
}

/// A scriptable flow server on 127.0.0.1 (ephemeral port), on SwiftNIO.
///
/// Each request is answered by the script (given the request and its position); every request is
/// recorded, and connection closes are counted and can be awaited.
final class FlowStubServer: Sendable {
  let port: Int
  private let channel: any Channel
  private let state: Mutex<State>
  private let closedStream: AsyncStream<Void>
  private let closedContinuation: AsyncStream<Void>.Continuation
  private let requestStream: AsyncStream<Void>
  private let requestContinuation: AsyncStream<Void>.Continuation

  struct State {
    var requests: [StubRequest] = []
    var openChannels: [ObjectIdentifier: any Channel] = [:]
    var closedConnections = 0
  }

  let script: @Sendable (StubRequest, Int) -> StubResponse

  var baseURL: String { "http://127.0.0.1:\(port)" }

  private init(channel: any Channel, port: Int, script: @escaping @Sendable (StubRequest, Int) -> StubResponse) {
    self.channel = channel
    self.port = port
    self.script = script
    self.state = Mutex(State())
    (closedStream, closedContinuation) = AsyncStream.makeStream(of: Void.self)
    (requestStream, requestContinuation) = AsyncStream.makeStream(of: Void.self)
  }

  /// Starts a stub answering every request with `script(request, index)`.
  static func start(_ script: @escaping @Sendable (StubRequest, Int) -> StubResponse) async throws -> FlowStubServer {
    let holder = Mutex<FlowStubServer?>(nil)
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { child in
        child.eventLoop.makeCompletedFuture {
          guard let server = holder.withLock({ $0 }) else { throw ChannelError.ioOnClosedChannel }
          try child.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
          try child.pipeline.syncOperations.addHandler(StubHandler(server: server))
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    guard let port = channel.localAddress?.port else { throw ChannelError.ioOnClosedChannel }
    let server = FlowStubServer(channel: channel, port: port, script: script)
    holder.withLock { $0 = server }
    return server
  }

  /// Stops listening and closes every open connection.
  func stop() async {
    let open = state.withLock { Array($0.openChannels.values) }
    for child in open { try? await child.close() }
    try? await channel.close()
    closedContinuation.finish()
    requestContinuation.finish()
  }

  /// Requests received so far.
  var requests: [StubRequest] { state.withLock { $0.requests } }

  /// Connections the client has closed (or that ended) so far.
  var closedConnections: Int { state.withLock { $0.closedConnections } }

  /// Returns once a connection has closed (immediately for each close already seen).
  func waitForClosedConnection() async {
    for await _ in closedStream { return }
  }

  /// Returns once a request has arrived (immediately for each request already received).
  func waitForRequest() async {
    for await _ in requestStream { return }
  }

  fileprivate func record(_ request: StubRequest) -> Int {
    defer { requestContinuation.yield() }
    return state.withLock { state in
      state.requests.append(request)
      return state.requests.count - 1
    }
  }

  fileprivate func opened(_ channel: any Channel) {
    state.withLock { $0.openChannels[ObjectIdentifier(channel)] = channel }
  }

  fileprivate func closed(_ channel: any Channel) {
    state.withLock { state in
      state.openChannels[ObjectIdentifier(channel)] = nil
      state.closedConnections += 1
    }
    closedContinuation.yield()
  }
}

/// Serves one connection of the stub.
private final class StubHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  let server: FlowStubServer
  var head: HTTPRequestHead?
  var body: [UInt8] = []

  init(server: FlowStubServer) { self.server = server }

  func channelActive(context: ChannelHandlerContext) {
    server.opened(context.channel)
    context.fireChannelActive()
  }

  func channelInactive(context: ChannelHandlerContext) {
    server.closed(context.channel)
    context.fireChannelInactive()
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    switch unwrapInboundIn(data) {
    case .head(let requestHead):
      head = requestHead
      body = []
    case .body(let buffer):
      body.append(contentsOf: buffer.readableBytesView)
    case .end:
      guard let head else { return }
      let request = StubRequest(
        method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) }, body: body)
      let index = server.record(request)
      respond(server.script(request, index), context: context)
    }
  }

  private func respond(_ response: StubResponse, context: ChannelHandlerContext) {
    switch response {
    case .json(let status, let text, let headers):
      writeWhole(status: status, contentType: "application/json", body: text, extraHeaders: headers, context: context)
    case .text(let status, let text, let contentType):
      writeWhole(status: status, contentType: contentType, body: text, context: context)
    case .stream(let steps, let end, let contentType, let extraHeaders):
      var headers = HTTPHeaders(extraHeaders.map { ($0.key, $0.value) })
      headers.add(name: "Content-Type", value: contentType)
      let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
      context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
      startStreaming(steps, end: end, on: context.channel)
    case .hang:
      break
    }
  }

  private func writeWhole(
    status: Int, contentType: String, body: String, extraHeaders: [String: String] = [:],
    context: ChannelHandlerContext
  ) {
    var headers = HTTPHeaders(extraHeaders.map { ($0.key, $0.value) })
    headers.add(name: "Content-Type", value: contentType)
    headers.add(name: "Content-Length", value: String(body.utf8.count))
    let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
    context.write(wrapOutboundOut(.head(head)), promise: nil)
    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
  }
}

/// Runs the steps of a streamed response in a task, writing through the channel from outside the
/// event loop.
private func startStreaming(_ steps: [StreamStep], end: StreamEnd, on channel: any Channel) {
  Task { await runSteps(steps, end: end, on: channel) }
}

private func runSteps(_ steps: [StreamStep], end: StreamEnd, on channel: any Channel) async {
  do {
    for step in steps {
      switch step {
      case .send(let text):
        try await channel.writeAndFlush(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: text))))
      case .pause(let duration):
        try await Task.sleep(for: duration)
      case .wait(let signal):
        await signal.wait()
      }
    }
    switch end {
    case .finish: try await channel.writeAndFlush(HTTPServerResponsePart.end(nil))
    case .disconnect: try await channel.close()
    case .hold: break
    }
  } catch {
    // The client went away: nothing more to write.
  }
}
