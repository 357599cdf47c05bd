import Foundation

/// Reads the `timestamp` of runtime files in every spelling Genkit runtimes write:
///
/// - JS and Swift: `2026-08-21T15:13:32.123Z` (UTC, milliseconds);
/// - Go: the same with `_` for `:` (`2026-08-21T15_13_32.123456789Z`), as the Genkit CLI undoes;
/// - Python: `2026-11-25T08:48:44.918535` (`datetime.now().isoformat()`: local time, no zone).
///
/// Any number of fraction digits, a `Z`, a `±HH:MM` / `±HHMM` offset, or no zone (local time) is
/// accepted, as is a space instead of the `T`.
enum RuntimeTimestamp {
  /// The date, or nil when `text` is not such a timestamp.
  static func parse(_ text: String, localTimeZone: TimeZone = .current) -> Date? {
    var scanner = Scanner(Array(text.replacingOccurrences(of: "_", with: ":").utf8))
    guard let year = scanner.digits(4), scanner.skip("-"), let month = scanner.digits(2), scanner.skip("-"),
      let day = scanner.digits(2), scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
      let hour = scanner.digits(2), scanner.skip(":"), let minute = scanner.digits(2), scanner.skip(":"),
      let second = scanner.digits(2)
    else { return nil }
    var fraction = 0.0
    if scanner.skip(".") || scanner.skip(",") {
      var scale = 0.1
      var any = false
      while let digit = scanner.digit() {
        fraction += Double(digit) * scale
        scale /= 10
        any = true
      }
      guard any else { return nil }
    }
    let zone: TimeZone?
    if scanner.isAtEnd {
      zone = localTimeZone
    } else if scanner.skip("Z") || scanner.skip("z") {
      zone = TimeZone(secondsFromGMT: 0)
    } else if let sign = scanner.sign() {
      guard let hours = scanner.digits(2) else { return nil }
      _ = scanner.skip(":")
      let minutes = scanner.digits(2) ?? 0
      zone = TimeZone(secondsFromGMT: sign * (hours * 3600 + minutes * 60))
    } else {
      return nil
    }
    guard scanner.isAtEnd, let zone, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60,
      second < 61
    else { return nil }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    guard let whole = calendar.date(from: components) else { return nil }
    return whole.addingTimeInterval(fraction)
  }

  /// A cursor over ASCII bytes.
  private struct Scanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { index == bytes.count }

    mutating func skip(_ character: Character) -> Bool {
      guard let ascii = character.asciiValue, index < bytes.count, bytes[index] == ascii else { return false }
      index += 1
      return true
    }

    mutating func digit() -> Int? {
      guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else { return nil }
      defer { index += 1 }
      return Int(bytes[index] - 0x30)
    }

    mutating func digits(_ count: Int) -> Int? {
      let start = index
      var value = 0
      for _ in 0..<count {
        guard let digit = digit() else {
          index = start
          return nil
        }
        value = value * 10 + digit
      }
      return value
    }

    mutating func sign() -> Int? {
      if skip("+") { return 1 }
      if skip("-") { return -1 }
      return nil
    }
  }
}
