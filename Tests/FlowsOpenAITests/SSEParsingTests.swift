import FlowsClient
import FlowsTestSupport
import Testing

@testable import FlowsOpenAI

/// Model streams are read with the package's one SSE parser (`FlowFrameParser`); these are the SSE
/// cases OpenAI-compatible servers produce.
@Suite("SSE parsing of model streams")
struct SSEParsingTests {
  /// All events from feeding `text` in one buffer, then finishing.
  func parseWhole(_ text: String) throws -> [String] {
    var parser = FlowFrameParser()
    return (try parser.frames(in: Array(text.utf8)) + parser.finish()).map(\.text)
  }

  /// All events from feeding `text` one byte at a time, then finishing.
  func parseBytewise(_ text: String) throws -> [String] {
    var parser = FlowFrameParser()
    var events: [FlowFrame] = []
    for byte in text.utf8 { events += try parser.frames(in: [byte]) }
    return (events + parser.finish()).map(\.text)
  }

  /// Both feedings agree; returns their result.
  func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
    let whole = try parseWhole(text)
    #expect(try parseBytewise(text) == whole, "byte-at-a-time feeding differs", sourceLocation: sourceLocation)
    return whole
  }

  @Test func dataWithAndWithoutSpace() throws {
    #expect(try parse("data: {\"a\":1}\n\ndata:{\"b\":2}\n\n") == [#"{"a":1}"#, #"{"b":2}"#])
  }

  @Test func onlyTheFirstSpaceIsRemoved() throws {
    #expect(try parse("data:  two spaces\n\n") == [" two spaces"])
  }

  @Test func crlfLineEndings() throws {
    #expect(try parse("data: one\r\n\r\ndata: two\r\n\r\n") == ["one", "two"])
  }

  @Test func bareCarriageReturnLineEndings() throws {
    #expect(try parse("data: one\r\rdata: two\r\r") == ["one", "two"])
  }

  @Test func crlfSplitBetweenReads() throws {
    var parser = FlowFrameParser()
    var events = try parser.frames(in: Array("data: one\r".utf8))
    events += try parser.frames(in: Array("\n\r".utf8))
    events += try parser.frames(in: Array("\ndata: two\r\n\r\n".utf8))
    #expect(events.map(\.text) == ["one", "two"])
  }

  @Test func commentsAreIgnored() throws {
    #expect(try parse(": ping\n\ndata: x\n\n:keep-alive\n\n: another\ndata: y\n\n") == ["x", "y"])
  }

  @Test func multiLineDataIsJoinedWithNewlines() throws {
    #expect(try parse("data: first\ndata: second\ndata:\ndata: fourth\n\n") == ["first\nsecond\n\nfourth"])
  }

  @Test func eventIdAndRetryFieldsAreIgnored() throws {
    #expect(try parse("event: message\nid: 42\nretry: 1000\ndata: payload\n\nevent: ping\n\n") == ["payload"])
  }

  @Test func blankLinesWithoutDataDispatchNothing() throws {
    #expect(try parse("\n\n\r\n: c\n\n").isEmpty)
  }

  @Test func doneSentinel() throws {
    var parser = FlowFrameParser()
    let events = try parser.frames(in: Array("data: {\"x\":1}\n\ndata: [DONE]\n\n".utf8))
    #expect(events.map { ChatStreamReader.isDone($0.payload) } == [false, true])
    #expect(ChatStreamReader.isDone(Array("[DONE] ".utf8)) == false)
  }

  @Test func unterminatedLastEventIsDeliveredByFinish() throws {
    var parser = FlowFrameParser()
    #expect(try parser.frames(in: Array("data: a\n\ndata: [DONE]".utf8)).map(\.text) == ["a"])
    #expect(parser.finish().map(\.text) == ["[DONE]"])
    #expect(parser.finish().isEmpty)
  }

  @Test func eventsSplitAtEveryPosition() throws {
    let text = "data: {\"choices\":[{\"delta\":{\"content\":\"héllo\"}}]}\r\n\r\n: ping\n\ndata: [DONE]\n\n"
    let bytes = Array(text.utf8)
    let expected = try parseWhole(text)
    #expect(expected.count == 2)
    for split in 0...bytes.count {
      var parser = FlowFrameParser()
      let events = try parser.frames(in: bytes[..<split]) + parser.frames(in: bytes[split...]) + parser.finish()
      #expect(events.map(\.text) == expected, "split at \(split)")
    }
  }

  @Test func realLlamaServerStreamByteAtATime() throws {
    let text = try fixture("llama_server_chat_stream.sse")
    let events = try parse(text)
    #expect(events.count == 34)
    #expect(events.last == "[DONE]")
  }

  @Test func parserIsReusableAfterFinish() throws {
    var parser = FlowFrameParser()
    _ = try parser.frames(in: Array("data: partial".utf8))
    _ = parser.finish()
    #expect(try parser.frames(in: Array("data: next\n\n".utf8)).map(\.text) == ["next"])
  }

  @Test func nonContiguousSequencesAreAccepted() throws {
    var parser = FlowFrameParser()
    let bytes = AnySequence(Array("data: lazy\n\n".utf8))
    #expect(try parser.frames(in: bytes).map(\.text) == ["lazy"])
  }

  @Test func callbackFormDeliversTheSameEvents() throws {
    var parser = FlowFrameParser()
    var seen: [String] = []
    try parser.parse(Array("data: a\n\ndata: b\n\n".utf8)) { event in seen.append(event.text) }
    #expect(seen == ["a", "b"])
  }
}
