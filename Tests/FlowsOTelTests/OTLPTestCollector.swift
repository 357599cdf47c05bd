import Flows
import FlowsTestSupport
import Foundation
import NIOCore

/// An OTLP/HTTP receiver on loopback for tests: it records every POST and answers OTLP's success
/// (`200 {}` as JSON, which OTLP/HTTP exporters accept for either encoding).
final class OTLPTestCollector: Sendable {
  let stub: LoopbackHTTPStub

  private init(stub: LoopbackHTTPStub) { self.stub = stub }

  static func start() async throws -> OTLPTestCollector {
    let stub = try await LoopbackHTTPStub.start { _, _, context in
      StubWrite.whole(status: 200, contentType: "application/json", body: "{}", context: context)
    }
    return OTLPTestCollector(stub: stub)
  }

  /// The OTLP/HTTP traces URL.
  var tracesURL: String { "http://127.0.0.1:\(stub.port)/v1/traces" }

  func stop() async { await stub.stop() }

  /// Every request received.
  var requests: [StubRequest] { stub.requests }

  /// The spans of every OTLP/JSON request received so far, in arrival order.
  var spans: [CollectedSpan] {
    requests.filter { $0.uri == "/v1/traces" }.flatMap { CollectedSpan.all(in: $0.json) }
  }
}

/// A span as an OTLP/JSON request carries it, read without Flowscope's converter.
struct CollectedSpan: Sendable {
  var traceId: String
  var spanId: String
  var parentSpanId: String?
  var name: String
  /// OTLP's enum number: 1 internal, 2 server, 3 client.
  var kind: Int
  var startNanoseconds: UInt64
  var endNanoseconds: UInt64
  /// Attribute values as sent (`{"stringValue": …}`, `{"intValue": "…"}`, …).
  var attributes: [String: JSONValue]
  var statusCode: Int
  var statusMessage: String?
  var events: [(name: String, nanoseconds: UInt64, attributes: [String: JSONValue])]
  var resource: [String: JSONValue]
  var scope: String?

  /// A string attribute.
  func string(_ key: String) -> String? { attributes[key]?["stringValue"]?.stringValue }

  /// Every span of an `ExportTraceServiceRequest`.
  static func all(in body: JSONValue) -> [CollectedSpan] {
    var spans: [CollectedSpan] = []
    for resourceSpans in body["resourceSpans"]?.arrayValue ?? [] {
      let resource = keyValues(resourceSpans["resource"]?["attributes"])
      for scopeSpans in resourceSpans["scopeSpans"]?.arrayValue ?? [] {
        let scope = scopeSpans["scope"]?["name"]?.stringValue
        for span in scopeSpans["spans"]?.arrayValue ?? [] {
          spans.append(
            CollectedSpan(
              traceId: hex(span["traceId"]) ?? "", spanId: hex(span["spanId"]) ?? "",
              parentSpanId: hex(span["parentSpanId"]),
              name: span["name"]?.stringValue ?? "", kind: Int(span["kind"]?.int64Value ?? 0),
              startNanoseconds: nanoseconds(span["startTimeUnixNano"]),
              endNanoseconds: nanoseconds(span["endTimeUnixNano"]),
              attributes: keyValues(span["attributes"]), statusCode: Int(span["status"]?["code"]?.int64Value ?? 0),
              statusMessage: span["status"]?["message"]?.stringValue,
              events: (span["events"]?.arrayValue ?? []).map { event in
                (
                  event["name"]?.stringValue ?? "", nanoseconds(event["timeUnixNano"]),
                  keyValues(event["attributes"])
                )
              }, resource: resource, scope: scope))
        }
      }
    }
    return spans
  }

  static func keyValues(_ list: JSONValue?) -> [String: JSONValue] {
    var result: [String: JSONValue] = [:]
    for entry in list?.arrayValue ?? [] {
      if let key = entry["key"]?.stringValue { result[key] = entry["value"] ?? .null }
    }
    return result
  }

  static func nanoseconds(_ value: JSONValue?) -> UInt64 {
    if let text = value?.stringValue { return UInt64(text) ?? 0 }
    return value?.int64Value.map { UInt64(max($0, 0)) } ?? 0
  }

  /// An id as lowercase hex: OTLP/JSON prescribes hex, protobuf's generic JSON mapping (which
  /// swift-otel uses) writes base64.
  static func hex(_ value: JSONValue?) -> String? {
    guard let text = value?.stringValue, !text.isEmpty else { return nil }
    if text.count == 32 || text.count == 16, text.allSatisfy(\.isHexDigit) { return text.lowercased() }
    guard let data = Data(base64Encoded: text) else { return text }
    return data.map { String(format: "%02x", $0) }.joined()
  }
}

extension Array where Element == CollectedSpan {
  /// The one span with this name (nil when there is not exactly one).
  func one(_ name: String) -> CollectedSpan? {
    let matches = filter { $0.name == name }
    return matches.count == 1 ? matches[0] : nil
  }
}
