import Flows

/// A streaming flow call: an asynchronous sequence of the flow's chunks, then its `output`.
///
/// The request is sent on first use. Chunks that arrive before they are asked for are buffered,
/// so `output` can be awaited without iterating (the chunks are then kept until the stream is
/// dropped). The sequence ends after the last chunk when the result arrives, and throws the
/// call's error (a `FlowError`, or `CancellationError`) when it fails; `output` throws the same.
///
/// Cancelling a task that iterates the stream or awaits `output`, leaving the iteration before
/// its end (`break`), or dropping every copy of the stream and its iterators before the result
/// cancels the call and closes the request.
public struct FlowClientStream: AsyncSequence, Sendable {
  /// A chunk the flow sent (the `message` of a frame).
  public typealias Element = JSONValue
  /// The stream fails with a `FlowError`, or `CancellationError`.
  public typealias Failure = any Error

  /// The flow's URL.
  public let url: String
  private let handle: Handle

  init(url: String, call: FlowStreamCall) {
    self.url = url
    self.handle = Handle(call: call)
  }

  /// The flow's result, once the stream ends.
  ///
  /// - Throws: the call's `FlowError` (an error frame, an error status, a stream that ended
  ///   before the result, a timeout, an unreachable server), or `CancellationError`.
  public var output: JSONValue {
    get async throws { try await handle.call.output() }
  }

  /// The trace id the server sent (`X-Genkit-Trace-Id`), once the response head arrived; nil
  /// when it sent none or the call failed before answering.
  public var traceId: String? {
    get async { await handle.call.head()?.traceId }
  }

  /// The durable stream id the server sent (`x-genkit-stream-id`), once the response head
  /// arrived: pass it to `FlowClient.resume(flow:streamId:)` to get the stream again after losing
  /// it. Nil when the server keeps no durable streams, or the call failed before answering.
  public var streamId: String? {
    get async { await handle.call.head()?.streamId }
  }

  /// Cancels the call (nothing happens once its result or error is known).
  public func cancel() { handle.call.cancel() }

  /// An iterator over the chunks. Iterate the stream once: chunks taken by one iterator are not
  /// seen by another.
  public func makeAsyncIterator() -> Iterator { Iterator(token: IterationToken(handle: handle)) }

  /// Iterates the chunks of a `FlowClientStream`.
  public struct Iterator: AsyncIteratorProtocol {
    private let token: IterationToken

    fileprivate init(token: IterationToken) { self.token = token }

    /// The next chunk, or nil after the last one.
    public mutating func next() async throws -> JSONValue? {
      try await token.handle.call.next()
    }
  }
}

/// Owned by every copy of a stream and by its iterators: when the last one goes, the call is
/// cancelled (a no-op once it ended).
private final class Handle: Sendable {
  let call: FlowStreamCall
  init(call: FlowStreamCall) { self.call = call }
  deinit { call.cancel() }
}

/// Owned by one iterator: an iteration abandoned before the end cancels the call.
private final class IterationToken: Sendable {
  let handle: Handle
  init(handle: Handle) { self.handle = handle }
  deinit { handle.call.cancel() }
}
