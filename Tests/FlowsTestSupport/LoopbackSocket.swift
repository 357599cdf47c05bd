#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

#if canImport(Glibc)
  private let systemConnect = Glibc.connect
#elseif canImport(Darwin)
  private let systemConnect = Darwin.connect
#endif

/// A plain TCP socket to 127.0.0.1, for tests that speak raw HTTP (to see exactly what a server
/// does with a connection, or where no HTTP client library is at hand).
public enum LoopbackSocket {
  /// A socket connected to 127.0.0.1:`port` (the caller closes it), or nil when the connection
  /// fails (`errno` says why). `timeoutSeconds` bounds each send and receive when given.
  public static func connect(port: Int, timeoutSeconds: Int? = nil) -> Int32? {
    #if canImport(Darwin)
      let fd = socket(AF_INET, SOCK_STREAM, 0)
    #else
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #endif
    guard fd >= 0 else { return nil }
    if let timeoutSeconds {
      var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        systemConnect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard connected == 0 else {
      let saved = errno
      close(fd)
      errno = saved
      return nil
    }
    return fd
  }
}
