/// An incremental parser for streamed flow responses (Genkit's callable protocol).
///
/// Feed it byte buffers as they arrive, split anywhere; it reports each complete frame. A blank
/// line ends a frame (`\n\n`, `\r\n\r\n`, or bare `\r`, including a CRLF split between two reads).
/// `data:` and `error:` fields are read with or without a space after the colon, several lines of
/// a frame are joined with `\n`, comment lines (starting with `:`) and other fields (`event:`,
/// `id:`, `retry:`, stray text) are ignored, and a frame with no field is not reported.
///
/// It scans bytes in place and reuses its buffers: steady-state parsing allocates nothing beyond
/// the payload of a frame the callback keeps.
public struct FlowFrameParser: Sendable {
  /// The default limit on one frame or line: 32 MiB.
  public static let defaultMaxFrameBytes = 32 << 20

  /// The largest frame (or unterminated line) accepted.
  public let maxFrameBytes: Int
  /// Bytes of a line not yet terminated at the end of the last buffer.
  private var partialLine: [UInt8] = []
  /// Payload of the frame being assembled.
  private var payload: [UInt8] = []
  /// True once the current frame has a field (possibly empty).
  private var hasField = false
  /// True once the current frame has an `error:` line.
  private var isError = false
  /// True when the last buffer ended with CR, so a leading LF in the next one is part of that CRLF.
  private var skipLeadingLF = false

  /// A parser with nothing buffered that rejects frames longer than `maxFrameBytes`.
  public init(maxFrameBytes: Int = FlowFrameParser.defaultMaxFrameBytes) {
    self.maxFrameBytes = maxFrameBytes
  }

  /// Parses `bytes`, calling `onFrame` for every frame they complete. Bytes of an unfinished line
  /// or frame are kept for the next call. Throws `FlowFrameTooLarge` (and resets) when a frame
  /// outgrows the limit, or what `onFrame` throws.
  public mutating func parse<Bytes: Sequence<UInt8>>(_ bytes: Bytes, onFrame: (FlowFrame) throws -> Void) throws {
    let handled: Void? = try bytes.withContiguousStorageIfAvailable { buffer in
      try parse(buffer: buffer, onFrame: onFrame)
    }
    if handled == nil {
      let copy = Array(bytes)
      try copy.withUnsafeBufferPointer { buffer in try parse(buffer: buffer, onFrame: onFrame) }
    }
  }

  /// Parses `bytes` and returns the frames they complete.
  public mutating func frames<Bytes: Sequence<UInt8>>(in bytes: Bytes) throws -> [FlowFrame] {
    var frames: [FlowFrame] = []
    try parse(bytes) { frames.append($0) }
    return frames
  }

  /// Ends the stream: a last frame that was not followed by a blank line is delivered, then the
  /// parser is reset.
  public mutating func finish(onFrame: (FlowFrame) throws -> Void) rethrows {
    if !partialLine.isEmpty { processPartialLine() }
    skipLeadingLF = false
    try dispatch(onFrame)
  }

  /// Ends the stream and returns the frame left unterminated, if any.
  public mutating func finish() -> [FlowFrame] {
    var frames: [FlowFrame] = []
    finish { frames.append($0) }
    return frames
  }

  /// Forgets everything buffered.
  public mutating func reset() {
    partialLine.removeAll(keepingCapacity: true)
    payload.removeAll(keepingCapacity: true)
    hasField = false
    isError = false
    skipLeadingLF = false
  }

  private mutating func parse(buffer: UnsafeBufferPointer<UInt8>, onFrame: (FlowFrame) throws -> Void) throws {
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
        if line.isEmpty { try dispatch(onFrame) } else { processLine(line) }
      } else {
        partialLine.append(contentsOf: line)
        processPartialLine()
      }
      try checkSize()
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
      try checkSize()
    }
  }

  private mutating func checkSize() throws {
    guard partialLine.count + payload.count > maxFrameBytes else { return }
    reset()
    throw FlowFrameTooLarge(limit: maxFrameBytes)
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
    if first == 0x64 {  // d
      if let valueStart = fieldValueStart(line, name: dataName) { append(line, from: valueStart) }
    } else if first == 0x65 {  // e
      if let valueStart = fieldValueStart(line, name: errorName) {
        isError = true
        append(line, from: valueStart)
      }
    }
  }

  /// Where the value of field `name` starts in `line` (after `name:` and one optional space), or
  /// nil when the line is another field. A bare `name` has an empty value.
  private func fieldValueStart(_ line: UnsafeBufferPointer<UInt8>, name: StaticString) -> Int? {
    let nameCount = name.utf8CodeUnitCount
    guard line.count >= nameCount else { return nil }
    let matches = name.withUTF8Buffer { nameBytes in
      var index = 0
      while index < nameCount {
        if line[index] != nameBytes[index] { return false }
        index += 1
      }
      return true
    }
    guard matches else { return nil }
    if line.count == nameCount { return nameCount }
    guard line[nameCount] == colon else { return nil }
    var valueStart = nameCount + 1
    if valueStart < line.count, line[valueStart] == space { valueStart += 1 }
    return valueStart
  }

  private mutating func append(_ line: UnsafeBufferPointer<UInt8>, from valueStart: Int) {
    if hasField { payload.append(lineFeed) }
    payload.append(contentsOf: UnsafeBufferPointer(rebasing: line[valueStart...]))
    hasField = true
  }

  /// Ends the current frame (at a blank line).
  private mutating func dispatch(_ onFrame: (FlowFrame) throws -> Void) rethrows {
    guard hasField else { return }
    let kind: FlowFrame.Kind = isError ? .error : .data
    hasField = false
    isError = false
    defer { payload.removeAll(keepingCapacity: true) }
    try onFrame(FlowFrame(kind: kind, payload: payload))
  }
}

private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D
private let colon: UInt8 = 0x3A
private let space: UInt8 = 0x20
private let dataName: StaticString = "data"
private let errorName: StaticString = "error"
