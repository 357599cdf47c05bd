/// The output of a child process started with the debugger (`flowscope start`): the newest lines,
/// kept within a bound so a chatty app cannot grow the debugger's memory without limit.
public struct AppLog: Sendable, Equatable {
  /// At most this many lines are kept (older ones are dropped).
  public let capacity: Int
  public private(set) var lines: [String] = []
  /// Lines dropped from the front since the start.
  public private(set) var droppedCount = 0
  /// Lines appended since the log was last viewed.
  public var unreadCount = 0

  public init(capacity: Int = 5_000) {
    self.capacity = max(capacity, 1)
  }

  /// Appends lines (already split at newlines; a line may be empty).
  public mutating func append(_ newLines: [String]) {
    guard !newLines.isEmpty else { return }
    lines.append(contentsOf: newLines)
    unreadCount += newLines.count
    if lines.count > capacity {
      let excess = lines.count - capacity
      lines.removeFirst(excess)
      droppedCount += excess
    }
  }

  /// The log as one text for the full-screen view.
  public var text: String {
    let head = droppedCount > 0 ? "… \(droppedCount) earlier lines dropped\n" : ""
    return head + lines.joined(separator: "\n")
  }
}
