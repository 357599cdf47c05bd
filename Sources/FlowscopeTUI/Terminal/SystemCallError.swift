#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A POSIX call failed (creating a pipe, polling); carries the call's name and `errno`.
public struct SystemCallError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The failed call, e.g. `pipe`.
  public var call: String
  /// The `errno` it left.
  public var code: Int32

  /// Captures the current `errno` for `call`.
  public init(_ call: String, code: Int32 = errno) {
    self.call = call
    self.code = code
  }

  public var description: String {
    let reason = strerror(code).map { String(cString: $0) } ?? "error \(code)"
    return "\(call) failed: \(reason)"
  }
}
