#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes to standard output or error without ever trapping: `FileHandle.write(_:)` crashes the
/// process when the write fails (a closed terminal answers EIO), which would end it before it
/// cleans up (a child left running, traces not saved). Failures are ignored: there is nowhere
/// left to report them.
#if canImport(Glibc)
  private let systemWrite = Glibc.write
#elseif canImport(Musl)
  private let systemWrite = Musl.write
#elseif canImport(Darwin)
  private let systemWrite = Darwin.write
#endif

package enum StandardStream {
  case output, error

  private var descriptor: Int32 { self == .output ? 1 : 2 }

  /// Writes all of `text`, retrying after interruptions and partial writes.
  package func write(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        return
      }
      bytes = bytes.dropFirst(written)
    }
  }
}
