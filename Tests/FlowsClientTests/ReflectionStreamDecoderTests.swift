import Flows
import Testing

@testable import FlowsClient

/// The NDJSON body of a streamed `runAction`: lines split anywhere, CRLF, blank lines, a final
/// object with or without a trailing newline, malformed lines.
@Suite("Reflection stream decoding")
struct ReflectionStreamDecoderTests {
  /// Feeds `pieces` one by one and returns the chunks and the final object.
  func decode(_ pieces: [String]) throws -> (chunks: [JSONValue], final: JSONValue?) {
    var decoder = ReflectionStreamDecoder()
    var chunks: [JSONValue] = []
    for piece in pieces { try decoder.consume(Array(piece.utf8)) { chunks.append($0) } }
    let final = try decoder.finish { chunks.append($0) }
    return (chunks, final)
  }

  /// Every way of cutting `text` in two.
  func splits(_ text: String) -> [[String]] {
    let bytes = Array(text.utf8)
    return (0...bytes.count).map { cut in
      [String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self)]
    }
  }

  static let pythonBody =
    #"{"tick": 3}"# + "\n" + #"{"tick": 2}"# + "\n" + #"{"tick": 1}"# + "\n"
    + #"{"result": "liftoff", "telemetry": {"traceId": "fd54", "spanId": "2da4"}}"#

  @Test func pythonCaptureGivesChunksThenTheFinalObject() throws {
    let decoded = try decode([Self.pythonBody])
    #expect(decoded.chunks == [["tick": 3], ["tick": 2], ["tick": 1]])
    #expect(decoded.final == ["result": "liftoff", "telemetry": ["traceId": "fd54", "spanId": "2da4"]])
  }

  @Test func linesSplitAtEveryByteDecodeTheSame() throws {
    for pieces in splits(Self.pythonBody) {
      let decoded = try decode(pieces)
      #expect(decoded.chunks.count == 3, "split \(pieces)")
      #expect(decoded.final?["result"] == "liftoff", "split \(pieces)")
    }
    let bytewise = Self.pythonBody.map { String($0) }
    let decoded = try decode(bytewise)
    #expect(decoded.chunks == [["tick": 3], ["tick": 2], ["tick": 1]])
  }

  @Test func crlfAndBlankLinesAreTolerated() throws {
    let body = "\"a\"\r\n\r\n  \r\n\"b\"\r\n\n{\"result\":\"ab\",\"telemetry\":{}}\r\n"
    for pieces in splits(body) {
      let decoded = try decode(pieces)
      #expect(decoded.chunks == ["a", "b"], "split \(pieces)")
      #expect(decoded.final?["result"] == "ab", "split \(pieces)")
    }
  }

  @Test func aFinalObjectWithATrailingNewlineIsStillTheFinalObject() throws {
    let decoded = try decode(["\"x\"\n{\"result\":1,\"telemetry\":{\"traceId\":\"t\"}}\n"])
    #expect(decoded.chunks == ["x"])
    #expect(decoded.final?["result"] == 1)
  }

  @Test func aChunkShapedLikeAResultIsAChunkWhenMoreFollows() throws {
    var decoder = ReflectionStreamDecoder()
    var chunks: [JSONValue] = []
    try decoder.consume(Array("{\"result\":\"not yet\"}\n".utf8)) { chunks.append($0) }
    #expect(chunks.isEmpty, "held until the next line says what it was")
    try decoder.consume(Array("\"plain\"\n".utf8)) { chunks.append($0) }
    #expect(chunks == [["result": "not yet"], "plain"])
    try decoder.consume(Array("{\"result\":\"done\",\"telemetry\":{}}".utf8)) { chunks.append($0) }
    let final = try decoder.finish { chunks.append($0) }
    #expect(final?["result"] == "done")
    #expect(chunks.count == 2)
    #expect(decoder.chunkCount == 2)
  }

  @Test func ordinaryChunksAreReportedAtOnce() throws {
    var decoder = ReflectionStreamDecoder()
    var chunks: [JSONValue] = []
    try decoder.consume(Array("{\"text\":\"Hel".utf8)) { chunks.append($0) }
    #expect(chunks.isEmpty)
    try decoder.consume(Array("lo\"}\n{\"te".utf8)) { chunks.append($0) }
    #expect(chunks == [["text": "Hello"]])
  }

  @Test func anErrorFinalLineIsReturned() throws {
    let body =
      #"{"error": {"details": {"stack": "", "traceId": "8f5a"}, "message": "Error while running action boom: ValueError('kaboom: x')", "code": 13}}"#
    let decoded = try decode([body])
    #expect(decoded.chunks.isEmpty)
    #expect(decoded.final?["error"]?["code"] == 13)
  }

  @Test func aBodyWithoutAFinalObjectHasNone() throws {
    #expect(try decode([""]).final == nil)
    #expect(try decode(["\n\r\n"]).final == nil)
    let cancelled = try decode(["\"a\"\n\"b\"\n"])
    #expect(cancelled.chunks == ["a", "b"])
    #expect(cancelled.final == nil)
  }

  @Test func aMalformedLineIsNamedByNumber() throws {
    var decoder = ReflectionStreamDecoder()
    var chunks: [JSONValue] = []
    try decoder.consume(Array("\"ok\"\n\n".utf8)) { chunks.append($0) }
    let error = #expect(throws: ReflectionStreamDecoder.Malformed.self) {
      try decoder.consume(Array("{not json}\n".utf8)) { chunks.append($0) }
    }
    #expect(error?.line == 2)
    #expect(String(decoding: error?.bytes ?? [], as: UTF8.self) == "{not json}")
    #expect(chunks == ["ok"])
  }

  @Test func aMalformedLastLineIsReportedAtTheEnd() throws {
    var decoder = ReflectionStreamDecoder()
    try decoder.consume(Array("1\n{\"result\":".utf8)) { _ in }
    let error = #expect(throws: ReflectionStreamDecoder.Malformed.self) { _ = try decoder.finish { _ in } }
    #expect(error?.line == 2)
  }

  @Test func anOverlongLineIsRejected() throws {
    var decoder = ReflectionStreamDecoder(maxLineBytes: 16)
    let error = #expect(throws: ReflectionStreamDecoder.Malformed.self) {
      try decoder.consume(Array("\"0123456789abcdefghij\"".utf8)) { _ in }
    }
    #expect(error?.reason.contains("longer than 16 bytes") == true)
  }

  @Test func theSplitterKeepsTheUnterminatedRest() throws {
    var splitter = NDJSONLineSplitter()
    var lines: [String] = []
    try splitter.append(Array("a\r".utf8)) { lines.append(String(decoding: $0, as: UTF8.self)) }
    try splitter.append(Array("\nb\n\nc".utf8)) { lines.append(String(decoding: $0, as: UTF8.self)) }
    #expect(lines == ["a", "b"])
    #expect(splitter.finish().map { String(decoding: $0, as: UTF8.self) } == "c")
    #expect(splitter.finish() == nil)
  }
}
