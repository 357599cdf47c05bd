import Hummingbird

/// The response of one subscriber of a durable stream: `200 text/event-stream` with the stream id
/// and the run's trace ids, the frames sent so far, then the rest as they come.
enum DurableStreamResponse {
  static func make(for stream: DurableStream, request: Request) -> Response {
    let subscription = stream.subscribe()
    // The connection is watched for a client close, which ends it after the response: say so.
    var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", .connection: "close"]
    headers[FlowHeaders.streamId] = stream.id
    FlowResponses.addTrace(stream.trace.withLock { $0 }, to: &headers)
    return Response(
      status: .ok, headers: headers,
      body: ResponseBody { writer in
        try await write(subscription, of: stream, to: &writer, watching: request)
      })
  }

  /// Writes the replay, then each later write of the stream (paced like any stream), until the
  /// stream ends or the client goes away (which only unsubscribes: the flow goes on).
  static func write(
    _ subscription: DurableStream.Subscription, of stream: DurableStream, to writer: inout any ResponseBodyWriter,
    watching request: Request
  ) async throws {
    defer { stream.unsubscribe(subscription) }
    try await request.body.consumeWithInboundCloseHandler { _ in
      if subscription.replay.readableBytes > 0 { try await writer.write(subscription.replay) }
      guard let live = subscription.live else { return }
      var pacer = StreamWritePacer()
      var batch: [ByteBuffer] = []
      while await live.next(into: &batch) {
        if batch.count == 1 {
          try await writer.write(batch[0])
        } else {
          var combined = ByteBuffer()
          combined.reserveCapacity(batch.reduce(0) { $0 + $1.readableBytes })
          for part in batch { combined.writeImmutableBuffer(part) }
          try await writer.write(combined)
        }
        if let deadline = pacer.wrote() { await live.pause(until: deadline) }
      }
    } onInboundClosed: {
      stream.unsubscribe(subscription)
    }
    try await writer.finish(nil)
  }
}
