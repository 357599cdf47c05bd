import Foundation

/// Wall-clock time as fractional milliseconds since the Unix epoch, the unit of Genkit trace times.
public enum TraceClock {
  @inline(__always)
  public static func nowMilliseconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
  }
}
