import Flows

/// What a run reported through its callbacks (trace started, chunks), in order: hand
/// `onTraceStarted` and `onChunk` to a client's run call.
public final class RunEvents: Sendable {
  public enum Event: Equatable, Sendable {
    case traceStarted(String, String?)
    case chunk(JSONValue)
  }

  /// The run reported no trace id in time.
  public struct NoTraceId: Error, CustomStringConvertible {
    public var description: String
  }

  private let events = Locked<[Event]>([])
  /// Fires when the trace id is reported.
  public let traceStarted = Signal()

  public init() {}

  public var all: [Event] { events.value }

  public var chunks: [JSONValue] {
    all.compactMap { event in
      if case .chunk(let chunk) = event { return chunk }
      return nil
    }
  }

  public var traceId: String? {
    all.lazy.compactMap { event -> String? in
      if case .traceStarted(let traceId, _) = event { return traceId }
      return nil
    }.first
  }

  public var onTraceStarted: @Sendable (String, String?) -> Void {
    { traceId, spanId in
      self.events.append(.traceStarted(traceId, spanId))
      self.traceStarted.fire()
    }
  }

  public var onChunk: @Sendable (JSONValue) -> Void { { chunk in self.events.append(.chunk(chunk)) } }

  /// The trace id, once reported (within `limit`).
  public func waitForTrace(within limit: Duration = .seconds(30)) async throws -> String {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
      if let traceId { return traceId }
      try await Task.sleep(for: .milliseconds(20))
    }
    throw NoTraceId(description: "the run reported no trace id within \(limit)")
  }
}
