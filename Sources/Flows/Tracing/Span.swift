import Runtime
import Synchronization

/// One span of a run as it starts: identity, position in the tree, kind, name and input.
///
/// Immutable once made (the mutable failure note is synchronized); shared by reference between the
/// running flow and every event-bus subscriber.
public final class SpanInfo: Sendable {
  public let traceId: TraceID
  public let spanId: SpanID
  /// The in-process parent span, if any.
  public let parent: SpanInfo?
  /// Parent span id from another process (a remote caller), used when `parent` is nil.
  public let remoteParentSpanId: SpanID?
  public let name: String
  public let kind: SpanKind
  /// Start time, ms since the epoch.
  public let startTime: Double
  public let input: RecordedValue?
  /// Extra attributes, written as `genkit:metadata:<key>`.
  public let metadata: [String: String]
  /// Runtime, context and stream shared with the rest of the invocation.
  @usableFromInline let scope: RunScope
  /// Action key such as `/flow/menuFlow`, written as `genkit:key`.
  public let actionKey: String?
  /// Free-form labels written as-is (e.g. `genkitx:*` telemetry labels), on root spans.
  public let labels: [String: String]

  /// What failed children reported, so only the innermost span claims an error it propagates.
  let failureNotes = Mutex<[FailureNote]>([])

  init(
    traceId: TraceID, spanId: SpanID, parent: SpanInfo?, remoteParentSpanId: SpanID? = nil, name: String,
    kind: SpanKind, startTime: Double, input: RecordedValue?, metadata: [String: String] = [:],
    scope: RunScope, actionKey: String? = nil, labels: [String: String] = [:]
  ) {
    self.traceId = traceId
    self.spanId = spanId
    self.parent = parent
    self.remoteParentSpanId = remoteParentSpanId
    self.name = name
    self.kind = kind
    self.startTime = startTime
    self.input = input
    self.metadata = metadata
    self.scope = scope
    self.actionKey = actionKey
    self.labels = labels
  }

  /// True for the first Genkit span of a trace.
  public var isRoot: Bool { parent == nil }

  /// The action context, on root spans (where it is recorded, redacted).
  public var context: ActionContext? { isRoot ? scope.context : nil }

  public var parentSpanId: SpanID? { parent?.spanId ?? remoteParentSpanId }

  /// Genkit's annotated path, e.g. `/{menuFlow,t:flow}/{generate,t:util}/{gpt,t:action,s:model}`.
  public var path: String {
    var segments: [SpanInfo] = []
    var node: SpanInfo? = self
    while let current = node {
      segments.append(current)
      node = current.parent
    }
    var path = ""
    for (i, span) in segments.reversed().enumerated() {
      path += "/{" + span.name + ",t:" + span.kind.pathType
      if i == segments.count - 1, segments.count > 1, let subtype = span.kind.subtype {
        path += ",s:" + subtype
      }
      path += "}"
    }
    return path
  }

  /// The names from the root to this span, for display: `menuFlow > generate > gpt`.
  public var displayPath: String {
    var names: [String] = []
    var node: SpanInfo? = self
    while let current = node {
      names.append(current.name)
      node = current.parent
    }
    return names.reversed().joined(separator: " > ")
  }

  /// The name of the flow this span belongs to (the nearest flow span, itself included).
  public var flowName: String? {
    var node: SpanInfo? = self
    while let current = node {
      if current.kind.subtype == "flow" { return current.name }
      node = current.parent
    }
    return nil
  }
}

/// What a failed child told its parent, so only the innermost span claims the failure.
struct FailureNote: Sendable, Equatable {
  var errorType: String
  var message: String
}

/// How a span ended.
public struct SpanOutcome: Sendable {
  /// End time, ms since the epoch.
  public var endTime: Double
  public var output: RecordedValue?
  /// Set when the span failed.
  public var error: SpanError?

  public var succeeded: Bool { error == nil }

  public init(endTime: Double, output: RecordedValue? = nil, error: SpanError? = nil) {
    self.endTime = endTime
    self.output = output
    self.error = error
  }
}

/// A span's failure: status, message, the thrown type, whether this span is where it started, and a
/// stack (the logical span path plus the native backtrace, symbolicated when first asked for).
public final class SpanError: Sendable {
  public let status: StatusCode
  public let message: String
  public let errorType: String
  public let isFailureSource: Bool
  let logicalPath: String
  let backtrace: Backtrace?
  private let renderedStack = Mutex<String?>(nil)

  public init(
    status: StatusCode, message: String, errorType: String, isFailureSource: Bool, logicalPath: String,
    backtrace: Backtrace?
  ) {
    self.status = status
    self.message = message
    self.errorType = errorType
    self.isFailureSource = isFailureSource
    self.logicalPath = logicalPath
    self.backtrace = backtrace
  }

  /// The loaded images, captured once: symbolication then only looks up function names (source
  /// locations would need the DWARF line tables, which costs up to seconds in large debug binaries).
  static let images = ImageMap.capture()

  /// `Type: message`, the span path, then native frames as `at function + offset`.
  public var stack: String {
    if let cached = renderedStack.withLock({ $0 }) { return cached }
    var lines = ["\(errorType): \(message)", "    at \(logicalPath)"]
    if let symbolicated = backtrace?.symbolicated(with: Self.images, options: [.useSymbolCache]) {
      for frame in symbolicated.frames.prefix(40) {
        var text = "\(frame)"
        if let range = text.range(of: "] ") { text = String(text[range.upperBound...]) }
        if text.contains("swift_task_") || text.hasPrefix("???") || text == "..." { continue }
        lines.append("    at " + text)
      }
    }
    let rendered = lines.joined(separator: "\n")
    renderedStack.withLock { $0 = rendered }
    return rendered
  }
}
