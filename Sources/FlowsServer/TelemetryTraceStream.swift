import Flows
import Foundation
import HTTPTypes
import Hummingbird
import ServiceLifecycle
import TraceStore

/// `GET /api/traces/:traceId/stream`: Server-Sent Events for one trace.
///
/// First `data: <TraceData>` (the stored snapshot, when there is one), then for every span of the
/// trace that starts or ends, live from the bus (local runs) or from `POST /api/traces`:
/// `data: {"type": "span_start" | "span_end", "traceId": …, "span": <SpanData>}`. The stream ends
/// once the root span (the one without a parent) has ended — at once if the snapshot already
/// shows that. While idle it sends `: keep-alive` comments. Graceful server shutdown ends it.
struct TelemetryTraceStream {
  let store: TraceStore
  let bus: EventBus
  let keepAlive: Duration

  enum Wake: Sendable {
    case events
    case tick
  }

  func respond(traceId: String) -> Response {
    let (wakes, wakeSink) = AsyncStream<Wake>.makeStream(bufferingPolicy: .bufferingNewest(4))
    // Subscribe before reading the snapshot, so nothing falls between the two.
    let subscription = bus.subscribe(
      policy: .bufferingNewest(100_000), events: .withoutChunks, name: "trace-stream \(traceId)"
    ) {
      wakeSink.yield(.events)
    }
    let snapshot: TraceData?
    do {
      snapshot = try store.trace(id: traceId)
    } catch {
      bus.unsubscribe(subscription)
      return TelemetryRoutes.failure(.internal, "\(error)", status: .internalServerError)
    }
    let bus = self.bus
    let keepAlive = self.keepAlive
    var headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", .connection: "keep-alive"]
    if let origin = HTTPField.Name("Access-Control-Allow-Origin") { headers[origin] = "*" }
    return Response(
      status: .ok, headers: headers,
      body: ResponseBody { writer in
        defer { bus.unsubscribe(subscription) }
        if let snapshot {
          try await writer.write(Self.frame(snapshot.json))
          if Self.rootHasEnded(snapshot.spans.values) {
            try await writer.finish(nil)
            return
          }
        }
        let ticker = Task {
          while !Task.isCancelled {
            try? await Task.sleep(for: keepAlive)
            wakeSink.yield(.tick)
          }
        }
        defer { ticker.cancel() }
        var wroteSinceTick = false
        try await withGracefulShutdownHandler {
          for await wake in wakes {
            var done = false
            var frames: [ByteBuffer] = []
            for event in subscription.drain() where event.traceId == traceId {
              for (type, span) in Self.spanEvents(event) {
                frames.append(Self.frame(["type": .string(type), "traceId": .string(traceId), "span": span.json]))
                if type == "span_end", Self.isRoot(span) { done = true }
              }
            }
            if !frames.isEmpty {
              try await writer.write(contentsOf: frames)
              wroteSinceTick = true
            }
            if done { break }
            if case .tick = wake {
              if !wroteSinceTick { try await writer.write(ByteBuffer(string: ": keep-alive\n\n")) }
              wroteSinceTick = false
            }
          }
        } onGracefulShutdown: {
          wakeSink.finish()
        }
        try await writer.finish(nil)
      })
  }

  /// The `span_start`/`span_end` events a bus event stands for. A received span that has ended
  /// yields both, as Genkit's server broadcasts a saved span.
  static func spanEvents(_ event: TraceEvent) -> [(String, SpanData)] {
    switch event {
    case .spanStarted(let info):
      return [("span_start", SpanData(info, outcome: nil))]
    case .spanEnded(let info, let outcome):
      return [("span_end", SpanData(info, outcome: outcome))]
    case .spanReceived(let span):
      return span.endTime > 0 ? [("span_start", span), ("span_end", span)] : [("span_start", span)]
    case .chunk, .runFinished, .logRecorded, .logReceived:
      return []
    }
  }

  /// A trace's root: no parent, or marked `genkit:isRoot` (a root with a remote parent).
  static func isRoot(_ span: SpanData) -> Bool {
    span.parentSpanId == nil || span.attributes["genkit:isRoot"]?.boolValue == true
  }

  static func rootHasEnded(_ spans: some Sequence<SpanData>) -> Bool {
    spans.contains { isRoot($0) && $0.endTime > 0 }
  }

  /// `data: <json>\n\n`.
  static func frame(_ json: JSONValue) -> ByteBuffer {
    var bytes = Array("data: ".utf8)
    bytes.append(contentsOf: json.serializedBytes())
    bytes.append(contentsOf: [UInt8(ascii: "\n"), UInt8(ascii: "\n")])
    return ByteBuffer(bytes: bytes)
  }
}
