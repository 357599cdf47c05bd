import Foundation

/// The state of a whole trace, taken from its root span.
public enum TraceStatus: String, Sendable, Hashable, Codable, CaseIterable {
  /// The root has not ended, or has not arrived yet.
  case running
  /// The root ended successfully.
  case ok
  /// The root failed.
  case error
}

/// The status a trace list can be filtered by.
public typealias TraceStatusFilter = TraceStatus

/// What `TraceStore.listTraces` returns: a filter, a page size and where to continue.
public struct TraceQuery: Sendable, Hashable {
  /// Only traces whose root span has exactly this name.
  public var flowName: String?
  /// Only traces in this state.
  public var status: TraceStatusFilter?
  /// The page size, clamped to 1...10 000.
  public var limit: Int
  /// The `continuationToken` of the previous page, or nil for the first page.
  public var continuationToken: String?

  /// A query; all traces, newest first, 20 per page by default.
  public init(
    flowName: String? = nil, status: TraceStatusFilter? = nil, limit: Int = 20, continuationToken: String? = nil
  ) {
    self.flowName = flowName
    self.status = status
    self.limit = limit
    self.continuationToken = continuationToken
  }
}

/// One page of trace summaries, newest first.
public struct TracePage: Sendable, Hashable {
  /// The traces of this page.
  public var traces: [TraceSummary]
  /// Pass in `TraceQuery.continuationToken` for the next page; nil when there are no more.
  public var continuationToken: String?

  /// A page.
  public init(traces: [TraceSummary], continuationToken: String?) {
    self.traces = traces
    self.continuationToken = continuationToken
  }
}

/// A trace as a list shows it, read from the `traces` table without touching its spans.
public struct TraceSummary: Sendable, Hashable, Codable {
  /// 32 hex characters.
  public var traceId: String
  /// The root span's name (the flow name); before the root arrives, the best guess from a span.
  public var name: String
  /// ms since the epoch.
  public var startTime: Double
  /// ms since the epoch; 0 while running.
  public var endTime: Double
  /// The root span's state.
  public var status: TraceStatus
  /// The root span's error message, when it failed.
  public var errorMessage: String?
  /// The root span id, once the root has arrived.
  public var rootSpanId: String?
  /// The start of the root's `genkit:input` JSON.
  public var inputPreview: String?
  /// The start of the root's `genkit:output` JSON.
  public var outputPreview: String?
  /// Spans stored for the trace.
  public var spanCount: Int
  /// The root span's `genkitx:*` attributes (non-string values as JSON).
  public var labels: [String: String]

  /// A summary.
  public init(
    traceId: String, name: String, startTime: Double, endTime: Double, status: TraceStatus,
    errorMessage: String? = nil, rootSpanId: String? = nil, inputPreview: String? = nil,
    outputPreview: String? = nil, spanCount: Int, labels: [String: String] = [:]
  ) {
    self.traceId = traceId
    self.name = name
    self.startTime = startTime
    self.endTime = endTime
    self.status = status
    self.errorMessage = errorMessage
    self.rootSpanId = rootSpanId
    self.inputPreview = inputPreview
    self.outputPreview = outputPreview
    self.spanCount = spanCount
    self.labels = labels
  }

  /// `endTime - startTime` once the trace has ended, else nil.
  public var durationMilliseconds: Double? { endTime > 0 ? endTime - startTime : nil }
}

/// A keyset position in the newest-first order: the last row of a page. Encoded as an opaque
/// token `v1.<base64url of "<start_time bit pattern, hex>:<trace_id>">`, so a page continues right
/// after that row even when newer traces were inserted meanwhile.
struct TraceCursor: Equatable {
  var startTime: Double
  var traceId: String

  var token: String {
    let raw = String(startTime.bitPattern, radix: 16) + ":" + traceId
    let base64 = Data(raw.utf8).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
    return "v1." + base64
  }

  init(startTime: Double, traceId: String) {
    self.startTime = startTime
    self.traceId = traceId
  }

  init(token: String) throws {
    let invalid = TraceStoreError.invalidContinuationToken(token)
    guard token.hasPrefix("v1.") else { throw invalid }
    var base64 = String(token.dropFirst(3))
      .replacingOccurrences(of: "-", with: "+")
      .replacingOccurrences(of: "_", with: "/")
    while base64.count % 4 != 0 { base64 += "=" }
    guard let data = Data(base64Encoded: base64), let raw = String(data: data, encoding: .utf8),
      let colon = raw.firstIndex(of: ":"),
      let bits = UInt64(raw[raw.startIndex..<colon], radix: 16)
    else { throw invalid }
    let traceId = String(raw[raw.index(after: colon)...])
    guard !traceId.isEmpty else { throw invalid }
    self.init(startTime: Double(bitPattern: bits), traceId: traceId)
  }
}
