import Testing

@testable import Flows

@Suite struct TimeOrderedTraceIDTests {
  @Test func theFirstTwelveDigitsAreTheMillisecondsAndTheLastSixteenAreRandom() {
    let id = TraceID.timeOrdered(milliseconds: 0x0123_4567_89AB)
    #expect(id.hex.count == 32)
    #expect(id.hex.hasPrefix("0123456789ab"))
    let other = TraceID.timeOrdered(milliseconds: 0x0123_4567_89AB)
    #expect(id.low != other.low)
    #expect(id != other)
  }

  @Test func idsMadeLaterSortLater() {
    let earlier = TraceID.timeOrdered(milliseconds: 1_800_000_000_000)
    let later = TraceID.timeOrdered(milliseconds: 1_800_000_000_001)
    #expect(earlier.hex < later.hex)
    // Within one millisecond, the sequence orders them (until it wraps after 65 536 ids).
    let sameMillisecond = (0..<100).map { _ in TraceID.timeOrdered(milliseconds: 1_800_000_000_002).hex }
    let wrapped = zip(sameMillisecond, sameMillisecond.dropFirst()).filter { $0 >= $1 }.count
    #expect(wrapped <= 1)
  }

  @Test func runsGetTimeOrderedIdsThatStartWithTheirStartTime() async throws {
    let runtime = FlowRuntime()
    let echo = runtime.defineFlow("echo") { (text: String) in text }
    let first = try await echo.run("a")
    let second = try await echo.run("b")
    #expect(first.traceID != second.traceID)
    let now = TraceID.timeOrdered()
    #expect(first.traceID.high >> 16 <= second.traceID.high >> 16)
    #expect(second.traceID.high >> 16 <= now.high >> 16)
    #expect((now.high >> 16) - (first.traceID.high >> 16) < 60_000)
  }
}
