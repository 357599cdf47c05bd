import Flows
import FlowsTestSupport
import NIOCore
import NIOHTTP1
import NIOPosix

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

/// A scriptable flow server on 127.0.0.1 (ephemeral port): the shared `LoopbackHTTPStub` answering
/// with `StubResponse`s.
typealias FlowStubServer = LoopbackHTTPStub

extension LoopbackHTTPStub {
  var baseURL: String { "http://127.0.0.1:\(port)" }

  /// Starts a stub answering every request with `script(request, index)`.
  static func start(_ script: @escaping @Sendable (StubRequest, Int) -> StubResponse) async throws -> FlowStubServer {
    try await start { request, index, context in
      FlowStubResponses.respond(script(request, index), context: context)
    }
  }
}

/// Writes `StubResponse`s.
enum FlowStubResponses {
  static func respond(_ response: StubResponse, context: ChannelHandlerContext) {
    switch response {
    case .json(let status, let text, let headers):
      StubWrite.whole(status: status, contentType: "application/json", body: text, headers: headers, context: context)
    case .text(let status, let text, let contentType):
      StubWrite.whole(status: status, contentType: contentType, body: text, context: context)
    case .stream(let steps, let end, let contentType, let extraHeaders):
      var headers = HTTPHeaders(extraHeaders.map { ($0.key, $0.value) })
      headers.add(name: "Content-Type", value: contentType)
      StubWrite.streamHead(headers: headers, context: context)
      startStreaming(steps, end: end, on: context.channel)
    case .hang:
      break
    }
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
