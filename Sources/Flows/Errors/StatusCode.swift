/// Genkit's canonical status set (the gRPC codes), with the HTTP status each maps to.
public enum StatusCode: String, Sendable, CaseIterable, Codable, Hashable {
  case ok = "OK"
  case cancelled = "CANCELLED"
  case unknown = "UNKNOWN"
  case invalidArgument = "INVALID_ARGUMENT"
  case deadlineExceeded = "DEADLINE_EXCEEDED"
  case notFound = "NOT_FOUND"
  case alreadyExists = "ALREADY_EXISTS"
  case permissionDenied = "PERMISSION_DENIED"
  case resourceExhausted = "RESOURCE_EXHAUSTED"
  case failedPrecondition = "FAILED_PRECONDITION"
  case aborted = "ABORTED"
  case outOfRange = "OUT_OF_RANGE"
  case unimplemented = "UNIMPLEMENTED"
  case `internal` = "INTERNAL"
  case unavailable = "UNAVAILABLE"
  case dataLoss = "DATA_LOSS"
  case unauthenticated = "UNAUTHENTICATED"

  /// The canonical numeric code (0–16).
  public var code: Int {
    switch self {
    case .ok: 0
    case .cancelled: 1
    case .unknown: 2
    case .invalidArgument: 3
    case .deadlineExceeded: 4
    case .notFound: 5
    case .alreadyExists: 6
    case .permissionDenied: 7
    case .resourceExhausted: 8
    case .failedPrecondition: 9
    case .aborted: 10
    case .outOfRange: 11
    case .unimplemented: 12
    case .internal: 13
    case .unavailable: 14
    case .dataLoss: 15
    case .unauthenticated: 16
    }
  }

  /// The HTTP status Genkit maps this code to.
  public var httpStatus: Int {
    switch self {
    case .ok: 200
    case .cancelled: 499
    case .unknown, .internal, .dataLoss: 500
    case .invalidArgument, .failedPrecondition, .outOfRange: 400
    case .deadlineExceeded: 504
    case .notFound: 404
    case .alreadyExists, .aborted: 409
    case .permissionDenied: 403
    case .resourceExhausted: 429
    case .unimplemented: 501
    case .unavailable: 503
    case .unauthenticated: 401
    }
  }

  /// The status for a canonical numeric code, if it is one.
  public init?(code: Int) {
    guard let match = StatusCode.allCases.first(where: { $0.code == code }) else { return nil }
    self = match
  }

  /// Parses a status name, accepting Genkit's spellings (`INVALID ARGUMENT` with a space is seen too).
  public init?(name: String) {
    let normalized = name.uppercased().replacingOccurrences(of: " ", with: "_")
    self.init(rawValue: normalized)
  }
}
