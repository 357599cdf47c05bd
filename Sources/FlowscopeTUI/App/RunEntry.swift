import Flows
import TraceStore

/// How a run ended (or that it has not).
public enum RunStatus: String, Sendable, Equatable, CaseIterable {
  case running, ok, error

  /// The glyph shown next to a run or span.
  public var symbol: String {
    switch self {
    case .running: return "●"
    case .ok: return "✔"
    case .error: return "✖"
    }
  }
}

/// One run in the history pane: from the trace store, or started in this session.
public struct RunEntry: Sendable, Equatable {
  public var traceId: String
  public var flowName: String
  public var status: RunStatus
  /// ms since the epoch.
  public var startTime: Double
  /// ms since the epoch; nil while running.
  public var endTime: Double?
  public var errorMessage: String?
  public var inputPreview: String?

  public init(
    traceId: String, flowName: String, status: RunStatus, startTime: Double, endTime: Double? = nil,
    errorMessage: String? = nil, inputPreview: String? = nil
  ) {
    self.traceId = traceId
    self.flowName = flowName
    self.status = status
    self.startTime = startTime
    self.endTime = endTime
    self.errorMessage = errorMessage
    self.inputPreview = inputPreview
  }

  /// The entry for a stored trace.
  public init(_ summary: TraceSummary) {
    let status: RunStatus
    switch summary.status {
    case .ok: status = .ok
    case .error: status = .error
    case .running: status = .running
    }
    self.init(
      traceId: summary.traceId, flowName: summary.name, status: status, startTime: summary.startTime,
      endTime: summary.endTime > 0 ? summary.endTime : nil, errorMessage: summary.errorMessage,
      inputPreview: summary.inputPreview)
  }

  public var durationMilliseconds: Double? { endTime.map { $0 - startTime } }
}

/// Which runs the history pane shows.
public struct RunFilter: Sendable, Equatable {
  /// Substring of the flow name (case-insensitive); empty = all.
  public var text: String = ""
  /// nil = every status.
  public var status: RunStatus?

  public init(text: String = "", status: RunStatus? = nil) {
    self.text = text
    self.status = status
  }

  public func matches(_ run: RunEntry) -> Bool {
    if let status, run.status != status { return false }
    return text.isEmpty || run.flowName.localizedCaseInsensitiveContains(text)
  }

  /// The next status in the cycle all → running → ok → error → all.
  public mutating func cycleStatus() {
    switch status {
    case nil: status = .running
    case .running: status = .ok
    case .ok: status = .error
    case .error: status = nil
    }
  }
}
