import FlowsOpenAI
import FlowsTestSupport
import Testing

@Suite("SSEParser")
struct SSEParserTests {
  /// All events from feeding `text` in one buffer, then finishing.
  func parseWhole(_ text: String) -> [String] {
    var parser = SSEParser()
    return (parser.events(in: Array(text.utf8)) + parser.finish()).map(\.text)
  }

  /// All events from feeding `text` one byte at a time, then finishing.
  func parseBytewise(_ text: String) -> [String] {
    var parser = SSEParser()
    var events: [SSEEvent] = []
    for byte in text.utf8 { events += parser.events(in: [byte]) }
    return (events + parser.finish()).map(\.text)
  }

  /// Both feedings agree; returns their result.
  func parse(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
    let whole = parseWhole(text)
    #expect(parseBytewise(text) == whole, "byte-at-a-time feeding differs", sourceLocation: sourceLocation)
    return whole
  }

  @Test func dataWithAndWithoutSpace() {
    #expect(parse("data: {\"a\":1}\n\ndata:{\"b\":2}\n\n") == [#"{"a":1}"#, #"{"b":2}"#])
  }

  @Test func onlyTheFirstSpaceIsRemoved() {
    #expect(parse("data:  two spaces\n\n") == [" two spaces"])
  }

  @Test func crlfLineEndings() {
    #expect(parse("data: one\r\n\r\ndata: two\r\n\r\n") == ["one", "two"])
  }

  @Test func bareCarriageReturnLineEndings() {
    #expect(parse("data: one\r\rdata: two\r\r") == ["one", "two"])
  }

  @Test func crlfSplitBetweenReads() {
    var parser = SSEParser()
    var events = parser.events(in: Array("data: one\r".utf8))
    events += parser.events(in: Array("\n\r".utf8))
    events += parser.events(in: Array("\ndata: two\r\n\r\n".utf8))
    #expect(events.map(\.text) == ["one", "two"])
  }

  @Test func commentsAreIgnored() {
    #expect(parse(": ping\n\ndata: x\n\n:keep-alive\n\n: another\ndata: y\n\n") == ["x", "y"])
  }

  @Test func multiLineDataIsJoinedWithNewlines() {
    #expect(parse("data: first\ndata: second\ndata:\ndata: fourth\n\n") == ["first\nsecond\n\nfourth"])
  }

  @Test func eventIdAndRetryFieldsAreIgnored() {
    #expect(parse("event: message\nid: 42\nretry: 1000\ndata: payload\n\nevent: ping\n\n") == ["payload"])
  }

  @Test func blankLinesWithoutDataDispatchNothing() {
    #expect(parse("\n\n\r\n: c\n\n").isEmpty)
  }

  @Test func doneSentinel() {
    var parser = SSEParser()
    let events = parser.events(in: Array("data: {\"x\":1}\n\ndata: [DONE]\n\n".utf8))
    #expect(events.map(\.isDone) == [false, true])
    #expect(SSEEvent(data: "[DONE] ").isDone == false)
  }

  @Test func unterminatedLastEventIsDeliveredByFinish() {
    var parser = SSEParser()
    #expect(parser.events(in: Array("data: a\n\ndata: [DONE]".utf8)).map(\.text) == ["a"])
    #expect(parser.finish().map(\.text) == ["[DONE]"])
    #expect(parser.finish().isEmpty)
  }

  @Test func eventsSplitAtEveryPosition() {
    let text = "data: {\"choices\":[{\"delta\":{\"content\":\"héllo\"}}]}\r\n\r\n: ping\n\ndata: [DONE]\n\n"
    let bytes = Array(text.utf8)
    let expected = parseWhole(text)
    #expect(expected.count == 2)
    for split in 0...bytes.count {
      var parser = SSEParser()
      let events = parser.events(in: bytes[..<split]) + parser.events(in: bytes[split...]) + parser.finish()
      #expect(events.map(\.text) == expected, "split at \(split)")
    }
  }

  @Test func realLlamaServerStreamByteAtATime() throws {
    let text = try fixture("llama_server_chat_stream.sse")
    let events = parse(text)
    #expect(events.count == 34)
    #expect(events.last == "[DONE]")
  }

  @Test func parserIsReusableAfterFinish() {
    var parser = SSEParser()
    _ = parser.events(in: Array("data: partial".utf8))
    _ = parser.finish()
    #expect(parser.events(in: Array("data: next\n\n".utf8)).map(\.text) == ["next"])
  }

  @Test func nonContiguousSequencesAreAccepted() {
    var parser = SSEParser()
    let bytes = AnySequence(Array("data: lazy\n\n".utf8))
    #expect(parser.events(in: bytes).map(\.text) == ["lazy"])
  }

  @Test func callbackFormDeliversTheSameEvents() {
    var parser = SSEParser()
    var seen: [String] = []
    parser.parse(Array("data: a\n\ndata: b\n\n".utf8)) { event in seen.append(event.text) }
    #expect(seen == ["a", "b"])
  }
}
