import Flows
import GRDB

extension TraceStore {
  /// The stored traces as a JSON array of Genkit `TraceData` objects, newest first.
  ///
  /// - Parameter traceIds: The traces to export (unknown ids are skipped), or nil for all.
  public func export(traceIds: [String]? = nil) throws -> JSONValue {
    try reading("exporting traces") { db in
      let ids: [String]
      if let traceIds {
        ids = traceIds
      } else {
        ids = try String.fetchAll(db, sql: "SELECT trace_id FROM traces ORDER BY start_time DESC, trace_id DESC")
      }
      var traces: [JSONValue] = []
      traces.reserveCapacity(ids.count)
      for id in ids {
        if let trace = try TraceReads.trace(id, in: db) { traces.append(trace.json) }
      }
      return .array(traces)
    }
  }

  /// Imports Genkit trace data: one `TraceData` object, an array of them, or `{"traces": [...]}`
  /// (the body of Genkit's `GET /api/traces`). Spans are merged with the `upsert` rule, all in one
  /// transaction.
  ///
  /// - Returns: How many distinct traces had spans imported.
  @discardableResult
  public func importTraces(from json: JSONValue) throws -> Int {
    let items: [JSONValue]
    switch json {
    case .array(let array):
      items = array
    case .object(let object):
      if let traces = object["traces"] {
        guard let array = traces.arrayValue else { throw TraceStoreError.invalidImport("\"traces\" is not an array") }
        items = array
      } else {
        items = [json]
      }
    default:
      throw TraceStoreError.invalidImport("expected an object or an array, got \(json.typeName)")
    }
    var spans: [SpanData] = []
    for (index, item) in items.enumerated() {
      do {
        spans.append(contentsOf: try TraceData(json: item).spans.values)
      } catch {
        throw TraceStoreError.invalidImport(items.count == 1 ? "\(error)" : "trace #\(index + 1): \(error)")
      }
    }
    try upsert(spans)
    return Set(spans.map(\.traceId)).count
  }
}
