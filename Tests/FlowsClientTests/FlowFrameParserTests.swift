import FlowsClient
import Foundation
import NIOCore
import Testing

@Suite("FlowFrameParser")
struct FlowFrameParserTests {
  /// All frames from feeding `pieces` in order, then finishing.
  func frames(_ pieces: [[UInt8]]) throws -> [FlowFrame] {
    var parser = FlowFrameParser()
    var frames: [FlowFrame] = []
    for piece in pieces { frames += try parser.frames(in: piece) }
    return frames + parser.finish()
  }

  /// The frames of `text` fed whole; requires that byte-at-a-time feeding gives the same.
  func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [FlowFrame] {
    let whole = try frames([Array(text.utf8)])
    let bytewise = try frames(text.utf8.map { [$0] })
    #expect(bytewise == whole, "byte-at-a-time feeding differs", sourceLocation: sourceLocation)
    return whole
  }

  func data(_ text: String) -> FlowFrame { FlowFrame(kind: .data, payload: text) }
  func error(_ text: String) -> FlowFrame { FlowFrame(kind: .error, payload: text) }

  // MARK: Captured streams

  @Test func capturedCountdownStream() throws {
    #expect(try parse(PeerCaptures.countdownStream) == PeerCaptures.countdownPayloads.map(data))
  }

  @Test func capturedStreamSplitAtEveryPoint() throws {
    let bytes = Array(PeerCaptures.countdownStream.utf8)
    let expected = PeerCaptures.countdownPayloads.map(data)
    for split in 0...bytes.count {
      let result = try frames([Array(bytes[..<split]), Array(bytes[split...])])
      #expect(result == expected, "split at \(split)")
    }
  }

  @Test func capturedStreamSplitAtEveryPairOfPoints() throws {
    let bytes = Array(PeerCaptures.countdownStream.utf8)
    let expected = PeerCaptures.countdownPayloads.map(data)
    var failures: [String] = []
    for first in 0...bytes.count {
      for second in first...bytes.count {
        let pieces = [Array(bytes[..<first]), Array(bytes[first..<second]), Array(bytes[second...])]
        if try frames(pieces) != expected { failures.append("\(first),\(second)") }
      }
    }
    #expect(failures.isEmpty, "splits that failed: \(failures.prefix(10))")
  }

  @Test func capturedStreamWithCRLFSplitAtEveryPoint() throws {
    let crlf = PeerCaptures.countdownStream.replacingOccurrences(of: "\n", with: "\r\n")
    let bytes = Array(crlf.utf8)
    let expected = PeerCaptures.countdownPayloads.map(data)
    for split in 0...bytes.count {
      #expect(try frames([Array(bytes[..<split]), Array(bytes[split...])]) == expected, "split at \(split)")
    }
  }

  @Test func capturedErrorStreams() throws {
    #expect(
      try parse(PeerCaptures.boomStream) == [
        data(#"{"error":{"details":{"stack":""},"message":"kaboom: x","status":"INTERNAL"}}"#)
      ])
    let schema = try parse(PeerCaptures.schemaViolationStream)
    #expect(schema.count == 1)
    // The escaped `\n` inside the JSON string is not a line break.
    #expect(schema.first?.text.hasPrefix(#"{"error":{"details":{"stack":""},"message":"1 validation error"#) == true)
    #expect(schema.first?.text.contains(#"GreetIn\nname"#) == true)
  }

  @Test func capturedStreamInOneByteBuffer() throws {
    var parser = FlowFrameParser()
    let buffer = ByteBuffer(string: PeerCaptures.countdownStream + PeerCaptures.greetStream)
    let result = try parser.frames(in: buffer.readableBytesView)
    #expect(result.count == 5)
    #expect(result.last == data(#"{"result":{"greeting":"Hello, Ada!","length":11}}"#))
  }

  // MARK: Fields

  @Test func dataWithAndWithoutSpace() throws {
    #expect(try parse("data: {\"a\":1}\n\ndata:{\"b\":2}\n\n") == [data(#"{"a":1}"#), data(#"{"b":2}"#)])
  }

  @Test func errorLinesWithAndWithoutSpace() throws {
    let js = #"error: {"error":{"status":"INTERNAL","message":"boom"}}"# + "\n\n"
    #expect(
      try parse(js + "error:{}\n\n") == [error(#"{"error":{"status":"INTERNAL","message":"boom"}}"#), error("{}")])
  }

  @Test func onlyTheFirstSpaceIsRemoved() throws {
    #expect(try parse("data:  two spaces\n\nerror:  x\n\n") == [data(" two spaces"), error(" x")])
  }

  @Test func multiLineDataIsJoinedWithNewlines() throws {
    #expect(
      try parse("data: {\"message\":\ndata: 1}\ndata:\ndata: end\n\n") == [data("{\"message\":\n1}\n\nend")])
  }

  @Test func aFrameWithAnErrorLineIsAnErrorFrame() throws {
    #expect(try parse("data: a\nerror: b\n\n") == [error("a\nb")])
  }

  @Test func bareFieldNamesGiveEmptyValues() throws {
    #expect(try parse("data\n\nerror\n\n") == [data(""), error("")])
  }

  @Test func otherFieldsAndLookalikesAreIgnored() throws {
    let text = "event: message\nid: 42\nretry: 1000\ndatabase: x\ndata2: y\nerrors: z\nerr: q\ndata: payload\n\n"
    #expect(try parse(text) == [data("payload")])
  }

  @Test func commentsAreIgnored() throws {
    #expect(try parse(": ping\n\ndata: x\n\n:keep-alive\n\n: another\ndata: y\n\n") == [data("x"), data("y")])
  }

  @Test func blankLinesWithoutFieldsDispatchNothing() throws {
    #expect(try parse("\n\n\r\n\r\n: c\n\n\n").isEmpty)
  }

  // MARK: Line endings and splits

  @Test func crlfLineEndings() throws {
    #expect(try parse("data: one\r\n\r\nerror: two\r\n\r\n") == [data("one"), error("two")])
  }

  @Test func bareCarriageReturnLineEndings() throws {
    #expect(try parse("data: one\r\rdata: two\r\r") == [data("one"), data("two")])
  }

  @Test func crlfSplitBetweenReads() throws {
    let result = try frames([Array("data: one\r".utf8), Array("\n\r".utf8), Array("\ndata: two\r\n\r\n".utf8)])
    #expect(result == [data("one"), data("two")])
  }

  @Test func manyFramesInOneRead() throws {
    let text = (0..<1000).map { "data: {\"message\":\($0)}\n\n" }.joined()
    var parser = FlowFrameParser()
    let result = try parser.frames(in: Array(text.utf8))
    #expect(result.count == 1000)
    #expect(result[999] == data(#"{"message":999}"#))
  }

  @Test func multiByteCharactersSplitAcrossReads() throws {
    let bytes = Array("data: {\"message\":\"héllo 🌍\"}\n\n".utf8)
    for split in 0...bytes.count {
      let result = try frames([Array(bytes[..<split]), Array(bytes[split...])])
      #expect(result.map(\.text) == [#"{"message":"héllo 🌍"}"#], "split at \(split)")
    }
  }

  @Test func unterminatedLastFrameIsDeliveredByFinish() throws {
    var parser = FlowFrameParser()
    #expect(try parser.frames(in: Array("data: a\n\ndata: {\"result\":1}".utf8)) == [data("a")])
    #expect(parser.finish() == [data(#"{"result":1}"#)])
    #expect(parser.finish().isEmpty)
  }

  // MARK: Garbage

  @Test func linesWithoutAFieldAreIgnored() throws {
    #expect(try parse("{\"result\":1}\nhello world\n\ndata: ok\n\n") == [data("ok")])
  }

  @Test func arbitraryBytesDoNotBreakTheParser() throws {
    var generator = SplitMix(seed: 42)
    for _ in 0..<200 {
      let garbage = (0..<Int(generator.next() % 300)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
      var parser = FlowFrameParser()
      _ = try parser.frames(in: garbage)
      _ = parser.finish()
      // After garbage and a blank line, a frame still parses.
      #expect(try parser.frames(in: Array("\n\ndata: ok\n\n".utf8)) == [data("ok")])
    }
  }

  @Test func invalidUTF8IsPassedThroughAsBytes() throws {
    var parser = FlowFrameParser()
    let result = try parser.frames(in: Array("data: ".utf8) + [0xFF, 0xFE, 0x00] + Array("\n\n".utf8))
    #expect(result == [FlowFrame(kind: .data, payload: [0xFF, 0xFE, 0x00])])
  }

  @Test func oversizedFramesAreRejected() throws {
    var parser = FlowFrameParser(maxFrameBytes: 64)
    #expect(throws: FlowFrameTooLarge(limit: 64)) {
      try parser.frames(in: Array(("data: " + String(repeating: "x", count: 100)).utf8))
    }
    // Many lines of one frame count together.
    #expect(throws: FlowFrameTooLarge(limit: 64)) {
      try parser.frames(in: Array(String(repeating: "data: 0123456789\n", count: 10).utf8))
    }
    // The parser starts afresh afterwards.
    #expect(try parser.frames(in: Array("\n\ndata: ok\n\n".utf8)) == [data("ok")])
  }

  @Test func blankPayloads() {
    #expect(FlowFrame(kind: .data, payload: " \n\t").isBlank)
    #expect(!FlowFrame(kind: .data, payload: "{}").isBlank)
  }
}

/// A small deterministic pseudo-random generator for garbage input.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
