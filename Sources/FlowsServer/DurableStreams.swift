import Flows
import Foundation
import Synchronization

/// Durable streaming for the flow server (Genkit's `StreamManager`, kept in memory like its
/// `InMemoryStreamManager`): a client can lose its connection to a streaming call and come back
/// for the rest.
///
/// With durable streams on, a streaming response carries `x-genkit-stream-id: <id>`. A client
/// that POSTs to the same flow again with that header (and `Accept: text/event-stream`) gets every
/// frame sent so far, then the rest as it comes, then the result or the error; an unknown or
/// expired id answers `204 No Content` (Genkit's client reports "Stream not found").
///
/// The flow of a durable stream is not cancelled when its client goes away: that is what lets the
/// client come back. It runs to its end (or until the server shuts down, see `cancelRunning()`).
///
/// ```swift
/// let streams = DurableStreams(timeToLive: .seconds(600))
/// let server = FlowServer(registry: runtime.registry, configuration: .init(durableStreams: streams))
/// ```
public final class DurableStreams: Sendable {
  /// How long a finished stream stays available.
  public let timeToLive: Duration
  /// The most finished streams kept (the oldest go first).
  public let maximumFinishedStreams: Int
  /// The most bytes of frames kept per stream; a longer stream cannot be replayed.
  public let maximumBytesPerStream: Int
  /// The most bytes of frames kept in all: above it, the oldest finished streams go first.
  public let maximumTotalBytes: Int

  private struct State {
    var streams: [String: DurableStream] = [:]
    /// The flows still feeding streams, so shutdown can end them.
    var running: [String: Task<Void, Never>] = [:]
  }

  private let state = Mutex(State())

  /// A store; by default finished streams stay 5 minutes (Genkit's default), at most 1 000 of
  /// them, each stream keeps up to 32 MiB of frames, and all of them up to 256 MiB.
  public init(
    timeToLive: Duration = .seconds(300), maximumFinishedStreams: Int = 1_000,
    maximumBytesPerStream: Int = 32 * 1024 * 1024, maximumTotalBytes: Int = 256 * 1024 * 1024
  ) {
    self.timeToLive = timeToLive
    self.maximumFinishedStreams = maximumFinishedStreams
    self.maximumBytesPerStream = maximumBytesPerStream
    self.maximumTotalBytes = maximumTotalBytes
  }

  /// Bytes of frames kept, over every stream (not yet expired).
  public var keptBytes: Int {
    removeExpired()
    let streams = state.withLock { Array($0.streams.values) }
    return streams.reduce(0) { $0 + $1.keptBytes }
  }

  /// The number of streams kept (running or finished, not yet expired).
  public var count: Int {
    removeExpired()
    return state.withLock { $0.streams.count }
  }

  /// The number of flows still feeding a stream.
  public var runningCount: Int { state.withLock { $0.running.count } }

  /// Cancels every flow still feeding a stream and waits until they ended (their spans end
  /// `CANCELLED` and their streams end with the error). The flow server calls this when it stops.
  public func cancelRunning() async {
    let running = state.withLock { Array($0.running.values) }
    for task in running { task.cancel() }
    for task in running { await task.value }
  }

  /// Opens a new stream with a fresh id.
  func open() -> DurableStream {
    removeExpired()
    let stream = DurableStream(id: UUID().uuidString.lowercased(), byteLimit: maximumBytesPerStream)
    state.withLock { $0.streams[stream.id] = stream }
    return stream
  }

  /// The stream with `id`, unless unknown or expired.
  func stream(id: String) -> DurableStream? {
    removeExpired()
    return state.withLock { $0.streams[id] }
  }

  /// Feeds `stream` from `run` in a task of its own (so the flow goes on whoever listens), then
  /// ends the stream.
  func feed(_ stream: DurableStream, from run: FlowStreamRun) {
    let id = stream.id
    let task = Task {
      await withTaskCancellationHandler {
        var batch: [FlowStreamEvent] = []
        while await run.queue.next(into: &batch) { stream.append(batch) }
      } onCancel: {
        run.cancel()
      }
      stream.finish()
      self.state.withLock { _ = $0.running.removeValue(forKey: id) }
      self.removeExpired()
    }
    state.withLock { state in
      // The task may have ended already (a flow that failed at once).
      if stream.finishedAt == nil { state.running[id] = task }
    }
  }

  /// Drops finished streams older than the time to live, then the oldest finished ones while
  /// there are more than the maximum count or more bytes than the maximum in all.
  func removeExpired(now: ContinuousClock.Instant = .now) {
    let deadline = now - timeToLive
    state.withLock { state in
      var finished: [(id: String, at: ContinuousClock.Instant, bytes: Int)] = []
      var totalBytes = 0
      for (id, stream) in state.streams {
        let (finishedAt, bytes) = stream.retention
        if let finishedAt, finishedAt < deadline {
          state.streams[id] = nil
          continue
        }
        totalBytes += bytes
        if let finishedAt { finished.append((id, finishedAt, bytes)) }
      }
      guard finished.count > maximumFinishedStreams || totalBytes > maximumTotalBytes else { return }
      finished.sort { $0.at < $1.at }
      var count = finished.count
      for entry in finished {
        guard count > maximumFinishedStreams || totalBytes > maximumTotalBytes else { break }
        state.streams[entry.id] = nil
        count -= 1
        totalBytes -= entry.bytes
      }
    }
  }
}
