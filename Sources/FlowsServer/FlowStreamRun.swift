import Flows
import Hummingbird
import Synchronization

/// A flow started for a streaming response.
///
/// The flow runs in its own task and feeds a `StreamEventQueue`. The response head waits until the
/// root span exists (so it can carry `X-Genkit-Trace-Id`) or the run failed before starting (input
/// rejected by the schema); the body then writes the frames as they come. Cancelling the run, the
/// handler or the writer, or the client closing the connection, cancels the flow.
final class FlowStreamRun: Sendable {
  let queue = StreamEventQueue<FlowStreamEvent>()
  private let head = Mutex<HeadState>(.pending([]))
  private let task = Mutex<Task<Void, Never>?>(nil)

  private enum HeadState {
    case pending([CheckedContinuation<TraceIds?, Never>])
    case known(TraceIds?)
  }

  /// Starts `action` with `input`; chunks and the outcome go to `queue`.
  init(action: AnyAction, input: JSONValue, context: ActionContext?) {
    let queue = self.queue
    let options = ActionRunOptions(
      context: context, onChunk: { chunk in queue.push(.chunk(chunk)) },
      onTraceStarted: { [weak self] traceId, spanId in self?.resolveHead(TraceIds(traceId: traceId, spanId: spanId)) })
    let started = Task { [weak self] in
      do {
        let result = try await action.run(input, options: options)
        self?.resolveHead(nil)
        queue.push(.result(result.result))
      } catch {
        self?.resolveHead(nil)
        queue.push(.failure(FlowError(wrapping: error)))
      }
      queue.finish()
    }
    task.withLock { $0 = started }
  }

  /// Cancels the flow.
  func cancel() { task.withLock { $0 }?.cancel() }

  /// Waits until the trace exists (its ids) or the run ended without one (`nil`). Cancelling the
  /// waiting task cancels the flow.
  func waitForTrace() async -> TraceIds? {
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<TraceIds?, Never>) in
        let known: TraceIds?? = head.withLock { state in
          switch state {
          case .known(let ids): return .some(ids)
          case .pending(var waiters):
            waiters.append(continuation)
            state = .pending(waiters)
            return nil
          }
        }
        if let known { continuation.resume(returning: known) }
      }
    } onCancel: {
      cancel()
    }
  }

  /// Writes every frame to `writer` as it is produced, then ends the body. The flow is cancelled
  /// if the client closes the connection or a write fails. `request` must hold its collected
  /// body (see `FlowCallHandler.collectBody`); the connection is closed after the response.
  func writeFrames(to writer: inout any ResponseBodyWriter, watching request: Request) async throws {
    try await request.body.consumeWithInboundCloseHandler { _ in
      try await withTaskCancellationHandler {
        var pacer = StreamWritePacer()
        var batch: [FlowStreamEvent] = []
        while await queue.next(into: &batch) {
          do {
            try await writer.write(SSEFrame.frames(batch))
          } catch {
            cancel()
            throw error
          }
          if let deadline = pacer.wrote() { await queue.pause(until: deadline) }
        }
      } onCancel: {
        cancel()
      }
    } onInboundClosed: { [weak self] in
      self?.cancel()
    }
    try await writer.finish(nil)
  }

  private func resolveHead(_ ids: TraceIds?) {
    let waiters: [CheckedContinuation<TraceIds?, Never>] = head.withLock { state in
      guard case .pending(let waiters) = state else { return [] }
      state = .known(ids)
      return waiters
    }
    for waiter in waiters { waiter.resume(returning: ids) }
  }
}
