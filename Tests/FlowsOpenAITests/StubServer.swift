import Flows
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// What the stub answers to one request.
enum StubResponse: Sendable {
  /// A JSON body with a status.
  case json(status: Int = 200, String)
  /// A JSON body with extra response headers.
  case jsonWithHeaders(status: Int, String, headers: [String: String])
  /// A body of another type (plain-text errors).
  case text(status: Int, String, contentType: String = "text/plain; charset=utf-8")
  /// A 200 `text/event-stream`, written piece by piece with a flush after each, then ended.
  case sse([String])
  /// A complete SSE stream after which the server closes the connection although it did not say
  /// `Connection: close` (llama-server does this after every streamed response).
  case sseThenClose([String])
  /// An SSE stream whose pieces are written, after which the connection is closed abruptly
  /// (no terminating chunk).
  case sseThenDisconnect([String])
  /// An SSE stream whose pieces are written, after which the stub keeps the connection open and
  /// sends nothing more, until the client goes away.
  case sseThenHold([String])
  /// No answer at all (a slow server), until the client goes away or the stub stops.
  case hang
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

/// A scriptable OpenAI-compatible HTTP server on 127.0.0.1 (ephemeral port), on SwiftNIO.
///
/// Each request is answered by the script (given the request and its position); every request is
/// recorded, and connection closes are counted and can be awaited.
final class StubServer: Sendable {
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

  var baseURL: String { "http://127.0.0.1:\(port)/v1" }

  private init(channel: any Channel, port: Int, script: @escaping @Sendable (StubRequest, Int) -> StubResponse) {
    self.channel = channel
    self.port = port
    self.script = script
    self.state = Mutex(State())
    (closedStream, closedContinuation) = AsyncStream.makeStream(of: Void.self)
    (requestStream, requestContinuation) = AsyncStream.makeStream(of: Void.self)
  }

  /// Starts a stub answering every request with `script(request, index)`.
  static func start(_ script: @escaping @Sendable (StubRequest, Int) -> StubResponse) async throws -> StubServer {
    let holder = Mutex<StubServer?>(nil)
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
    let server = StubServer(channel: channel, port: port, script: script)
    holder.withLock { $0 = server }
    return server
  }

  /// Starts a stub answering the n-th request with `responses[n]` (the last one repeats).
  static func start(_ responses: [StubResponse]) async throws -> StubServer {
    try await start { _, index in responses[min(index, responses.count - 1)] }
  }

  /// Starts a stub answering every request with `response`.
  static func start(_ response: StubResponse) async throws -> StubServer {
    try await start { _, _ in response }
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

  /// The JSON bodies of the requests received so far.
  var bodies: [JSONValue] { requests.map(\.json) }

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

  let server: StubServer
  var head: HTTPRequestHead?
  var body: [UInt8] = []

  init(server: StubServer) { self.server = server }

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
    case .json(let status, let text):
      writeWhole(status: status, contentType: "application/json", body: text, context: context)
    case .jsonWithHeaders(let status, let text, let extra):
      writeWhole(status: status, contentType: "application/json", body: text, extraHeaders: extra, context: context)
    case .text(let status, let text, let contentType):
      writeWhole(status: status, contentType: contentType, body: text, context: context)
    case .sse(let pieces):
      writeStream(pieces, context: context)
      context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    case .sseThenClose(let pieces):
      writeStream(pieces, context: context)
      let channel = context.channel
      context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    case .sseThenDisconnect(let pieces):
      // Once everything is written, half-close: the client gets a FIN after all the data. (A full
      // close right away can turn into a reset that makes the client drop data it already received.)
      let written = writeStream(pieces, context: context)
      let channel = context.channel
      written.whenComplete { _ in channel.close(mode: .output, promise: nil) }
    case .sseThenHold(let pieces):
      writeStream(pieces, context: context)
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

  @discardableResult
  private func writeStream(_ pieces: [String], context: ChannelHandlerContext) -> EventLoopFuture<Void> {
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: "text/event-stream")
    headers.add(name: "Cache-Control", value: "no-cache")
    let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
    var last = context.writeAndFlush(wrapOutboundOut(.head(head)))
    for piece in pieces {
      last = context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: piece)))))
    }
    return last
  }
}
