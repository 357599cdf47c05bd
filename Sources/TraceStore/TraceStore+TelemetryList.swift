import Flows
import GRDB

/// One page of `GET /api/traces` items: traces holding only their root span, newest first.
public struct TelemetryTracePage: Sendable, Equatable {
  /// The traces, each with its root span only (long string attributes truncated).
  public var traces: [TraceData]
  /// Pass back for the next page; nil when there are no more.
  public var continuationToken: String?

  /// A page.
  public init(traces: [TraceData], continuationToken: String?) {
    self.traces = traces
    self.continuationToken = continuationToken
  }

  /// The page as Genkit's telemetry server returns it: `{"traces": [...], "continuationToken"?: "..."}`.
  public var json: JSONValue {
    var object: JSONObject = ["traces": .array(traces.map(\.json))]
    if let continuationToken { object["continuationToken"] = .string(continuationToken) }
    return .object(object)
  }
}

extension TraceStore {
  /// Genkit's list limit for string attributes of list items (`MAX_LIST_ATTR_LENGTH`).
  public static let telemetryListAttributeLimit = 1000

  /// Lists traces the way Genkit's telemetry server does (`GET /api/traces`): newest first, only
  /// traces whose root span has arrived, each item holding just that root span with string
  /// attributes longer than `attributeLimit` cut and suffixed with `...`.
  ///
  /// The start-time conditions of `filter` are evaluated in SQL; the others on each root span,
  /// so a very selective filter reads more rows than it returns. Paging is keyset-based: the
  /// token is the position of the page's last trace (an opaque string, not Genkit's offset).
  ///
  /// - Throws: `TraceStoreError.invalidContinuationToken` for a token this store did not make.
  public func listTelemetryTraces(
    filter: TelemetryTraceFilter = TelemetryTraceFilter(), limit: Int = 10, continuationToken: String? = nil,
    attributeLimit: Int = TraceStore.telemetryListAttributeLimit
  ) throws -> TelemetryTracePage {
    let cursor = try continuationToken.map { try TraceCursor(token: $0) }
    let limit = min(max(limit, 1), 10_000)
    var conditions = ["t.root_span_id IS NOT NULL"]
    var arguments = StatementArguments()
    if let cursor {
      conditions.append("(t.start_time, t.trace_id) < (?, ?)")
      arguments += [cursor.startTime, cursor.traceId]
    }
    for condition in filter.conditions where condition.field == "start" && condition.op.isRange {
      guard let bound = condition.values.first?.doubleValue else { continue }
      let comparison = ["gt": ">", "gte": ">=", "lt": "<", "lte": "<="][condition.op.rawValue] ?? ">"
      conditions.append("t.start_time \(comparison) ?")
      arguments += [bound]
    }
    let sql = """
      SELECT t.trace_id, t.start_time, s.json FROM traces t
      JOIN spans s ON s.trace_id = t.trace_id AND s.span_id = t.root_span_id
      WHERE \(conditions.joined(separator: " AND "))
      ORDER BY t.start_time DESC, t.trace_id DESC
      """
    return try reading("listing traces") { db in
      var traces: [TraceData] = []
      var last: TraceCursor?
      var hasMore = false
      let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
      while let row = try rows.next() {
        let traceId = try row.decode(String.self, atIndex: 0)
        let text = try row.decode(String.self, atIndex: 2)
        let root: SpanData
        do {
          root = try SpanData(json: JSONValue(parsing: text))
        } catch {
          throw UnreadableRecord(description: "root span of trace \(traceId) has unreadable JSON: \(error)")
        }
        guard filter.matches(TelemetryTraceFilter.indexFields(traceId: traceId, root: root)) else { continue }
        if traces.count == limit {
          hasMore = true
          break
        }
        traces.append(TraceData(traceId: traceId, spans: [Self.truncatedForList(root, limit: attributeLimit)]))
        last = TraceCursor(startTime: try row.decode(Double.self, atIndex: 1), traceId: traceId)
      }
      return TelemetryTracePage(traces: traces, continuationToken: hasMore ? last?.token : nil)
    }
  }

  /// A span with every string attribute longer than `limit` UTF-16 units cut to at most `limit`
  /// (on a character boundary) and suffixed with `...`, as Genkit's `trucateLargeAttrs` does.
  public static func truncatedForList(_ span: SpanData, limit: Int = telemetryListAttributeLimit) -> SpanData {
    var span = span
    for (key, value) in span.attributes.entries {
      guard case .string(let text) = value, text.utf16.count > limit else { continue }
      var kept = 0
      var end = text.startIndex
      for character in text {
        let width = character.utf16.count
        if kept + width > limit { break }
        kept += width
        end = text.index(after: end)
      }
      span.attributes[key] = .string(String(text[..<end]) + "...")
    }
    return span
  }
}
