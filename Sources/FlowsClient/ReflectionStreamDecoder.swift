import Flows

/// Decodes the body of a streamed `POST /api/runAction?stream=true`: newline-delimited JSON where
/// every line but the last is a chunk and the last is the final object, `{"result": …,
/// "telemetry": …}` or `{"error": …}`, sent without a trailing newline (JS, Go, Python and
/// Flowscope all do so; the Genkit CLI parses it the same way).
///
/// A complete line is reported as a chunk at once, except one shaped like a final object (an
/// object with `telemetry`, or with only `result` or `error`): that one is held until another
/// line arrives (then it was a chunk after all) or the body ends (then it was the final object, sent
/// with a trailing newline). Lines may be split across reads, end in `\r\n`, or be blank (skipped).
struct ReflectionStreamDecoder {
  /// A line that is not JSON, or a body that outgrew the line limit.
  struct Malformed: Error {
    /// The 1-based number of the line among the non-blank lines.
    var line: Int
    /// The line's bytes (possibly cut at the limit).
    var bytes: [UInt8]
    /// Why it was rejected.
    var reason: String
  }

  private var splitter: NDJSONLineSplitter
  private var held: JSONValue?
  /// Non-blank lines seen so far.
  private(set) var lineCount = 0
  /// Chunks reported so far.
  private(set) var chunkCount = 0

  init(maxLineBytes: Int = NDJSONLineSplitter.defaultMaxLineBytes) {
    splitter = NDJSONLineSplitter(maxLineBytes: maxLineBytes)
  }

  /// Decodes `bytes`, reporting every chunk they complete; throws `Malformed` for a line that is not
  /// JSON, or what `onChunk` throws.
  mutating func consume(_ bytes: some Collection<UInt8>, onChunk: (JSONValue) throws -> Void) throws {
    var lines: [[UInt8]] = []
    do {
      try splitter.append(bytes) { lines.append($0) }
    } catch let tooLong as NDJSONLineSplitter.LineTooLong {
      for line in lines { try take(line, onChunk: onChunk) }
      throw Malformed(line: lineCount + 1, bytes: [], reason: tooLong.description)
    }
    for line in lines { try take(line, onChunk: onChunk) }
  }

  /// Ends the body: reports a held line that turns out to be a chunk and returns the final object,
  /// or nil when the body had none (only chunks, or nothing).
  mutating func finish(onChunk: (JSONValue) throws -> Void) throws -> JSONValue? {
    guard let rest = splitter.finish() else {
      defer { held = nil }
      return held
    }
    lineCount += 1
    let final = try parse(rest, line: lineCount)
    if let held {
      self.held = nil
      chunkCount += 1
      try onChunk(held)
    }
    return final
  }

  private mutating func take(_ line: [UInt8], onChunk: (JSONValue) throws -> Void) throws {
    lineCount += 1
    let value = try parse(line, line: lineCount)
    if let previous = held {
      held = nil
      chunkCount += 1
      try onChunk(previous)
    }
    if Self.looksFinal(value) {
      held = value
    } else {
      chunkCount += 1
      try onChunk(value)
    }
  }

  private func parse(_ bytes: [UInt8], line: Int) throws -> JSONValue {
    do {
      return try JSONValue(parsing: bytes)
    } catch {
      throw Malformed(line: line, bytes: bytes, reason: "\(error)")
    }
  }

  /// True for an object that could be the final one: it has `telemetry`, or its only member is
  /// `result` or `error`.
  static func looksFinal(_ value: JSONValue) -> Bool {
    guard let object = value.objectValue else { return false }
    if object["telemetry"] != nil { return true }
    return object.count == 1 && (object["result"] != nil || object["error"] != nil)
  }
}
