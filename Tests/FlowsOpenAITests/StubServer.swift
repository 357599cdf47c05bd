import Flows
import FlowsTestSupport
import NIOCore
import NIOHTTP1

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

/// A scriptable OpenAI-compatible HTTP server on 127.0.0.1 (ephemeral port): the shared
/// `LoopbackHTTPStub` answering with `StubResponse`s.
typealias StubServer = LoopbackHTTPStub

extension LoopbackHTTPStub {
  var baseURL: String { "http://127.0.0.1:\(port)/v1" }

  /// Starts a stub answering every request with `script(request, index)`.
  static func start(_ script: @escaping @Sendable (StubRequest, Int) -> StubResponse) async throws -> StubServer {
    try await start { request, index, context in
      OpenAIStubResponses.respond(script(request, index), context: context)
    }
  }

  /// Starts a stub answering the n-th request with `responses[n]` (the last one repeats).
  static func start(_ responses: [StubResponse]) async throws -> StubServer {
    try await start { _, index in responses[min(index, responses.count - 1)] }
  }

  /// Starts a stub answering every request with `response`.
  static func start(_ response: StubResponse) async throws -> StubServer {
    try await start { _, _ in response }
  }
}

/// Writes `StubResponse`s.
enum OpenAIStubResponses {
  static func respond(_ response: StubResponse, context: ChannelHandlerContext) {
    switch response {
    case .json(let status, let text):
      StubWrite.whole(status: status, contentType: "application/json", body: text, context: context)
    case .jsonWithHeaders(let status, let text, let extra):
      StubWrite.whole(status: status, contentType: "application/json", body: text, headers: extra, context: context)
    case .text(let status, let text, let contentType):
      StubWrite.whole(status: status, contentType: contentType, body: text, context: context)
    case .sse(let pieces):
      writeStream(pieces, context: context)
      StubWrite.end(context: context)
    case .sseThenClose(let pieces):
      writeStream(pieces, context: context)
      let channel = context.channel
      StubWrite.end(context: context).whenComplete { _ in channel.close(promise: nil) }
    case .sseThenDisconnect(let pieces):
      // Once everything is written, and the client has had a moment to read it, half-close: the
      // client gets a FIN after all the data. (AsyncHTTPClient fails the body stream as soon as it
      // sees the connection end, dropping parts it had received but not yet handed over; a server
      // that closes with no pause at all can therefore lose its last chunk in the client.)
      let written = writeStream(pieces, context: context)
      let channel = context.channel
      written.whenComplete { _ in
        channel.eventLoop.scheduleTask(in: .milliseconds(50)) { channel.close(mode: .output, promise: nil) }
      }
    case .sseThenHold(let pieces):
      writeStream(pieces, context: context)
    case .hang:
      break
    }
  }

  @discardableResult
  static func writeStream(_ pieces: [String], context: ChannelHandlerContext) -> EventLoopFuture<Void> {
    var headers = HTTPHeaders()
    headers.add(name: "Content-Type", value: "text/event-stream")
    headers.add(name: "Cache-Control", value: "no-cache")
    var last = StubWrite.streamHead(headers: headers, context: context)
    for piece in pieces { last = StubWrite.chunk(piece, context: context) }
    return last
  }
}
