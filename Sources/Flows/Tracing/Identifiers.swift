import Synchronization

/// A 128-bit trace id, written as 32 lowercase hex characters.
public struct TraceID: Hashable, Sendable, CustomStringConvertible {
  public let high: UInt64
  public let low: UInt64

  public init(high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
  }

  /// A new random-looking, process-unique id.
  public static func random() -> TraceID { TraceID(high: IDSource.next(), low: IDSource.next()) }

  /// A new id for a trace that starts now: the first 12 hex digits are the wall-clock time in
  /// milliseconds, the next 4 a process-wide sequence, the last 16 unpredictable (as
  /// `random()`'s), like a UUIDv7. Ids made later sort later (within a millisecond, by the
  /// sequence), so the trace store appends new traces at the end of its indexes instead of
  /// inserting them at random places: that is what keeps persisting every run cheap. The
  /// right-most 64 bits stay random, as W3C trace context asks of trace ids.
  public static func timeOrdered() -> TraceID {
    timeOrdered(milliseconds: UInt64(max(TraceClock.nowMilliseconds(), 0)))
  }

  /// A time-ordered id for the given wall-clock time (ms since the epoch; only the low 48 bits
  /// are used, which last until the year 10889).
  public static func timeOrdered(milliseconds: UInt64) -> TraceID {
    let sequence = IDSource.traceSequence.wrappingAdd(1, ordering: .relaxed).oldValue & 0xFFFF
    return TraceID(high: (milliseconds & 0xFFFF_FFFF_FFFF) << 16 | sequence, low: IDSource.next())
  }

  public var hex: String { HexID.format(high) + HexID.format(low) }
  public var description: String { hex }
}

/// A 64-bit span id, written as 16 lowercase hex characters.
public struct SpanID: Hashable, Sendable, CustomStringConvertible {
  public let value: UInt64

  public init(_ value: UInt64) { self.value = value }

  public static func random() -> SpanID { SpanID(IDSource.next()) }

  public var hex: String { HexID.format(value) }
  public var description: String { hex }
}

/// Id source: a SplitMix64 sequence over an atomic counter seeded from the system generator, so ids
/// are unique within the process, unpredictable across processes, and cost a few nanoseconds.
enum IDSource {
  static let counter = Atomic<UInt64>(UInt64.random(in: .min ... .max))
  /// The sequence part of time-ordered trace ids.
  static let traceSequence = Atomic<UInt64>(0)

  static func next() -> UInt64 {
    var z = counter.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    let result = z ^ (z >> 31)
    return result == 0 ? 1 : result
  }
}

enum HexID {
  static func format(_ value: UInt64) -> String {
    String(unsafeUninitializedCapacity: 16) { buffer in
      let digits: StaticString = "0123456789abcdef"
      digits.withUTF8Buffer { d in
        for i in 0..<16 {
          buffer[i] = d[Int((value >> UInt64((15 - i) * 4)) & 0xF)]
        }
      }
      return 16
    }
  }
}
