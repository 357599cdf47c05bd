import Flows

/// Checks the `Authorization` header against an API key or a predicate (Genkit JS `apiKey()`).
///
/// A missing or empty header is `401 UNAUTHENTICATED` ("Unauthenticated"); a key that does not pass
/// is `403 PERMISSION_DENIED` ("Permission Denied"). The header may carry the key as is or as
/// `Bearer <key>`. On success the context's `auth` is `{"apiKey": <the key presented>}` (redacted
/// in traces).
public struct APIKeyContextProvider: ContextProvider {
  private let isAllowed: @Sendable (String) async -> Bool

  /// Accepts exactly `key`.
  public init(key: String) {
    let expected = Array(key.utf8)
    isAllowed = { presented in Self.constantTimeEquals(Array(presented.utf8), expected) }
  }

  /// Accepts the keys for which `isAllowed` returns true.
  public init(isAllowed: @escaping @Sendable (_ key: String) async -> Bool) {
    self.isAllowed = isAllowed
  }

  /// `{"auth": {"apiKey": …}}` for an accepted key; throws 401/403 otherwise.
  public func context(for request: FlowRequestData) async throws -> ActionContext {
    guard let header = request.header("authorization"), !header.isEmpty else {
      throw FlowError(.unauthenticated, "Unauthenticated")
    }
    let key = Self.presentedKey(header)
    guard await isAllowed(key) else { throw FlowError(.permissionDenied, "Permission Denied") }
    return ActionContext(auth: ["apiKey": .string(key)])
  }

  /// `Bearer abc` → `abc`; any other value as is.
  static func presentedKey(_ header: String) -> String {
    let prefix = "bearer "
    guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else { return header }
    return String(header.dropFirst(prefix.count)).trimmingWhitespace()
  }

  /// Compares without an early exit, so response timing does not reveal how much of a key matched.
  static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    var difference: UInt8 = a.count == b.count ? 0 : 1
    for index in 0..<max(a.count, b.count) {
      let x = index < a.count ? a[index] : 0
      let y = index < b.count ? b[index] : 0
      difference |= x ^ y
    }
    return difference == 0
  }
}
