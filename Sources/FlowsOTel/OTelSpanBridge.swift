import Flows
import Synchronization
import Tracing

/// Counters of a bridge, readable without waiting for it.
final class OTelBridgeStats: Sendable {
  struct Counts {
    var endedSpans = 0
    var recoveredStarts = 0
    var unfinishedSpans = 0
  }

  let counts = Mutex(Counts())
}

/// Turns a runtime's trace events into OpenTelemetry spans, one OTel span per Flowscope span.
///
/// An OTel span starts when its Flowscope span starts (as a child of its parent's OTel span, so the
/// OTel tree is the Flowscope tree) and ends at the Flowscope end time, with every Genkit attribute,
/// the GenAI attributes, the Flowscope ids, the status and the `exception` event. swift-otel picks
/// its own ids; the Flowscope ones are kept as `genkit:traceId`, `genkit:spanId` and
/// `genkit:parentSpanId`.
///
/// Missed starts (the bridge subscribed while a run was under way) are recovered from the span's
/// `SpanInfo`, parents first, with their original start times. Spans received from elsewhere
/// (`.spanReceived`) are not exported.
///
/// State is kept per trace while the trace has open spans, plus the contexts of a bounded number of
/// recently finished traces (for children that outlive their parent, e.g. in unstructured tasks).
actor OTelSpanBridge {
  let tracer: TracerHandle
  let subscription: EventSubscription
  let options: OTelSpanOptions
  let stats: OTelBridgeStats
  private var traces: [TraceID: TraceState] = [:]
  private var finished = FinishedTraces(capacity: 256)

  struct OpenSpan {
    var span: any Tracing.Span
    var info: SpanInfo
  }

  struct TraceState {
    var open: [SpanID: OpenSpan] = [:]
    /// Contexts of ended spans, for children that start later.
    var ended: [SpanID: InstrumentationContext] = [:]
    /// Tool calls asked for by model spans, by the model span's parent (where the tool spans start).
    var toolCalls: [SpanID: [GenAIAttributes.ToolCall]] = [:]
  }

  init(tracer: TracerHandle, subscription: EventSubscription, options: OTelSpanOptions, stats: OTelBridgeStats) {
    self.tracer = tracer
    self.subscription = subscription
    self.options = options
    self.stats = stats
  }

  /// Takes everything buffered on the subscription and turns it into OTel span starts and ends.
  /// Taking and processing happen in one actor turn, so events are processed in publication order.
  func pump() {
    for event in subscription.drain() {
      switch event {
      case .spanStarted(let info): started(info)
      case .spanEnded(let info, let outcome): ended(info, outcome)
      case .chunk, .runFinished, .spanReceived, .logRecorded, .logReceived: continue
      }
    }
  }

  /// Ends every span still open at `time` (ms since the epoch), with its start attributes and
  /// `flowscope:unfinished` = true, so nothing is left unreported at shutdown.
  func endUnfinished(at time: Double = TraceClock.nowMilliseconds()) {
    var count = 0
    for state in traces.values {
      for open in state.open.values {
        var attributes = spanAttributes(SpanData(open.info, outcome: nil), info: open.info)
        attributes.set("flowscope:unfinished", value: .bool(true))
        open.span.attributes = attributes
        open.span.end(at: Self.instant(max(time, open.info.startTime)))
        count += 1
      }
    }
    traces.removeAll()
    stats.counts.withLock { $0.unfinishedSpans += count }
  }

  private func started(_ info: SpanInfo) {
    var state = traces[info.traceId] ?? finished.revive(info.traceId)
    _ = open(info, in: &state)
    traces[info.traceId] = state
  }

  private func ended(_ info: SpanInfo, _ outcome: SpanOutcome) {
    var state = traces[info.traceId] ?? finished.revive(info.traceId)
    let span: any Tracing.Span
    if let open = state.open.removeValue(forKey: info.spanId) {
      span = open.span
    } else {
      stats.counts.withLock { $0.recoveredStarts += 1 }
      span = open(info, in: &state)
      state.open[info.spanId] = nil
    }
    let data = SpanData(info, outcome: outcome)
    var toolCall: GenAIAttributes.ToolCall?
    if let parent = info.parent?.spanId {
      if data.subtype == "tool", var calls = state.toolCalls[parent] {
        toolCall = OTelToolCallMatcher.take(from: &calls, for: data)
        state.toolCalls[parent] = calls
      } else if data.subtype == "model" {
        let calls = GenAIAttributes.toolCalls(requestedBy: data)
        if !calls.isEmpty { state.toolCalls[parent, default: []] += calls }
      }
    }
    state.toolCalls[info.spanId] = nil

    var attributes = spanAttributes(data, info: info)
    attributes.merge(
      SpanAttributeConversion.attributes(
        GenAIAttributes.attributes(for: data, toolCall: toolCall), lengthLimit: options.attributeValueLengthLimit))
    span.attributes = attributes
    if let error = outcome.error {
      span.setStatus(SpanStatus(code: .error, message: error.message))
    } else {
      span.setStatus(SpanStatus(code: .ok))
    }
    for event in data.timeEvents ?? [] {
      span.addEvent(
        SpanEvent(
          name: event.description, at: Self.instant(event.time),
          attributes: SpanAttributeConversion.attributes(
            event.attributes, lengthLimit: options.attributeValueLengthLimit)
        ))
    }
    span.end(at: Self.instant(max(outcome.endTime, info.startTime)))
    stats.counts.withLock { $0.endedSpans += 1 }

    state.ended[info.spanId] = span.context
    if state.open.isEmpty {
      traces[info.traceId] = nil
      finished.remember(info.traceId, contexts: state.ended)
    } else {
      traces[info.traceId] = state
    }
  }

  /// The open OTel span of `info`, started now if needed (its missed ancestors first).
  private func open(_ info: SpanInfo, in state: inout TraceState) -> any Tracing.Span {
    if let existing = state.open[info.spanId] { return existing.span }
    var context = InstrumentationContext.topLevel
    if let parent = info.parent {
      if let open = state.open[parent.spanId] {
        context = open.span.context
      } else if let ended = state.ended[parent.spanId] {
        context = ended
      } else {
        stats.counts.withLock { $0.recoveredStarts += 1 }
        context = open(parent, in: &state).context
      }
    }
    let kind: Tracing.SpanKind = info.kind.subtype == "model" && info.kind.type == "action" ? .client : .internal
    let span = tracer.startSpan(info.name, context, kind, Self.instant(info.startTime))
    state.open[info.spanId] = OpenSpan(span: span, info: info)
    return span
  }

  /// The Genkit attributes of a span (minus payloads when they are not recorded) and its Flowscope ids.
  private func spanAttributes(_ data: SpanData, info: SpanInfo) -> SpanAttributes {
    var object = data.attributes
    if !options.recordsPayloads {
      for key in OTelSpanOptions.payloadAttributes { object[key] = nil }
    }
    object["genkit:traceId"] = .string(info.traceId.hex)
    object["genkit:spanId"] = .string(info.spanId.hex)
    if let parent = info.parentSpanId { object["genkit:parentSpanId"] = .string(parent.hex) }
    return SpanAttributeConversion.attributes(object, lengthLimit: options.attributeValueLengthLimit)
  }

  /// A tracer instant from Genkit's fractional ms since the epoch.
  static func instant(_ milliseconds: Double) -> DefaultTracerClock.Timestamp {
    guard milliseconds.isFinite, milliseconds > 0 else { return DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 0) }
    // UInt64 nanoseconds end in the year 2554; clamp rather than overflow.
    let milliseconds = min(milliseconds, 18_000_000_000_000)
    let whole = milliseconds.rounded(.down)
    let nanoseconds = UInt64(whole) * 1_000_000 + UInt64(((milliseconds - whole) * 1_000_000).rounded())
    return DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: nanoseconds)
  }
}
