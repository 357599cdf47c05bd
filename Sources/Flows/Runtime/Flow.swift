import Synchronization

/// What a flow run returns besides its output: where its trace is.
public struct FlowResult<Output: Sendable>: Sendable {
  public let output: Output
  public let traceID: TraceID
  public let spanID: SpanID

  @inlinable
  public init(output: Output, traceID: TraceID, spanID: SpanID) {
    self.output = output
    self.traceID = traceID
    self.spanID = spanID
  }

  /// The trace id as 32 lowercase hex characters.
  public var traceId: String { traceID.hex }
  /// The root span id as 16 lowercase hex characters.
  public var spanId: String { spanID.hex }
}

/// A flow: a traced, optionally streaming, typed async function registered under `/flow/<name>`.
///
/// Call it directly (`try await flow(input)`), with its trace ids (`run`), streaming (`stream`),
/// or by key with JSON through the runtime's registry.
public struct Flow<Input: Codable & Sendable, Output: Codable & Sendable, Chunk: Codable & Sendable>: Sendable {
  public let descriptor: ActionDescriptor
  public let runtime: FlowRuntime
  @usableFromInline let body: @Sendable (Input, FlowContext<Chunk>) async throws -> Output

  @usableFromInline
  init(
    descriptor: ActionDescriptor, runtime: FlowRuntime,
    body: @escaping @Sendable (Input, FlowContext<Chunk>) async throws -> Output
  ) {
    self.descriptor = descriptor
    self.runtime = runtime
    self.body = body
  }

  public var name: String { descriptor.name }
  public var key: String { descriptor.key }

  /// Runs the flow and returns its output.
  @inlinable
  public func callAsFunction(_ input: Input) async throws -> Output {
    try await run(input).output
  }

  /// Runs the flow. `onChunk` receives stream chunks as they are sent; chunks are recorded in the
  /// trace whether or not it is given.
  @inlinable
  public func run(
    _ input: Input, context: ActionContext? = nil, labels: [String: String] = [:],
    onChunk: (@Sendable (Chunk) -> Void)? = nil
  ) async throws -> FlowResult<Output> {
    var sink: ChunkSink?
    if let onChunk {
      sink = .values { value in
        if let chunk = value as? Chunk { onChunk(chunk) }
      }
    }
    return try await execute(input, context: context, labels: labels, sink: sink, onStart: nil)
  }

  @inlinable
  func execute(
    _ input: Input, context: ActionContext?, labels: [String: String],
    sink: ChunkSink?, onStart: (@Sendable (SpanInfo) -> Void)?
  ) async throws -> FlowResult<Output> {
    let body = self.body
    return try await runtime.traced(
      name, kind: .flow, input: .encodable(input), actionKey: key, context: context, metadata: [:], labels: labels,
      ownsStream: true, sink: sink, recordOutput: { .encodable($0.output) }
    ) { span in
      onStart?(span)
      let output = try await body(input, FlowContext<Chunk>(scope: span.scope, span: span))
      return FlowResult(output: output, traceID: span.traceId, spanID: span.spanId)
    }
  }

  /// Runs the flow in a new task and streams its chunks. Iterate the stream for chunks, then await
  /// `output`. Ending the iteration early or cancelling cancels the flow.
  public func stream(_ input: Input, context: ActionContext? = nil) -> FlowStream<Chunk, Output> {
    let (chunks, continuation) = AsyncThrowingStream<Chunk, any Error>.makeStream()
    let task = Task {
      do {
        let result = try await self.run(input, context: context) { continuation.yield($0) }
        continuation.finish()
        return result
      } catch {
        continuation.finish(throwing: error)
        throw error
      }
    }
    continuation.onTermination = { termination in
      if case .cancelled = termination { task.cancel() }
    }
    return FlowStream(chunks: chunks, task: task)
  }

  /// The flow as a JSON action for the registry.
  public var anyAction: AnyAction {
    let flow = self
    return AnyAction(descriptor: descriptor) { input, options in
      let typedInput: Input
      do {
        typedInput = try JSONValueDecoder().decode(Input.self, from: input)
      } catch let error as DecodingError {
        throw FlowError(.invalidArgument, error.pathMessage)
      }
      let sink = options.onChunk.map { ChunkSink.json($0) }
      let started = Mutex<String?>(nil)
      let notify = options.onTraceStarted
      do {
        let result = try await flow.execute(
          typedInput, context: options.context, labels: options.labels, sink: sink,
          onStart: { span in
            started.withLock { $0 = span.traceId.hex }
            notify?(span.traceId.hex, span.spanId.hex)
          })
        let output = try JSONValueEncoder().encode(result.output)
        return ActionRunResult(result: output, traceId: result.traceId, spanId: result.spanId)
      } catch {
        var flowError = FlowError(wrapping: error)
        flowError.traceId = flowError.traceId ?? started.withLock { $0 }
        throw flowError
      }
    }
  }
}

/// A running flow's stream of chunks and its eventual output.
///
/// Iterating ends when the flow ends (with its error, if it failed). Leaving the loop early
/// (`break`, or the iterating task being cancelled) cancels the flow, as does `cancel()`.
public struct FlowStream<Chunk: Sendable, Output: Sendable>: AsyncSequence, Sendable {
  public typealias Element = Chunk
  public let chunks: AsyncThrowingStream<Chunk, any Error>
  let task: Task<FlowResult<Output>, any Error>

  /// The flow's output (waits for the flow to finish; throws its error).
  public var output: Output { get async throws { try await task.value.output } }

  /// The output with the trace ids.
  public var result: FlowResult<Output> { get async throws { try await task.value } }

  /// Cancels the flow.
  public func cancel() { task.cancel() }

  public func makeAsyncIterator() -> Iterator {
    Iterator(base: chunks.makeAsyncIterator(), abandon: AbandonGuard(task: task))
  }

  /// Iterates the chunks; dropping it before the end cancels the flow.
  public struct Iterator: AsyncIteratorProtocol {
    var base: AsyncThrowingStream<Chunk, any Error>.Iterator
    let abandon: AbandonGuard

    public mutating func next() async throws -> Chunk? {
      do {
        guard let chunk = try await base.next() else {
          abandon.disarm()
          return nil
        }
        return chunk
      } catch {
        abandon.disarm()
        throw error
      }
    }
  }

  /// Cancels the flow's task when the last iterator copy goes away before the stream ended.
  final class AbandonGuard: Sendable {
    let task: Task<FlowResult<Output>, any Error>
    private let armed = Atomic<Bool>(true)

    init(task: Task<FlowResult<Output>, any Error>) { self.task = task }

    func disarm() { armed.store(false, ordering: .relaxed) }

    deinit { if armed.load(ordering: .relaxed) { task.cancel() } }
  }
}
