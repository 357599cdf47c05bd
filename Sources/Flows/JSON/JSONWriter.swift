/// How `JSONValue` is written out.
public struct JSONWriteOptions: Sendable, Equatable {
  /// Indent nested values by two spaces per level and put each member on its own line.
  public var pretty: Bool
  /// Write object keys in sorted order instead of insertion order.
  public var sortedKeys: Bool

  public init(pretty: Bool = false, sortedKeys: Bool = false) {
    self.pretty = pretty
    self.sortedKeys = sortedKeys
  }

  public static let compact = JSONWriteOptions()
  public static let prettyPrinted = JSONWriteOptions(pretty: true)
}

extension JSONValue {
  /// The value as JSON text (compact by default).
  public func serialized(_ options: JSONWriteOptions = .compact) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(64)
    JSONWriter.write(self, into: &out, options: options, indent: 0)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends the value's compact UTF-8 JSON to `out` (no intermediate array: for writers that
  /// build a larger buffer, such as stream frames).
  public func serialize(appendingTo out: inout [UInt8]) {
    JSONWriter.write(self, into: &out, options: .compact, indent: 0)
  }

  /// The value as UTF-8 JSON bytes.
  public func serializedBytes(_ options: JSONWriteOptions = .compact) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(64)
    JSONWriter.write(self, into: &out, options: options, indent: 0)
    return out
  }
}

package enum JSONWriter {
  static func write(_ value: JSONValue, into out: inout [UInt8], options: JSONWriteOptions, indent: Int) {
    switch value {
    case .null: out.append(contentsOf: "null".utf8)
    case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
    case .integer(let i): writeInteger(i, into: &out)
    case .number(let d): writeDouble(d, into: &out)
    case .string(let s): writeString(s, into: &out)
    case .array(let items):
      if items.isEmpty {
        out.append(contentsOf: "[]".utf8)
        return
      }
      out.append(UInt8(ascii: "["))
      for (n, item) in items.enumerated() {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        newline(&out, options, indent + 1)
        write(item, into: &out, options: options, indent: indent + 1)
      }
      newline(&out, options, indent)
      out.append(UInt8(ascii: "]"))
    case .object(let object):
      if object.isEmpty {
        out.append(contentsOf: "{}".utf8)
        return
      }
      out.append(UInt8(ascii: "{"))
      let entries = options.sortedKeys ? object.entries.sorted { $0.key < $1.key } : object.entries
      for (n, entry) in entries.enumerated() {
        if n > 0 { out.append(UInt8(ascii: ",")) }
        newline(&out, options, indent + 1)
        writeString(entry.key, into: &out)
        out.append(UInt8(ascii: ":"))
        if options.pretty { out.append(UInt8(ascii: " ")) }
        write(entry.value, into: &out, options: options, indent: indent + 1)
      }
      newline(&out, options, indent)
      out.append(UInt8(ascii: "}"))
    }
  }

  @inline(__always)
  static func newline(_ out: inout [UInt8], _ options: JSONWriteOptions, _ indent: Int) {
    guard options.pretty else { return }
    out.append(UInt8(ascii: "\n"))
    for _ in 0..<(indent * 2) { out.append(UInt8(ascii: " ")) }
  }

  /// Writes a double the way JavaScript's `JSON.stringify` would for common values: integral
  /// values without a fraction, non-finite values as `null`.
  package static func writeDouble(_ d: Double, into out: inout [UInt8]) {
    guard d.isFinite else {
      out.append(contentsOf: "null".utf8)
      return
    }
    if d.rounded() == d && abs(d) < 1e15 {
      writeInteger(Int64(d), into: &out)
    } else {
      out.append(contentsOf: d.description.utf8)
    }
  }

  /// Decimal digits of `value`, without going through `String` (no allocation: streams of
  /// numbers are a hot path).
  package static func writeInteger(_ value: Int64, into out: inout [UInt8]) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes, enough for 20 digits
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      repeat {
        buffer[23 - count] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
        magnitude /= 10
        count += 1
      } while magnitude > 0
      out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(24 - count)...]))
    }
  }

  static let hex: [UInt8] = Array("0123456789abcdef".utf8)

  static func writeString(_ s: String, into out: inout [UInt8]) {
    out.append(UInt8(ascii: "\""))
    for b in s.utf8 {
      switch b {
      case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
      case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
      case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
      case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
      case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
      case 0x08: out.append(contentsOf: [0x5C, UInt8(ascii: "b")])
      case 0x0C: out.append(contentsOf: [0x5C, UInt8(ascii: "f")])
      case 0..<0x20, 0x7F:
        out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
      default: out.append(b)
      }
    }
    out.append(UInt8(ascii: "\""))
  }
}

extension JSONValue: CustomStringConvertible {
  public var description: String { serialized() }
}
