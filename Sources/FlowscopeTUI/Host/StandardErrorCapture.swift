import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Sends standard error to a log file while the debugger owns the screen, so stray messages (from
/// libraries, or a crash's last words) neither corrupt the screen nor get lost.
final class StandardErrorCapture {
  let url: URL
  private var saved: Int32 = -1
  private var startSize: UInt64 = 0

  /// Redirects fd 2 to `url` (appending); does nothing if the file cannot be opened.
  init(url: URL) {
    self.url = url
    try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let file = open(url.path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
    guard file >= 0 else { return }
    defer { close(file) }
    startSize = Self.size(of: url)
    saved = dup(STDERR_FILENO)
    if saved >= 0 { dup2(file, STDERR_FILENO) }
  }

  /// Puts standard error back; returns whether anything was written meanwhile.
  @discardableResult
  func restore() -> Bool {
    guard saved >= 0 else { return false }
    dup2(saved, STDERR_FILENO)
    close(saved)
    saved = -1
    return Self.size(of: url) > startSize
  }

  static func size(of url: URL) -> UInt64 {
    (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? UInt64) ?? 0
  }
}
