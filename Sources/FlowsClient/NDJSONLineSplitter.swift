/// Splits a byte stream into lines, for newline-delimited JSON that arrives in pieces.
///
/// Feed it buffers as they are read, split anywhere; it reports each complete line without its
/// terminator (`\n`, or `\r\n` even when the two bytes arrive in different buffers). Lines that
/// are empty or only spaces and tabs are skipped. The bytes after the last terminator stay
/// buffered until more arrive or `finish()` hands them out.
struct NDJSONLineSplitter: Sendable {
  /// The default limit on one line: 32 MiB.
  static let defaultMaxLineBytes = 32 << 20

  /// The longest line accepted.
  let maxLineBytes: Int
  /// The bytes of the line not yet terminated.
  private var partial: [UInt8] = []

  /// A line longer than the limit.
  struct LineTooLong: Error, Sendable, Equatable, CustomStringConvertible {
    /// The limit, in bytes.
    var limit: Int
    var description: String { "a line is longer than \(limit) bytes" }
  }

  init(maxLineBytes: Int = NDJSONLineSplitter.defaultMaxLineBytes) {
    self.maxLineBytes = maxLineBytes
  }

  /// Splits `bytes`, calling `onLine` with every line they complete; throws `LineTooLong` (and
  /// forgets the line) when one outgrows the limit, or what `onLine` throws.
  mutating func append<Bytes: Collection<UInt8>>(_ bytes: Bytes, onLine: ([UInt8]) throws -> Void) throws {
    var start = bytes.startIndex
    while let newline = bytes[start...].firstIndex(of: lineFeed) {
      try take(bytes[start..<newline])
      var line: [UInt8] = []
      swap(&line, &partial)
      if line.last == carriageReturn { line.removeLast() }
      if !Self.isBlank(line) { try onLine(line) }
      start = bytes.index(after: newline)
    }
    try take(bytes[start...])
  }

  /// Adds bytes to the unterminated line, enforcing the limit.
  private mutating func take(_ bytes: some Collection<UInt8>) throws {
    guard partial.count + bytes.count <= maxLineBytes else {
      partial = []
      throw LineTooLong(limit: maxLineBytes)
    }
    partial.append(contentsOf: bytes)
  }

  /// Ends the stream: the bytes after the last terminator (without a trailing `\r`), or nil when
  /// there are none but spaces. The splitter is empty afterwards.
  mutating func finish() -> [UInt8]? {
    var rest: [UInt8] = []
    swap(&rest, &partial)
    if rest.last == carriageReturn { rest.removeLast() }
    return Self.isBlank(rest) ? nil : rest
  }

  /// True when `line` has only spaces, tabs or carriage returns.
  static func isBlank(_ line: [UInt8]) -> Bool {
    line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == carriageReturn }
  }
}

private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D
