import Flows
import Testing

@testable import FlowscopeTUI

/// Log records of a trace (from `/api/otlp` or `/api/otlp/v1/logs`) in the span inspector.
@Suite struct InspectorLogsTests {
  static let root = SpanData(
    spanId: "r", traceId: "t1", parentSpanId: nil, startTime: 1000, endTime: 1050,
    attributes: ["genkit:type": "action", "genkit:metadata:subtype": "flow"], displayName: "jokeFlow")
  static let child = SpanData(
    spanId: "c", traceId: "t1", parentSpanId: "r", startTime: 1010, endTime: 1040,
    attributes: ["genkit:type": "flowStep"], displayName: "pick")
  static let logs: [JSONObject] = [
    [
      "logId": "2", "traceId": "t1", "spanId": "r", "timestamp": 1020, "severityNumber": 17,
      "body": "model server down\u{1b}[2J", "attributes": ["retry": 2],
    ],
    [
      "logId": "1", "traceId": "t1", "spanId": "r", "timestamp": 1002.5, "severityText": "info",
      "body": ["user": "ada"],
    ],
    ["logId": "3", "traceId": "t1", "spanId": "c", "timestamp": 1030, "severityNumber": 13, "body": "child log"],
  ]

  func inspect(_ spans: [SpanData], logs: [JSONObject], select moves: Int = 0) -> AppState {
    var state = makeState()
    send(&state, [.event(.traceLoaded(TraceData(traceId: "t1", spans: spans), chunks: [], logs: logs))])
    send(&state, [key(.character("5"))] + Array(repeating: key(.character("j")), count: moves) + [key(.enter)])
    return state
  }

  @Test func aSpanShowsItsOwnLogsOldestFirstWithTimeSeverityBodyAndAttributes() throws {
    let state = inspect([Self.root, Self.child], logs: Self.logs)
    #expect(state.inspector?.span.spanId == "r")
    let text = screen(state)
    #expect(text.contains("Logs (2)"))
    let info = try #require(text.range(of: #"+2.5 ms INFO {"user":"ada"}"#))
    let error = try #require(text.range(of: #"+20 ms ERROR model server down  {"retry":2}"#))
    #expect(info.lowerBound < error.lowerBound)
    #expect(!text.contains("child log"))
    #expect(!text.contains("\u{1b}"))
  }

  @Test func theChildSpanHasItsOwnLog() {
    let state = inspect([Self.root, Self.child], logs: Self.logs, select: 1)
    #expect(state.inspector?.span.spanId == "c")
    let text = screen(state)
    #expect(text.contains("Logs (1)"))
    #expect(text.contains("+20 ms WARN child log"))
  }

  @Test func aSpanWithoutLogsHasNoLogsSection() {
    let state = inspect([Self.root], logs: [])
    #expect(state.inspector != nil)
    #expect(!screen(state).contains("Logs ("))
  }

  @Test func logsThatArriveWhileTheSpanIsInspectedShowAtOnce() {
    var state = inspect([Self.root, Self.child], logs: [])
    #expect(!screen(state).contains("Logs ("))
    let late: JSONObject = ["logId": "9", "traceId": "t1", "spanId": "r", "timestamp": 1045, "body": "late arrival"]
    let elsewhere: JSONObject = [
      "logId": "8", "traceId": "t9", "spanId": "r", "timestamp": 1045, "body": "other trace",
    ]
    send(&state, [.event(.traceEvents([.logReceived(late), .logReceived(elsewhere)]))])
    #expect(screen(state).contains("Logs (1)"))
    #expect(screen(state).contains("+45 ms LOG late arrival"))
    #expect(!screen(state).contains("other trace"))
    // The same record sent again (same logId) replaces the first copy.
    var corrected = late
    corrected["body"] = "late, corrected"
    corrected["severityNumber"] = 13
    send(&state, [.event(.traceEvents([.logReceived(corrected)]))])
    #expect(screen(state).contains("Logs (1)"))
    #expect(screen(state).contains("+45 ms WARN late, corrected"))
    #expect(state.traceLogs.count == 1)
  }

  @Test func showingAnotherTraceForgetsTheLogsOfTheOneBefore() {
    var state = inspect([Self.root], logs: Self.logs)
    #expect(!state.traceLogs.isEmpty)
    send(&state, [.event(.traceLoaded(TraceData(traceId: "t2", spans: [Self.root]), chunks: []))])
    #expect(state.traceLogs.isEmpty)
  }
}
