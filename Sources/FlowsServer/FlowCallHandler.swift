import Flows
import HTTPTypes
import Hummingbird
import Synchronization

/// Serves one call of a flow: checks and reads the request, asks the context provider, then runs
/// the flow and answers `{"result": …}` or a stream of frames.
///
/// Every refusal before the run is a Genkit error body with its HTTP status; nothing about the
/// request's shape produces a 500.
struct FlowCallHandler: Sendable {
  let options: FlowRouteOptions

  func respond(to request: Request, action: AnyAction) async -> Response {
    var request = request
    let input: JSONValue
    let context: ActionContext?
    let streaming = FlowRequestParser.wantsStream(
      accept: request.headers.firstValue(.accept),
      streamQuery: request.uri.query == nil ? nil : request.uri.queryParameters.get("stream"))
    do {
      try FlowRequestParser.checkContentType(request.headers.firstValue(.contentType))
      let body = try await Self.collectBody(of: &request, limit: options.effectiveBodyLimit)
      if streaming, let streams = options.durableStreams, let id = request.headers.firstValue(FlowHeaders.streamId) {
        // Coming back to a durable stream: the body's input is not needed (Genkit's client sends
        // `{}`), but the caller is checked as for a new call.
        let input = (try? FlowRequestParser.input(fromBody: body.readableBytesView)) ?? .null
        _ = try await resolveContext(request, input: input)
        return resume(id, in: streams, request: request)
      }
      input = try FlowRequestParser.input(fromBody: body.readableBytesView)
      context = try await resolveContext(request, input: input)
    } catch let refusal as FlowRequestError {
      return FlowResponses.refusal(refusal)
    } catch {
      return FlowResponses.error(HTTPErrorBody(FlowError(wrapping: error)))
    }
    if streaming { return await stream(action, input: input, context: context, request: request) }
    return await run(action, input: input, context: context, request: request)
  }

  /// Runs the flow and answers with its result or its error. A call still running after the
  /// watch's grace period is cancelled if its client goes away (see `AbandonedCallWatch`).
  func run(_ action: AnyAction, input: JSONValue, context: ActionContext?, request: Request) async -> Response {
    let trace = Mutex<TraceIds?>(nil)
    let options = ActionRunOptions(
      context: context,
      onTraceStarted: { traceId, spanId in trace.withLock { $0 = TraceIds(traceId: traceId, spanId: spanId) } })
    let call = Task { try await action.run(input, options: options) }
    let watch = AbandonedCallWatch.shared
    let id = watch.begin(request) { call.cancel() }
    let outcome = await withTaskCancellationHandler {
      await call.result
    } onCancel: {
      call.cancel()
    }
    let watched = await watch.end(id)
    var response: Response
    switch outcome {
    case .success(let result):
      response = FlowResponses.result(result.result, trace: TraceIds(traceId: result.traceId, spanId: result.spanId))
    case .failure(let error):
      response = FlowResponses.error(HTTPErrorBody(FlowError(wrapping: error)), trace: trace.withLock { $0 })
    }
    // A watched connection is closed after the response: say so, so clients do not reuse it.
    if watched { response.headers[.connection] = "close" }
    return response
  }

  /// Starts the flow and answers `200 text/event-stream` once its trace exists; frames follow as
  /// they are produced. With durable streams the flow feeds a `DurableStream` and this response is
  /// its first subscriber (the flow goes on if the client leaves).
  func stream(_ action: AnyAction, input: JSONValue, context: ActionContext?, request: Request) async -> Response {
    let run = FlowStreamRun(action: action, input: input, context: context)
    let trace = await run.waitForTrace()
    if let streams = options.durableStreams {
      let durable = streams.open()
      durable.trace.withLock { $0 = trace }
      streams.feed(durable, from: run)
      return DurableStreamResponse.make(for: durable, request: request)
    }
    // The connection is watched for a client close during the stream, which ends it afterwards:
    // say so, so clients do not reuse it.
    var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", .connection: "close"]
    FlowResponses.addTrace(trace, to: &headers)
    return Response(
      status: .ok, headers: headers,
      body: ResponseBody { writer in try await run.writeFrames(to: &writer, watching: request) })
  }

  /// The rest of a durable stream (from its first frame), or `204 No Content` when `id` is unknown
  /// or expired.
  func resume(_ id: String, in streams: DurableStreams, request: Request) -> Response {
    guard let durable = streams.stream(id: id) else { return Response(status: .noContent) }
    return DurableStreamResponse.make(for: durable, request: request)
  }

  /// The provider's context, or `nil` without a provider.
  func resolveContext(_ request: Request, input: JSONValue) async throws -> ActionContext? {
    guard let provider = options.contextProvider else { return nil }
    var headers: [String: String] = [:]
    for field in request.headers {
      let name = field.name.canonicalName
      headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
    }
    let data = FlowRequestData(
      method: request.method.rawValue, path: request.uri.path, headers: headers, input: input)
    return try await provider.context(for: data)
  }

  /// Reads the whole body, refusing more than `limit` bytes (by `Content-Length` before reading),
  /// and keeps it in `request` so the connection can still be watched for a close while streaming
  /// (`RequestBody.consumeWithInboundCloseHandler` needs the body in the request, not consumed).
  static func collectBody(of request: inout Request, limit: Int) async throws(FlowRequestError) -> ByteBuffer {
    if let declared = request.headers.firstValue(.contentLength).flatMap({ Int($0) }), declared > limit {
      throw .tooLarge(limit: limit)
    }
    var collected: ByteBuffer?
    do {
      for try await var part in request.body {
        guard (collected?.readableBytes ?? 0) + part.readableBytes <= limit else {
          throw FlowRequestError.tooLarge(limit: limit)
        }
        // A body that arrives in one part (the usual case) is kept as it is, without a copy.
        if collected == nil {
          collected = part
        } else {
          collected?.writeBuffer(&part)
        }
      }
    } catch let refusal as FlowRequestError {
      throw refusal
    } catch {
      throw FlowRequestError(FlowError(.invalidArgument, "Could not read the request body: \(error)"))
    }
    let body = collected ?? ByteBuffer()
    request.body = RequestBody(buffer: body)
    return body
  }
}

extension HTTPFields {
  /// The first value of the header `name` (the subscript joins every value with `, `, which costs
  /// an allocation per lookup on the request path).
  func firstValue(_ name: HTTPField.Name) -> String? {
    first { $0.name == name }?.value
  }
}
