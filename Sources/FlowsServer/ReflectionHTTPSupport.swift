import Flows
import HTTPTypes
import Hummingbird

/// Response building and body reading shared by the reflection and telemetry routes.
enum ReflectionHTTP {
  /// `x-genkit-version`, on every reflection response.
  static let versionHeader = HTTPField.Name("x-genkit-version")
  /// `X-Genkit-Trace-Id`, sent as soon as a run's root span exists.
  static let traceIdHeader = HTTPField.Name("X-Genkit-Trace-Id")
  /// `X-Genkit-Span-Id`, the root span of the run.
  static let spanIdHeader = HTTPField.Name("X-Genkit-Span-Id")
  /// `X-Genkit-Version` as JS sends it with the trace headers (same value as `x-genkit-version`).
  static let runVersionHeader = HTTPField.Name("X-Genkit-Version")

  /// Sets a header whose name is known to be valid.
  static func set(_ name: HTTPField.Name?, _ value: String, in fields: inout HTTPFields) {
    guard let name else { return }
    fields[name] = value
  }

  /// A JSON response.
  static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
    var headers = headers
    headers[.contentType] = "application/json"
    return Response(
      status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.serializedBytes())))
  }

  /// A plain-text response (Genkit answers `OK` and some errors as text).
  static func text(_ value: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "text/plain; charset=utf-8"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: value)))
  }

  /// Why a request body could not be read as JSON.
  struct BodyError: Error, CustomStringConvertible {
    var description: String
    var tooLarge = false
  }

  /// Reads the whole body (at most `limit` bytes) and parses it as JSON.
  static func readJSON(_ request: Request, limit: Int) async throws(BodyError) -> JSONValue {
    let buffer: ByteBuffer
    do {
      buffer = try await request.body.collect(upTo: limit)
    } catch {
      throw BodyError(description: "request body is larger than \(limit) bytes", tooLarge: true)
    }
    guard buffer.readableBytes > 0 else { throw BodyError(description: "request body is empty; expected JSON") }
    do {
      return try JSONValue(parsing: buffer.readableBytesView)
    } catch {
      throw BodyError(description: "request body is not valid JSON: \(error)")
    }
  }

  /// The status for a body error: 413 when too large, else 400.
  static func status(for error: BodyError) -> HTTPResponse.Status {
    error.tooLarge ? .contentTooLarge : .badRequest
  }
}

/// Adds `x-genkit-version` to every response of the routes it wraps.
struct ReflectionVersionMiddleware<Context: RequestContext>: RouterMiddleware {
  let version: String

  func handle(
    _ request: Request, context: Context, next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    var response = try await next(request, context)
    ReflectionHTTP.set(ReflectionHTTP.versionHeader, version, in: &response.headers)
    return response
  }
}
