import Foundation
import Runtime

/// An error with a Genkit status, raised by flows, steps and the runtime.
///
/// Every surface maps it the same way: the HTTP code, the reflection error body, the SSE error frame
/// and the debugger's error view. Errors of any other type thrown by a flow are reported as
/// `INTERNAL` with their description.
public struct FlowError: Error, Sendable, CustomStringConvertible {
  /// The canonical status.
  public var status: StatusCode
  /// A human-readable message.
  public var message: String
  /// Optional structured details, sent to clients as `details`.
  public var details: JSONValue?
  /// The trace of the run that failed, when the error left a traced run.
  public var traceId: String?
  /// The error's native backtrace, captured where it was made.
  public var backtrace: Backtrace?

  public init(_ status: StatusCode, _ message: String, details: JSONValue? = nil) {
    self.status = status
    self.message = message
    self.details = details
    self.backtrace = NativeBacktrace.capture()
  }

  /// `STATUS: message`, as Genkit renders errors.
  public var description: String { "\(status.rawValue): \(message)" }

  /// Wraps any error: a `FlowError` is returned unchanged, a `CancellationError` becomes `CANCELLED`,
  /// a `FlowStatusProviding` error its own status, anything else (decoding errors included) `INTERNAL`
  /// with its description.
  public init(wrapping error: any Error) {
    switch error {
    case let flowError as FlowError:
      self = flowError
    case is CancellationError:
      self.init(.cancelled, "Action was cancelled")
    case let decoding as DecodingError:
      self.init(.internal, decoding.pathMessage)
    case let described as any FlowStatusProviding:
      self.init(described.flowStatus, String(describing: error))
    default:
      self.init(.internal, String(describing: error))
    }
  }
}

/// Lets an error type of your own declare which Genkit status it maps to.
public protocol FlowStatusProviding: Error {
  var flowStatus: StatusCode { get }
}

/// Native backtraces for error stacks, off unless `FLOWSCOPE_NATIVE_BACKTRACES=1`.
///
/// Swift's unwinder (the `Runtime` module) was seen to fault on Linux while walking from async
/// code into unmapped memory (an intermittent SIGSEGV inside `Backtrace.capture()` under parallel
/// tests), so a crash-free default keeps only the logical span path in stacks.
enum NativeBacktrace {
  static let enabled = ProcessInfo.processInfo.environment["FLOWSCOPE_NATIVE_BACKTRACES"] == "1"

  static func capture() -> Backtrace? {
    guard enabled else { return nil }
    return try? Backtrace.capture(algorithm: .precise, limit: 48)
  }
}
