import Flows
import Testing
import TraceStore

/// The store writes span JSON with its own serializer; these spans must come back unchanged.
@Suite struct EncodingTests {
  @Test func everyCharacterThatNeedsEscapingAtEveryPosition() throws {
    let t = try TestStore()
    var specials: [Character] = ["\"", "\\", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{7F}", "\u{00}", "\u{1F}"]
    specials += ["é", "✓", "😀", "/"]
    var attributes = JSONObject()
    for (n, special) in specials.enumerated() {
      for length in [1, 7, 8, 9, 15, 16, 17, 24] {
        for position in Set([0, length / 2, length - 1]) {
          var text = Array(repeating: Character("a"), count: length)
          text[position] = special
          attributes["k\(n)-\(length)-\(position)"] = .string(String(text))
        }
      }
    }
    attributes["empty"] = ""
    attributes["key with \"quotes\" and \n newline"] = "value"
    var span = makeSpan(trace: "t1", id: "root", name: "name \"quoted\"\t", start: 1, end: 2, attributes: attributes)
    span.status = SpanData.SpanStatus(code: 2, message: "line1\nline2 \u{01}")
    try t.store.upsert([span, makeSpan(trace: "t1", id: "child", parent: "root", name: "", start: 1.5, end: 1.75)])
    let stored = try #require(try t.store.trace(id: "t1"))
    #expect(stored.spans["root"] == span)
    #expect(stored.spans["child"]?.displayName == "")
  }

  @Test func numbersKeepTheirValues() throws {
    let t = try TestStore()
    let numbers: [JSONValue] = [
      0, -0.0, 1, -1, 42.5, 1e-7, 123_456_789.123_456_789, 1e15, 1e21, -1e300, .number(.leastNonzeroMagnitude),
      .integer(.max), .integer(.min),
      .integer(-1_234_567_890_123), 9_007_199_254_740_993,
    ]
    let span = makeSpan(
      trace: "t1", id: "root", start: 1_782_000_000_000.123_4, end: 1_782_000_000_999.987_6,
      attributes: ["numbers": .array(numbers), "nested": ["a": ["b": [true, false, .null]]]])
    try t.store.upsert([span])
    let stored = try #require(try t.store.trace(id: "t1")?.spans["root"])
    #expect(stored == span)
    #expect(stored.startTime == 1_782_000_000_000.123_4)
    #expect(stored.attributes["numbers"]?[11] == .integer(.max))
    #expect(stored.attributes["numbers"]?[12] == .integer(.min))
  }

  @Test func optionalFieldsStayAbsentOrPresent() throws {
    let t = try TestStore()
    var bare = makeSpan(trace: "t1", id: "bare", start: 1, end: 2)
    bare.links = nil
    bare.status = nil
    bare.timeEvents = nil
    bare.sameProcessAsParentSpan = nil
    bare.truncated = nil
    bare.instrumentationLibrary = SpanData.InstrumentationLibrary(name: "")
    var full = makeSpan(trace: "t1", id: "full", parent: "bare", start: 1, end: 2)
    full.links = [["traceId": "x"], []]
    full.sameProcessAsParentSpan = false
    full.truncated = true
    full.spanKind = "SERVER"
    full.instrumentationLibrary = SpanData.InstrumentationLibrary(name: "lib", version: "2", schemaUrl: "https://x")
    full.timeEvents = [
      SpanData.TimeEvent(time: 1.5, description: "a", attributes: [:]),
      SpanData.TimeEvent(time: 1.75, description: "exception", attributes: ["exception.message": "m"]),
    ]
    try t.store.upsert([bare, full])
    let stored = try #require(try t.store.trace(id: "t1"))
    #expect(stored.spans["bare"] == bare)
    #expect(stored.spans["full"] == full)
  }
}
