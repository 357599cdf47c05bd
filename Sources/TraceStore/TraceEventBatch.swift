import Flows

/// Turns a batch of bus events into rows: every chunk (in blocks, one per span), every log record
/// written in a run, and each span once — its last copy in the
/// batch, except that a start copy never displaces an ended copy (the store's upsert rule, applied
/// before conversion so a span that started and ended within the batch is converted once).
struct TraceEventBatch {
  private enum SpanKey: Hashable {
    case local(TraceID, SpanID)
    case received(traceId: String, spanId: String)
  }

  private var chosen: [SpanKey: (position: Int, ended: Bool)] = [:]

  /// A local span whose chunks are being grouped.
  private struct StreamKey: Hashable {
    var traceId: TraceID
    var spanId: SpanID
  }

  /// Converts `events`. Reuses its dictionary storage between batches.
  mutating func convert(_ events: [TraceEvent]) -> (spans: [SpanData], chunks: [ChunkBlock], logs: [JSONObject]) {
    chosen.removeAll(keepingCapacity: true)
    for (position, event) in events.enumerated() {
      let key: SpanKey
      let ended: Bool
      switch event {
      case .spanStarted(let info):
        key = .local(info.traceId, info.spanId)
        ended = false
      case .spanEnded(let info, _):
        key = .local(info.traceId, info.spanId)
        ended = true
      case .spanReceived(let span):
        key = .received(traceId: span.traceId, spanId: span.spanId)
        ended = span.endTime > 0
      case .chunk:
        continue
      case .runFinished, .logRecorded, .logReceived:
        continue
      }
      if let previous = chosen[key], previous.ended, !ended { continue }
      chosen[key] = (position, ended)
    }
    var spans: [SpanData] = []
    spans.reserveCapacity(chosen.count)
    var chunks = ChunkBlockBuilder<StreamKey>()
    var logs: [JSONObject] = []
    for (position, event) in events.enumerated() {
      switch event {
      case .spanStarted(let info):
        if chosen[.local(info.traceId, info.spanId)]?.position == position {
          spans.append(SpanData(info, outcome: nil))
        }
      case .spanEnded(let info, let outcome):
        if chosen[.local(info.traceId, info.spanId)]?.position == position {
          spans.append(SpanData(info, outcome: outcome))
        }
      case .spanReceived(let span):
        if chosen[.received(traceId: span.traceId, spanId: span.spanId)]?.position == position { spans.append(span) }
      case .chunk(let chunk):
        chunks.add(
          StreamKey(traceId: chunk.traceId, spanId: chunk.spanId), ids: { (chunk.traceId.hex, chunk.spanId.hex) },
          index: chunk.index, time: chunk.time
        ) { bytes in chunk.value.json.serialize(appendingTo: &bytes) }
      case .logRecorded(let record):
        logs.append(record)
      case .runFinished, .logReceived:
        // A received record was stored by whoever received it.
        break
      }
    }
    return (spans, chunks.blocks, logs)
  }
}
