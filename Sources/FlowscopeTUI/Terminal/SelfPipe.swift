#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A non-blocking, close-on-exec pipe used to wake a `poll()` loop: writers put bytes in, the
/// loop polls the read end and empties it. Every operation is async-signal-safe.
struct SelfPipe: Sendable {
  let readDescriptor: Int32
  let writeDescriptor: Int32

  init() throws(SystemCallError) {
    var descriptors: [Int32] = [-1, -1]
    guard pipe(&descriptors) == 0 else { throw SystemCallError("pipe") }
    for descriptor in descriptors {
      let flags = fcntl(descriptor, F_GETFL)
      guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0,
        fcntl(descriptor, F_SETFD, FD_CLOEXEC) == 0
      else {
        let error = SystemCallError("fcntl")
        close(descriptors[0])
        close(descriptors[1])
        throw error
      }
    }
    readDescriptor = descriptors[0]
    writeDescriptor = descriptors[1]
  }

  /// Writes one byte; never blocks (a full pipe already guarantees a wake-up). Signal-safe.
  func post(byte: UInt8) {
    SelfPipe.post(byte: byte, to: writeDescriptor)
  }

  /// `post(byte:)` for a bare descriptor, for signal handlers. Keeps `errno` intact.
  static func post(byte: UInt8, to descriptor: Int32) {
    let savedErrno = errno
    var value = byte
    while write(descriptor, &value, 1) < 0, errno == EINTR {}
    errno = savedErrno
  }

  /// Reads every byte currently in the pipe; never blocks.
  func drain() -> [UInt8] {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 256)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(readDescriptor, $0.baseAddress, $0.count) }
      if count > 0 {
        result.append(contentsOf: buffer[0..<count])
        continue
      }
      if count < 0, errno == EINTR { continue }
      return result
    }
  }

  /// Closes both ends.
  func closeDescriptors() {
    closeReadEnd()
    closeWriteEnd()
  }

  /// Closes the reading end.
  func closeReadEnd() { close(readDescriptor) }

  /// Closes the writing end (the reading end then reports POLLHUP).
  func closeWriteEnd() { close(writeDescriptor) }
}
