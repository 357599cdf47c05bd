#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// TCP ports on 127.0.0.1 (for starting local servers, and for tests).
package enum LoopbackPort {
  /// A port that was free a moment ago: the kernel's pick when binding port 0 (the socket is
  /// closed again, so another process may take it first; callers retry on a bind failure).
  package static func pickFree() throws -> Int {
    let reservation = try Reservation()
    reservation.release()
    return reservation.port
  }

  /// A port bound on 127.0.0.1 but never listened on: connecting to it is refused, and nobody else
  /// can take it until `release()`.
  package struct Reservation: Sendable {
    package let descriptor: Int32
    package let port: Int

    package init() throws {
      #if canImport(Darwin)
        let fd = socket(AF_INET, SOCK_STREAM, 0)
      #else
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      #endif
      guard fd >= 0 else { throw FlowError(.internal, "socket() failed: \(String(cString: strerror(errno)))") }
      var address = sockaddr_in()
      address.sin_family = sa_family_t(AF_INET)
      address.sin_port = 0
      address.sin_addr.s_addr = inet_addr("127.0.0.1")
      var length = socklen_t(MemoryLayout<sockaddr_in>.size)
      let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
      }
      guard bound == 0 else {
        let reason = String(cString: strerror(errno))
        close(fd)
        throw FlowError(.internal, "bind() failed: \(reason)")
      }
      let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
      }
      guard named == 0 else {
        let reason = String(cString: strerror(errno))
        close(fd)
        throw FlowError(.internal, "getsockname() failed: \(reason)")
      }
      descriptor = fd
      port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Gives the port back.
    package func release() { close(descriptor) }
  }
}
