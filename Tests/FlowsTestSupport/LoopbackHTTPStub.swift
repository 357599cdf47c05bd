import Flows
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A request a stub server received.
public struct StubRequest: Sendable {
  public var method: String
  public var uri: String
  public var headers: [(String, String)]
  public var body: [UInt8]

  public init(method: String, uri: String, headers: [(String, String)], body: [UInt8]) {
    self.method = method
    self.uri = uri
    self.headers = headers
    self.body = body
  }

  /// The body as JSON (`.null` when it is not JSON).
  public var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }

  public func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }
}

/// A scriptable HTTP/1.1 server on 127.0.0.1 (ephemeral port), on SwiftNIO, for tests of HTTP
/// clients: each request is answered by the responder (given the request, its position and the
/// connection to write to, on its event loop); every request is recorded, and connection closes are
/// counted and can be awaited.
public final class LoopbackHTTPStub: Sendable {
  /// Answers one request by writing to `context` (see `StubWrite`), on the connection's event loop.
  public typealias Responder = @Sendable (StubRequest, Int, ChannelHandlerContext) -> Void

  public let port: Int
  private let channel: any Channel
  private let state = Mutex(State())
  private let closedStream: AsyncStream<Void>
  private let closedContinuation: AsyncStream<Void>.Continuation
  private let requestStream: AsyncStream<Void>
  private let requestContinuation: AsyncStream<Void>.Continuation
  let respond: Responder

  struct State {
    var requests: [StubRequest] = []
    var openChannels: [ObjectIdentifier: any Channel] = [:]
    var closedConnections = 0
  }

  private init(channel: any Channel, port: Int, respond: @escaping Responder) {
    self.channel = channel
    self.port = port
    self.respond = respond
    (closedStream, closedContinuation) = AsyncStream.makeStream(of: Void.self)
    (requestStream, requestContinuation) = AsyncStream.makeStream(of: Void.self)
  }

  /// Starts a stub answering every request with `respond`.
  public static func start(respond: @escaping Responder) async throws -> LoopbackHTTPStub {
    let holder = Mutex<LoopbackHTTPStub?>(nil)
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { child in
        child.eventLoop.makeCompletedFuture {
          guard let server = holder.withLock({ $0 }) else { throw ChannelError.ioOnClosedChannel }
          try child.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
          try child.pipeline.syncOperations.addHandler(StubConnectionHandler(server: server))
        }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    guard let port = channel.localAddress?.port else { throw ChannelError.ioOnClosedChannel }
    let server = LoopbackHTTPStub(channel: channel, port: port, respond: respond)
    holder.withLock { $0 = server }
    return server
  }

  /// Stops listening and closes every open connection.
  public func stop() async {
    let open = state.withLock { Array($0.openChannels.values) }
    for child in open { try? await child.close() }
    try? await channel.close()
    closedContinuation.finish()
    requestContinuation.finish()
  }

  /// Requests received so far.
  public var requests: [StubRequest] { state.withLock { $0.requests } }

  /// The JSON bodies of the requests received so far.
  public var bodies: [JSONValue] { requests.map(\.json) }

  /// Connections the client has closed (or that ended) so far.
  public var closedConnections: Int { state.withLock { $0.closedConnections } }

  /// Returns once a connection has closed (immediately for each close already seen).
  public func waitForClosedConnection() async {
    for await _ in closedStream { return }
  }

  /// Returns once a request has arrived (immediately for each request already received).
  public func waitForRequest() async {
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

/// Serves one connection of a stub.
private final class StubConnectionHandler: ChannelInboundHandler {
  typealias InboundIn = HTTPServerRequestPart
  typealias OutboundOut = HTTPServerResponsePart

  let server: LoopbackHTTPStub
  var head: HTTPRequestHead?
  var body: [UInt8] = []

  init(server: LoopbackHTTPStub) { self.server = server }

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
      server.respond(request, index, context)
    }
  }
}

/// Writing a stub's response (call on the connection's event loop, from a responder).
public enum StubWrite {
  /// A whole response with `Content-Length`.
  public static func whole(
    status: Int, contentType: String, body: String, headers extra: [String: String] = [:],
    context: ChannelHandlerContext
  ) {
    var headers = HTTPHeaders(extra.map { ($0.key, $0.value) })
    headers.add(name: "Content-Type", value: contentType)
    headers.add(name: "Content-Length", value: String(body.utf8.count))
    let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
    context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
    context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
    context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
  }

  /// The head of a streamed (chunked) 200 response.
  @discardableResult
  public static func streamHead(headers: HTTPHeaders, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
    let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: headers)
    return context.writeAndFlush(NIOAny(HTTPServerResponsePart.head(head)))
  }

  /// One body chunk, flushed.
  @discardableResult
  public static func chunk(_ text: String, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
    context.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: text)))))
  }

  /// The terminating chunk.
  @discardableResult
  public static func end(context: ChannelHandlerContext) -> EventLoopFuture<Void> {
    context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
  }
}
