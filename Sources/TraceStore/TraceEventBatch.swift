import Flows

/// Turns a batch of bus events into rows: every chunk, and each span once — its last copy in the
/// batch, except that a start copy never displaces an ended copy (the store's upsert rule, applied
/// before conversion so a span that started and ended within the batch is converted once).
struct TraceEventBatch {
  private enum SpanKey: Hashable {
    case local(TraceID, SpanID)
    case received(traceId: String, spanId: String)
  }

  private var chosen: [SpanKey: (position: Int, ended: Bool)] = [:]

  /// Converts `events`. Reuses its dictionary storage between batches.
  mutating func convert(_ events: [TraceEvent]) -> (spans: [SpanData], chunks: [StoredChunk]) {
    chosen.removeAll(keepingCapacity: true)
    var chunkCount = 0
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
        chunkCount += 1
        continue
      case .runFinished:
        continue
      }
      if let previous = chosen[key], previous.ended, !ended { continue }
      chosen[key] = (position, ended)
    }
    var spans: [SpanData] = []
    spans.reserveCapacity(chosen.count)
    var chunks: [StoredChunk] = []
    chunks.reserveCapacity(chunkCount)
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
        chunks.append(StoredChunk(chunk))
      case .runFinished:
        break
      }
    }
    return (spans, chunks)
  }
}
