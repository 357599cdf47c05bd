import Flows
import Hummingbird
import Synchronization

/// One durable stream: the frames a streaming call has sent so far, kept so that a client can
/// come back (`x-genkit-stream-id`) and get them again, then the rest live.
///
/// The flow's events are written here once, as SSE frame bytes; every response of the stream (the
/// first one included) is a subscriber that gets a replay of the bytes so far, then each new write.
/// A stream that grows past its byte limit stops keeping frames: the subscribers it has go on, and
/// a later one gets an error frame instead of an incomplete replay.
final class DurableStream: Sendable {
  /// The stream id sent in `x-genkit-stream-id`.
  let id: String
  /// The run's trace, once known (sent with every response of the stream).
  let trace = Mutex<TraceIds?>(nil)
  private let byteLimit: Int
  private let state = Mutex(State())

  private struct State {
    var frames: [UInt8] = []
    var truncated = false
    /// When the stream finished, once it has (finished streams expire after the store's time to live).
    var finishedAt: ContinuousClock.Instant?
    var subscribers: [Int: StreamEventQueue<ByteBuffer>] = [:]
    var nextSubscriber = 0
  }

  /// What a new subscriber gets: the frames so far, and the queue of later writes (`nil` when the
  /// stream has finished, or when it kept too much to replay: then `replay` is an error frame).
  struct Subscription: Sendable {
    let replay: ByteBuffer
    let live: StreamEventQueue<ByteBuffer>?
    let token: Int
  }

  init(id: String, byteLimit: Int) {
    self.id = id
    self.byteLimit = byteLimit
  }

  /// Records `events` and passes their frames to every subscriber.
  func append(_ events: [FlowStreamEvent]) {
    guard !events.isEmpty else { return }
    var bytes: [UInt8] = []
    for event in events { SSEFrame.append(event, to: &bytes) }
    let buffer = ByteBuffer(bytes: bytes)
    let subscribers = state.withLock { state -> [StreamEventQueue<ByteBuffer>] in
      guard state.finishedAt == nil else { return [] }
      if !state.truncated {
        if state.frames.count + bytes.count > byteLimit {
          state.truncated = true
          state.frames = []
        } else {
          state.frames.append(contentsOf: bytes)
        }
      }
      return Array(state.subscribers.values)
    }
    for subscriber in subscribers { subscriber.push(buffer) }
  }

  /// Ends the stream (after its last frame): subscribers drain and end.
  func finish() {
    let subscribers = state.withLock { state -> [StreamEventQueue<ByteBuffer>] in
      guard state.finishedAt == nil else { return [] }
      state.finishedAt = .now
      defer { state.subscribers = [:] }
      return Array(state.subscribers.values)
    }
    for subscriber in subscribers { subscriber.finish() }
  }

  /// A new subscriber: the replay, and the live queue while the stream runs.
  func subscribe() -> Subscription {
    state.withLock { state in
      if state.truncated {
        var bytes: [UInt8] = []
        SSEFrame.append(.failure(Self.tooLargeError(id: id, limit: byteLimit)), to: &bytes)
        return Subscription(replay: ByteBuffer(bytes: bytes), live: nil, token: -1)
      }
      let replay = ByteBuffer(bytes: state.frames)
      guard state.finishedAt == nil else { return Subscription(replay: replay, live: nil, token: -1) }
      let queue = StreamEventQueue<ByteBuffer>()
      let token = state.nextSubscriber
      state.nextSubscriber += 1
      state.subscribers[token] = queue
      return Subscription(replay: replay, live: queue, token: token)
    }
  }

  /// Stops passing writes to a subscriber (its client went away).
  func unsubscribe(_ subscription: Subscription) {
    let queue = state.withLock { $0.subscribers.removeValue(forKey: subscription.token) }
    queue?.finish()
  }

  /// When the stream finished (if it has) and the bytes it keeps, read together.
  var retention: (finishedAt: ContinuousClock.Instant?, bytes: Int) {
    state.withLock { ($0.finishedAt, $0.frames.count) }
  }

  /// Bytes of frames kept for replay.
  var keptBytes: Int { retention.bytes }

  /// When the stream finished, if it has.
  var finishedAt: ContinuousClock.Instant? { retention.finishedAt }

  static func tooLargeError(id: String, limit: Int) -> FlowError {
    FlowError(
      .resourceExhausted,
      "Stream \(id) sent more than the \(limit) bytes kept for resuming; it cannot be replayed.")
  }
}
