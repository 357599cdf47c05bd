import Flows

/// The output pane's content: the streamed text of a run, then its result or error.
///
/// Text is kept as logical lines (already sanitized); wrapping happens when rendering, and only for
/// the rows on screen.
public struct OutputLog: Sendable, Equatable {
  public private(set) var lines: [String] = [""]
  public private(set) var chunkCount = 0
  /// ms since the epoch of the first and the latest chunk.
  public private(set) var firstChunkTime: Double?
  public private(set) var lastChunkTime: Double?

  public init() {}

  /// Appends one chunk's text (control characters and escape sequences removed).
  public mutating func append(chunk value: JSONValue, time: Double) {
    chunkCount += 1
    if firstChunkTime == nil { firstChunkTime = time }
    lastChunkTime = time
    append(text: Self.text(of: value))
  }

  /// Lines that continue in the next one: a stream without newlines is cut into pieces of about
  /// `softLimit` bytes so that each frame wraps a bounded amount of text, not the whole stream.
  public private(set) var softBreaks: Set<Int> = []
  /// The longest a line grows before it is soft-broken (at a space near the end when there is one).
  public static let softLimit = 4096

  /// Appends text, splitting it into lines.
  public mutating func append(text: String) {
    let clean = TextSanitizer.sanitize(text, keepNewlines: true).replacingOccurrences(of: "\t", with: "  ")
    var pieces = clean.split(separator: "\n", omittingEmptySubsequences: false)
    guard let first = pieces.first else { return }
    lines[lines.count - 1] += first
    breakLastLineIfLong()
    pieces.removeFirst()
    for piece in pieces {
      lines.append(String(piece))
      breakLastLineIfLong()
    }
  }

  private mutating func breakLastLineIfLong() {
    while let last = lines.last, last.utf8.count > Self.softLimit {
      var cut = last.index(last.startIndex, offsetBy: Self.softLimit / 2, limitedBy: last.endIndex) ?? last.endIndex
      // Prefer a space within the last part of the piece, so words stay whole.
      if let space = last[cut...].prefix(Self.softLimit / 4).lastIndex(of: " ") { cut = last.index(after: space) }
      softBreaks.insert(lines.count - 1)
      lines[lines.count - 1] = String(last[..<cut])
      lines.append(String(last[cut...]))
    }
  }

  /// The whole text, as streamed (soft breaks removed).
  public var text: String {
    var result = ""
    for (index, line) in lines.enumerated() {
      result += line
      if index < lines.count - 1, !softBreaks.contains(index) { result += "\n" }
    }
    return result
  }

  /// Starts a new section (the result, an error) on its own line after a labelled rule.
  public mutating func appendSection(_ title: String, body: String) {
    if lines.last?.isEmpty == false { lines.append("") }
    if !(lines.count == 1 && lines[0].isEmpty) { lines.append("── \(title) ──") } else { lines[0] = "── \(title) ──" }
    lines.append("")
    append(text: body)
  }

  public var isEmpty: Bool { lines.count == 1 && lines[0].isEmpty }

  /// The text a chunk contributes: a string as is, a Genkit chunk's text parts, anything else as JSON.
  public static func text(of value: JSONValue) -> String {
    if let text = value.stringValue { return text }
    if let parts = value["content"]?.arrayValue {
      let texts = parts.compactMap { $0["text"]?.stringValue }
      if !texts.isEmpty || parts.isEmpty { return texts.joined() }
    }
    if let text = value["text"]?.stringValue { return text }
    return value.serialized() + "\n"
  }

  /// Chunks per second over the stream so far (nil before the second chunk).
  public var chunksPerSecond: Double? {
    guard let first = firstChunkTime, let last = lastChunkTime, last > first, chunkCount > 1 else { return nil }
    return Double(chunkCount - 1) / ((last - first) / 1000)
  }
}
