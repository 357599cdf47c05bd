import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Parent-process lookups, to recognise a runtime started under a launcher (`sh -c`, `npm run`,
/// `uv run`) whose own pid is not the one Flowscope started.
enum ProcessAncestry {
  /// The parent of `pid`, or nil when it cannot be read (the process is gone, or the platform
  /// does not say).
  static func parent(of pid: Int32) -> Int32? {
    #if os(Linux)
      // /proc/<pid>/stat: "<pid> (<comm>) <state> <ppid> …"; comm may hold spaces and parentheses.
      guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = text.lastIndex(of: ")")
      else { return nil }
      let fields = text[text.index(after: close)...].split(separator: " ")
      guard fields.count >= 2, let parent = Int32(fields[1]) else { return nil }
      return parent
    #elseif canImport(Darwin)
      var info = kinfo_proc()
      var size = MemoryLayout<kinfo_proc>.stride
      var name: [Int32] = [CTL_KERN, KERN_PROC, KERN_PROC_PID, pid]
      guard sysctl(&name, UInt32(name.count), &info, &size, nil, 0) == 0, size > 0 else { return nil }
      return info.kp_eproc.e_ppid
    #else
      return nil
    #endif
  }

  /// True when `pid` is `ancestor` or one of its descendants (at most 32 generations up).
  static func isDescendant(_ pid: Int32, of ancestor: Int32) -> Bool {
    var current = pid
    for _ in 0..<32 {
      if current == ancestor { return true }
      guard current > 1, let parent = parent(of: current), parent != current else { return false }
      current = parent
    }
    return false
  }
}
