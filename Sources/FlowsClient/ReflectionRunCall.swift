import AsyncHTTPClient
import Flows
import NIOCore

/// One `POST /api/runAction[?stream=true]`: sends the request, reports the trace start and the
/// chunks, and turns the final object into the result or the runtime's error.
struct ReflectionRunCall: Sendable {
  let transport: ReflectionTransport
  let url: String
  let body: JSONValue
  let streaming: Bool
  let cancellations: ReflectionCancellations
  let onTraceStarted: (@Sendable (_ traceId: String, _ spanId: String?) -> Void)?
  let onChunk: (@Sendable (JSONValue) -> Void)?

  static let traceIdHeader = "X-Genkit-Trace-Id"
  static let spanIdHeader = "X-Genkit-Span-Id"

  func run(timeout: Duration) async throws -> ReflectionRunResult {
    let response = try await transport.send(
      ReflectionTransport.request(.POST, url: url, json: body), url: url, timeout: timeout)
    let head = Head(
      traceId: ReflectionTransport.header(Self.traceIdHeader, in: response),
      spanId: ReflectionTransport.header(Self.spanIdHeader, in: response))
    guard response.status.code == 200 else {
      throw try await transport.errorResponse(response, url: url, traceId: head.traceId)
    }
    if let traceId = head.traceId { onTraceStarted?(traceId, head.spanId) }
    let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
    if streaming, !contentType.hasPrefix("application/json") {
      return try await readStream(response.body, head: head)
    }
    let bytes = try await transport.collect(response.body, url: url, limit: ReflectionTransport.maxBodyBytes)
    guard bytes.contains(where: { !Self.isSpace($0) }) else {
      throw endedWithoutResult(chunks: 0, head: head)
    }
    let final: JSONValue
    do {
      final = try JSONValue(parsing: bytes)
    } catch {
      throw ReflectionErrors.malformedBody("runAction response", bytes: bytes, url: url, reason: "\(error)")
    }
    return try result(from: final, head: head) {
      ReflectionErrors.malformedBody("runAction response", bytes: bytes, url: url, reason: $0)
    }
  }

  /// JSON whitespace.
  static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

  /// The trace ids the response head carried.
  struct Head {
    var traceId: String?
    var spanId: String?
  }

  private func readStream(_ body: HTTPClientResponse.Body, head: Head) async throws -> ReflectionRunResult {
    var decoder = ReflectionStreamDecoder()
    let onChunk = self.onChunk
    do {
      for try await buffer in body {
        try Task.checkCancellation()
        try decoder.consume(buffer.readableBytesView) { chunk in onChunk?(chunk) }
      }
    } catch let malformed as ReflectionStreamDecoder.Malformed {
      throw ReflectionErrors.malformedLine(malformed.line, bytes: malformed.bytes, url: url, reason: malformed.reason)
    } catch {
      throw lost(error, chunks: decoder.chunkCount, head: head)
    }
    try Task.checkCancellation()
    let final: JSONValue?
    do {
      final = try decoder.finish { chunk in onChunk?(chunk) }
    } catch let malformed as ReflectionStreamDecoder.Malformed {
      throw ReflectionErrors.malformedLine(malformed.line, bytes: malformed.bytes, url: url, reason: malformed.reason)
    }
    guard let final else { throw endedWithoutResult(chunks: decoder.chunkCount, head: head) }
    let line = decoder.lineCount
    return try result(from: final, head: head) { reason in
      ReflectionErrors.malformedLine(line, bytes: final.serializedBytes(), url: url, reason: reason)
    }
  }

  /// The result of a final object, or its error thrown.
  private func result(from final: JSONValue, head: Head, malformed: (String) -> FlowError) throws
    -> ReflectionRunResult
  {
    guard let object = final.objectValue else {
      throw malformed("the final object must be {\"result\": …} or {\"error\": …}, got \(final.typeName)")
    }
    if let error = object["error"], !error.isNull {
      switch error {
      case .object: throw ReflectionErrors.runtimeError(error, fallbackTraceId: head.traceId)
      case .string(let text):
        var flowError = FlowError(.internal, text)
        flowError.traceId = head.traceId
        throw flowError
      default:
        var flowError = FlowError(.internal, "the runtime reported an error: \(error.serialized())")
        flowError.traceId = head.traceId
        throw flowError
      }
    }
    let telemetry = object["telemetry"]
    guard object["result"] != nil || telemetry != nil else {
      throw malformed("the final object has neither \"result\" nor \"error\"")
    }
    return ReflectionRunResult(
      result: object["result"] ?? .null, traceId: telemetry?["traceId"]?.stringValue ?? head.traceId,
      spanId: telemetry?["spanId"]?.stringValue ?? head.spanId)
  }

  private func endedWithoutResult(chunks: Int, head: Head) -> FlowError {
    let known = head.traceId.map(cancellations.contains) ?? false
    return ReflectionErrors.endedWithoutResult(url: url, chunks: chunks, traceId: head.traceId, knownCancelled: known)
  }

  /// The error for a failure while reading the stream.
  private func lost(_ error: any Error, chunks: Int, head: Head) -> any Error {
    let mapped = ReflectionTransport.errors.map(error, url: url, duringStream: true)
    if mapped is CancellationError { return mapped }
    if let flowError = mapped as? FlowError, flowError.status == .deadlineExceeded { return flowError }
    let reason: String
    if let known = ConnectionFailure.reason(for: error) {
      reason = known
    } else if let clientError = error as? HTTPClientError, clientError == .remoteConnectionClosed {
      reason = "the runtime closed the connection"
    } else {
      reason = "\(error)"
    }
    return ReflectionErrors.connectionLost(url: url, chunks: chunks, reason: reason, traceId: head.traceId)
  }
}
