import Flows
import Testing

/// Log records in the text trace tree (`flowscope traces show`).
@Suite struct LogRecordFormattingTests {
  static let root = SpanData(
    spanId: "r", traceId: "t", parentSpanId: nil, startTime: 1000, endTime: 1100,
    attributes: ["genkit:type": "action", "genkit:metadata:subtype": "flow", "genkit:state": "success"],
    displayName: "order")
  static let step = SpanData(
    spanId: "s", traceId: "t", parentSpanId: "r", startTime: 1010, endTime: 1090,
    attributes: ["genkit:type": "flowStep", "genkit:state": "success"], displayName: "charge")

  @Test func aSpansLogsComeAfterItsChildrenOldestFirst() {
    let logs: [JSONObject] = [
      ["spanId": "r", "timestamp": 1095, "severityNumber": 17, "body": "gave up", "attributes": ["tries": 3]],
      ["spanId": "s", "timestamp": 1012.5, "severityText": "warn", "body": ["code": 503]],
      ["spanId": "r", "timestamp": 1001, "severityNumber": 9, "body": "start\u{1b}[2J"],
      ["timestamp": 1050, "body": "no span: not shown"],
    ]
    let text = TraceTreeFormatter(showValues: false, logs: logs).format(
      TraceData(traceId: "t", spans: [Self.root, Self.step]))
    #expect(
      text == """
        order (flow) [100 ms] ✔
        ├─ charge (flowStep) [80 ms] ✔
        │  └─ Log: +2.5 ms WARN {"code":503}
        ├─ Log: +1.0 ms INFO start
        └─ Log: +95 ms ERROR gave up  {"tries":3}
        """)
  }

  @Test func severitiesReadAsOpenTelemetryNames() {
    let cases: [(JSONObject, String)] = [
      (["severityNumber": 1], "TRACE"), (["severityNumber": 8], "DEBUG"), (["severityNumber": 10], "INFO"),
      (["severityNumber": 13], "WARN"), (["severityNumber": 20], "ERROR"), (["severityNumber": 24], "FATAL"),
      (["severityNumber": 99], "LOG"), ([:], "LOG"), (["severityText": "notice", "severityNumber": 10], "NOTICE"),
    ]
    for (record, name) in cases { #expect(LogRecordFormatting.severity(record) == name, "\(record)") }
  }
}
