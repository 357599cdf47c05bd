import Flows
import HTTPTypes
import Hummingbird
import Synchronization

/// `POST /api/runAction[?stream=true]`, as Genkit's reflection servers answer it.
///
/// The action runs in its own task. The response head (status 200, `X-Genkit-Trace-Id`,
/// `X-Genkit-Span-Id`, `X-Genkit-Version`) is sent as soon as the root span exists; the body
/// follows: for `?stream=true` (or `Accept: text/event-stream`, as the Python runtime allows)
/// each chunk as compact JSON plus `\n`, written as produced, then the final object without a
/// trailing newline; otherwise just the final object. The final object is
/// `{"result": …, "telemetry": {"traceId": …}}` or, still with HTTP 200,
/// `{"error": {"code": <canonical>, "message": …, "details": {"stack": …, "traceId": …}}}`.
/// Traces are flushed (exporter, then `flushTraces`) before the final object is written.
struct ReflectionRunAction {
  let runtime: FlowRuntime
  let state: ReflectionState

  /// How the final object and chunks reach the body writer.
  enum Output: Sendable {
    case chunk(JSONValue)
    case final(JSONValue)
  }

  /// The root span's ids, or nil when the run ended before it had one (e.g. invalid input).
  struct Start: Sendable {
    var traceId: String
    var spanId: String
  }

  func respond(to request: Request) async -> Response {
    let streaming =
      request.uri.queryParameters.get("stream") == "true" || request.headers[.accept] == "text/event-stream"
    let body: ReflectionRunRequest
    do {
      body = try ReflectionRunRequest(json: try await ReflectionHTTP.readJSON(request, limit: 32 << 20))
    } catch let error as ReflectionHTTP.BodyError {
      return ReflectionHTTP.json(
        ReflectionErrorBody.simple(.invalidArgument, error.description), status: ReflectionHTTP.status(for: error))
    } catch let error as ReflectionRunRequest.Invalid {
      return ReflectionHTTP.json(ReflectionErrorBody.simple(.invalidArgument, error.message), status: .badRequest)
    } catch {
      return ReflectionHTTP.json(ReflectionErrorBody.simple(.invalidArgument, "\(error)"), status: .badRequest)
    }
    guard let action = runtime.registry.action(forKey: body.key) else {
      return ReflectionHTTP.json(
        ReflectionErrorBody.simple(.notFound, "action \(body.key) not found"), status: .notFound)
    }

    let output = StreamEventQueue<Output>()
    let (starts, startSink) = AsyncStream<Start?>.makeStream(bufferingPolicy: .bufferingOldest(1))
    let handle = ReflectionRunHandle()
    let state = self.state
    let task = Task<Void, Never> {
      await Self.run(
        action, body, streaming: streaming, state: state, handle: handle, output: output, starts: startSink)
    }
    handle.attach(task)

    var start: Start?
    for await first in starts {
      start = first
      break
    }
    var headers: HTTPFields = [.contentType: streaming ? "text/plain; charset=utf-8" : "application/json"]
    if let start {
      ReflectionHTTP.set(ReflectionHTTP.traceIdHeader, start.traceId, in: &headers)
      ReflectionHTTP.set(ReflectionHTTP.spanIdHeader, start.spanId, in: &headers)
      ReflectionHTTP.set(ReflectionHTTP.runVersionHeader, ReflectionVersion.genkitVersion, in: &headers)
    }
    return Response(
      status: .ok, headers: headers,
      body: ResponseBody { writer in
        // Everything produced since the last write goes out in one write, paced like a flow's SSE.
        var pacer = StreamWritePacer()
        var batch: [Output] = []
        while await output.next(into: &batch) {
          try await writer.write(Self.lines(batch))
          if let deadline = pacer.wrote() { await output.pause(until: deadline) }
        }
        try await writer.finish(nil)
      })
  }
}

extension ReflectionRunAction {
  /// The body bytes of `outputs`: each chunk as compact JSON and a newline, the final object
  /// without one.
  static func lines(_ outputs: [Output]) -> ByteBuffer {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(outputs.count * 16)
    for output in outputs {
      switch output {
      case .chunk(let chunk):
        chunk.serialize(appendingTo: &bytes)
        bytes.append(UInt8(ascii: "\n"))
      case .final(let final):
        final.serialize(appendingTo: &bytes)
      }
    }
    return ByteBuffer(bytes: bytes)
  }

  /// Runs the action, reporting its start, chunks and final object.
  static func run(
    _ action: AnyAction, _ body: ReflectionRunRequest, streaming: Bool, state: ReflectionState,
    handle: ReflectionRunHandle, output: StreamEventQueue<Output>, starts: AsyncStream<Start?>.Continuation
  ) async {
    let started = ReflectionStartedTrace()
    var onChunk: (@Sendable (JSONValue) -> Void)?
    if streaming {
      onChunk = { chunk in output.push(.chunk(chunk)) }
    }
    let options = ActionRunOptions(
      context: body.context, labels: body.labels, onChunk: onChunk,
      onTraceStarted: { traceId, spanId in
        started.set(traceId)
        state.activeRuns.register(handle, traceId: traceId)
        starts.yield(Start(traceId: traceId, spanId: spanId))
      })
    let final: JSONValue
    do {
      let result = try await action.run(body.input, options: options)
      final = ["result": result.result, "telemetry": ["traceId": .string(result.traceId)]]
    } catch {
      final = ReflectionErrorBody.wrapped(FlowError(wrapping: error), traceId: started.traceId)
    }
    if let traceId = started.traceId { state.activeRuns.remove(traceId: traceId) }
    await state.flushBeforeResult()
    output.push(.final(final))
    output.finish()
    starts.yield(nil)
    starts.finish()
  }
}

/// The trace id of a run once its root span exists (set from the run's start callback).
final class ReflectionStartedTrace: Sendable {
  private let value = Mutex<String?>(nil)

  var traceId: String? { value.withLock { $0 } }

  func set(_ traceId: String) { value.withLock { $0 = traceId } }
}
