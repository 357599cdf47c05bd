import Flows

/// The Genkit status for an HTTP status code (the inverse of `StatusCode.httpStatus`, with the
/// codes Genkit never sends mapped to their closest status).
enum HTTPStatusMapping {
  static func status(forHTTPStatus code: Int) -> StatusCode {
    switch code {
    case 200..<300: .unknown
    case 400, 413, 414, 415, 422: .invalidArgument
    case 401: .unauthenticated
    case 403: .permissionDenied
    case 404: .notFound
    case 405, 501: .unimplemented
    case 408, 504: .deadlineExceeded
    case 409: .aborted
    case 429: .resourceExhausted
    case 499: .cancelled
    case 502, 503: .unavailable
    case 400..<500: .failedPrecondition
    default: .internal
    }
  }
}
