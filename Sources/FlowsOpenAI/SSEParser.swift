/// One Server-Sent Events message: the joined `data:` lines of an event.
///
/// Only `data` is kept: chat-completion streams carry everything in it, so `event:`, `id:` and
/// `retry:` fields are skipped by the parser.
public struct SSEEvent: Sendable, Hashable {
  /// The event's data as bytes (several `data:` lines are joined with `\n`).
  public var data: [UInt8]

  /// An event with these data bytes.
  public init(data: [UInt8]) { self.data = data }

  /// An event with this data text.
  public init(data: String) { self.data = Array(data.utf8) }

  /// The data decoded as UTF-8 (invalid sequences are repaired).
  public var text: String { String(decoding: data, as: UTF8.self) }

  /// True for the `[DONE]` sentinel that ends OpenAI-style streams.
  public var isDone: Bool {
    data.count == 6 && data[0] == 0x5B && data[1] == 0x44 && data[2] == 0x4F && data[3] == 0x4E && data[4] == 0x45
      && data[5] == 0x5D
  }
}

/// An incremental Server-Sent Events parser.
///
/// Feed it byte buffers as they arrive from the network, in any split; it reports each complete
/// event (a blank line ends an event). It follows the SSE format: LF, CRLF and CR line endings
/// (including a CRLF split between two reads), `data:` with or without the space after the colon,
/// several `data:` lines joined with `\n`, comment lines starting with `:` (keep-alives such as
/// `: ping`) ignored, and other fields (`event:`, `id:`, `retry:`) ignored.
///
/// It scans bytes and reuses its buffers, so steady-state parsing allocates nothing when the
/// callback does not keep the event.
public struct SSEParser: Sendable {
  /// Bytes of a line not yet terminated at the end of the last buffer.
  private var partialLine: [UInt8] = []
  /// Data of the event being assembled.
  private var data: [UInt8] = []
  /// True once the current event has a `data` field (possibly empty).
  private var hasData = false
  /// True when the last buffer ended with CR, so a leading LF in the next one is part of that CRLF.
  private var skipLeadingLF = false

  /// A parser with nothing buffered.
  public init() {}

  /// Parses `bytes`, calling `onEvent` for every event they complete. Bytes of an unfinished line
  /// or event are kept for the next call.
  public mutating func parse<Bytes: Sequence<UInt8>>(
    _ bytes: Bytes, onEvent: (SSEEvent) throws -> Void
  ) rethrows {
    let handled: Void? = try bytes.withContiguousStorageIfAvailable { buffer in
      try parse(buffer: buffer, onEvent: onEvent)
    }
    if handled == nil {
      let copy = Array(bytes)
      try copy.withUnsafeBufferPointer { buffer in try parse(buffer: buffer, onEvent: onEvent) }
    }
  }

  /// Parses `bytes` and returns the events they complete.
  public mutating func events<Bytes: Sequence<UInt8>>(in bytes: Bytes) -> [SSEEvent] {
    var events: [SSEEvent] = []
    parse(bytes) { events.append($0) }
    return events
  }

  /// Ends the stream: a final line or event that was not terminated is delivered (servers that
  /// close right after `data: [DONE]` without a blank line are common), then the parser is reset.
  public mutating func finish(onEvent: (SSEEvent) throws -> Void) rethrows {
    if !partialLine.isEmpty { processPartialLine() }
    skipLeadingLF = false
    try dispatch(onEvent)
  }

  /// Ends the stream and returns the event left unterminated, if any.
  public mutating func finish() -> [SSEEvent] {
    var events: [SSEEvent] = []
    finish { events.append($0) }
    return events
  }

  private mutating func parse(buffer: UnsafeBufferPointer<UInt8>, onEvent: (SSEEvent) throws -> Void) rethrows {
    let count = buffer.count
    var start = 0
    if skipLeadingLF, count > 0 {
      skipLeadingLF = false
      if buffer[0] == lineFeed { start = 1 }
    }
    var index = start
    while index < count {
      let byte = buffer[index]
      if byte != lineFeed && byte != carriageReturn {
        index += 1
        continue
      }
      let line = UnsafeBufferPointer(rebasing: buffer[start..<index])
      if partialLine.isEmpty {
        if line.isEmpty { try dispatch(onEvent) } else { processLine(line) }
      } else {
        partialLine.append(contentsOf: line)
        processPartialLine()
      }
      index += 1
      if byte == carriageReturn {
        if index < count {
          if buffer[index] == lineFeed { index += 1 }
        } else {
          skipLeadingLF = true
        }
      }
      start = index
    }
    if start < count {
      partialLine.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<count]))
    }
  }

  /// Handles the line assembled in `partialLine` and empties it, keeping its storage.
  private mutating func processPartialLine() {
    var line: [UInt8] = []
    swap(&line, &partialLine)
    line.withUnsafeBufferPointer { processLine($0) }
    line.removeAll(keepingCapacity: true)
    partialLine = line
  }

  /// Handles one non-empty line (no terminator).
  private mutating func processLine(_ line: UnsafeBufferPointer<UInt8>) {
    guard let first = line.first, first != colon else { return }
    // Fast path: `data:` lines.
    if line.count >= 5, first == 0x64, line[1] == 0x61, line[2] == 0x74, line[3] == 0x61, line[4] == colon {
      var valueStart = 5
      if valueStart < line.count, line[valueStart] == space { valueStart += 1 }
      appendData(UnsafeBufferPointer(rebasing: line[valueStart...]))
      return
    }
    // Any other field: `name[: value]`. Only a bare `data` (no colon) matters: it adds an empty line.
    if line.count == 4, first == 0x64, line[1] == 0x61, line[2] == 0x74, line[3] == 0x61 {
      appendData(UnsafeBufferPointer(rebasing: line[4...]))
    }
  }

  private mutating func appendData(_ value: UnsafeBufferPointer<UInt8>) {
    if hasData { data.append(lineFeed) }
    data.append(contentsOf: value)
    hasData = true
  }

  /// Ends the current event (at a blank line).
  private mutating func dispatch(_ onEvent: (SSEEvent) throws -> Void) rethrows {
    guard hasData else { return }
    hasData = false
    defer { data.removeAll(keepingCapacity: true) }
    try onEvent(SSEEvent(data: data))
  }
}

private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D
private let colon: UInt8 = 0x3A
private let space: UInt8 = 0x20
