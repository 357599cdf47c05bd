import AsyncHTTPClient
import Flows
import FlowsClient
import Foundation
import NIOCore
import NIOPosix

/// Turns HTTP statuses, error bodies and transport failures into `FlowError`s that keep the
/// server's own message.
enum OpenAIErrorMapper {
  /// The longest excerpt of a server body put into an error message.
  static let excerptLimit = 200

  /// The status for an HTTP error status code.
  static func status(forHTTPStatus code: Int) -> StatusCode {
    switch code {
    case 400, 413, 415, 422: .invalidArgument
    case 401: .unauthenticated
    case 403: .permissionDenied
    case 404: .notFound
    case 408, 504: .deadlineExceeded
    case 409: .aborted
    case 429: .resourceExhausted
    case 499: .cancelled
    case 501: .unimplemented
    case 502, 503: .unavailable
    case 500: .internal
    case 400..<500: .failedPrecondition
    default: .internal
    }
  }

  /// The error for a non-2xx response and its body (`details` carry the HTTP status, the URL, the
  /// server's error `type` and `code`, and `Retry-After` when given).
  static func httpError(status code: Int, body: [UInt8], url: String, retryAfter: String? = nil) -> FlowError {
    let parsed = ErrorBody(bytes: body)
    var message = "model server returned HTTP \(code)"
    if let text = parsed.message { message += ": " + text }
    var details = JSONObject()
    details["httpStatus"] = .integer(Int64(code))
    details["url"] = .string(url)
    if let type = parsed.type { details["type"] = .string(type) }
    if let serverCode = parsed.code { details["code"] = serverCode }
    if let retryAfter { details["retryAfter"] = .string(retryAfter) }
    return FlowError(status(forHTTPStatus: code), message, details: .object(details))
  }

  /// The error for an `{"error": …}` object inside a 200 body or a stream chunk.
  static func streamError(_ error: JSONValue) -> FlowError {
    let parsed = ErrorBody(value: ["error": error])
    let code = parsed.code?.int64Value.map { Int($0) }
    let status = code.map { (400..<600).contains($0) ? Self.status(forHTTPStatus: $0) : .internal } ?? .internal
    return FlowError(status, "model server reported an error: \(parsed.message ?? error.serialized())")
  }

  /// How failures of the HTTP exchange itself read for a model server.
  static let transport = TransportErrors(serverKind: "model", streamPrefix: "model stream ended early: ")

  /// The error to throw for a failure of the HTTP exchange itself. Cancellation stays a
  /// `CancellationError`.
  static func transportError(_ error: any Error, baseURL: String, duringStream: Bool) -> any Error {
    transport.map(error, url: baseURL, duringStream: duringStream)
  }

  /// True for failures of a reused connection that the server had closed: the request never
  /// reached the server, so sending it again is safe.
  static func isStaleConnection(_ error: any Error) -> Bool {
    if let channel = error as? ChannelError {
      switch channel {
      case .ioOnClosedChannel, .alreadyClosed, .outputClosed: return true
      default: return false
      }
    }
    if let clientError = error as? HTTPClientError { return clientError == .remoteConnectionClosed }
    if let io = error as? IOError { return io.errnoCode == ECONNRESET || io.errnoCode == EPIPE }
    return false
  }

  static func unreachable(_ baseURL: String, reason: String) -> FlowError {
    transport.unreachable(baseURL, reason: reason)
  }

  /// At most `excerptLimit` characters of `text`, on one line.
  static func excerpt(_ text: String) -> String {
    let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
      .trimmingCharacters(in: .whitespaces)
    if flat.isEmpty { return "(empty body)" }
    return flat.count > excerptLimit ? String(flat.prefix(excerptLimit)) + "…" : flat
  }
}

/// The useful fields of an error body in any of the shapes servers use: OpenAI
/// `{"error": {"message", "type", "code"}}` (code a string or an integer), `{"error": "text"}`,
/// FastAPI `{"detail": "text" | [{"msg": …}]}`, `{"message": …}`, or plain text.
struct ErrorBody {
  var message: String?
  var type: String?
  var code: JSONValue?

  init(bytes: [UInt8]) {
    if let value = try? JSONValue(parsing: bytes), value.objectValue != nil {
      self.init(value: value)
      if message != nil { return }
    } else {
      self.init(value: .null)
    }
    let text = String(decoding: bytes, as: UTF8.self)
    message = text.allSatisfy(\.isWhitespace) ? nil : OpenAIErrorMapper.excerpt(text)
  }

  init(value: JSONValue) {
    switch value["error"] {
    case .object(let error)?:
      message = error["message"]?.stringValue
      type = error["type"]?.stringValue
      code = error["code"].flatMap { $0.isNull ? nil : $0 }
    case .string(let text)?:
      message = text
    default:
      break
    }
    if message == nil {
      switch value["detail"] {
      case .string(let text)?: message = text
      case .array(let items)?:
        let texts = items.map { $0["msg"]?.stringValue ?? $0.serialized() }
        message = texts.joined(separator: "; ")
      case let other? where !other.isNull: message = other.serialized()
      default: break
      }
    }
    if message == nil { message = value["message"]?.stringValue }
    if let text = message, text.count > 2000 { message = String(text.prefix(2000)) + "…" }
  }
}
