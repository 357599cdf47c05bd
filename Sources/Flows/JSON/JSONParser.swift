/// A JSON syntax error with its position in the input.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What is wrong, e.g. `expected ',' or '}'`.
  public var reason: String
  /// Byte offset in the input (0-based).
  public var offset: Int
  /// Line (1-based).
  public var line: Int
  /// Column in characters (1-based).
  public var column: Int

  public init(reason: String, offset: Int, line: Int, column: Int) {
    self.reason = reason
    self.offset = offset
    self.line = line
    self.column = column
  }

  public var description: String { "invalid JSON at line \(line), column \(column): \(reason)" }
}

extension JSONValue {
  /// Parses a JSON text. Throws `JSONSyntaxError` with the line and column of the first problem.
  public init(parsing text: String) throws {
    var text = text
    self = try text.withUTF8 { bytes in
      var parser = JSONParser(bytes: bytes)
      return try parser.parseDocument()
    }
  }

  /// Parses JSON from UTF-8 bytes.
  public init(parsing bytes: some Collection<UInt8>) throws {
    if let value = try bytes.withContiguousStorageIfAvailable({ buffer in
      var parser = JSONParser(bytes: buffer)
      return try parser.parseDocument()
    }) {
      self = value
    } else {
      let array = Array(bytes)
      self = try array.withUnsafeBufferPointer { buffer in
        var parser = JSONParser(bytes: buffer)
        return try parser.parseDocument()
      }
    }
  }
}

/// A strict RFC 8259 parser over a UTF-8 buffer. Nesting is limited to keep hostile input from
/// exhausting the stack; invalid UTF-8 inside strings is repaired with U+FFFD.
struct JSONParser {
  static let maxDepth = 512

  let bytes: UnsafeBufferPointer<UInt8>
  var index = 0
  var depth = 0

  init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

  mutating func parseDocument() throws -> JSONValue {
    skipWhitespace()
    if index >= bytes.count { throw error("empty input; expected a JSON value") }
    let value = try parseValue()
    skipWhitespace()
    if index < bytes.count { throw error("unexpected \(describeCurrent()) after the JSON value") }
    return value
  }

  func error(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
    let offset = min(offset ?? index, bytes.count)
    var line = 1
    var column = 1
    var i = 0
    while i < offset {
      let b = bytes[i]
      if b == UInt8(ascii: "\n") {
        line += 1
        column = 1
      } else if b & 0xC0 != 0x80 {
        column += 1
      }
      i += 1
    }
    return JSONSyntaxError(reason: reason, offset: offset, line: line, column: column)
  }

  func describeCurrent() -> String {
    guard index < bytes.count else { return "end of input" }
    let b = bytes[index]
    if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
    return "byte 0x\(String(b, radix: 16))"
  }

  mutating func skipWhitespace() {
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x0A, 0x0D, 0x09: index += 1
      default: return
      }
    }
  }

  mutating func parseValue() throws -> JSONValue {
    guard index < bytes.count else { throw error("unexpected end of input; expected a value") }
    switch bytes[index] {
    case UInt8(ascii: "{"): return try parseObject()
    case UInt8(ascii: "["): return try parseArray()
    case UInt8(ascii: "\""): return .string(try parseString())
    case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
    case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
    case UInt8(ascii: "n"): try expectLiteral("null"); return .null
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
    default: throw error("unexpected \(describeCurrent()); expected a value")
    }
  }

  mutating func expectLiteral(_ literal: StaticString) throws {
    let start = index
    let count = literal.utf8CodeUnitCount
    let matches = literal.withUTF8Buffer { lit in
      guard index + count <= bytes.count else { return false }
      for i in 0..<count where bytes[index + i] != lit[i] { return false }
      return true
    }
    guard matches else { throw error("invalid literal; expected '\(literal)'", at: start) }
    index += count
  }

  mutating func enter() throws {
    depth += 1
    if depth > Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth) levels") }
  }

  mutating func parseObject() throws -> JSONValue {
    try enter()
    defer { depth -= 1 }
    index += 1
    var object = JSONObject()
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
      index += 1
      return .object(object)
    }
    while true {
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
        throw error("unexpected \(describeCurrent()); expected a string key")
      }
      let key = try parseString()
      skipWhitespace()
      guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
        throw error("unexpected \(describeCurrent()); expected ':' after key")
      }
      index += 1
      skipWhitespace()
      object[key] = try parseValue()
      skipWhitespace()
      guard index < bytes.count else { throw error("unexpected end of input; expected ',' or '}'") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "}") {
        index += 1
        return .object(object)
      }
      throw error("unexpected \(describeCurrent()); expected ',' or '}'")
    }
  }

  mutating func parseArray() throws -> JSONValue {
    try enter()
    defer { depth -= 1 }
    index += 1
    var array: [JSONValue] = []
    skipWhitespace()
    if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
      index += 1
      return .array(array)
    }
    while true {
      skipWhitespace()
      array.append(try parseValue())
      skipWhitespace()
      guard index < bytes.count else { throw error("unexpected end of input; expected ',' or ']'") }
      if bytes[index] == UInt8(ascii: ",") {
        index += 1
        continue
      }
      if bytes[index] == UInt8(ascii: "]") {
        index += 1
        return .array(array)
      }
      throw error("unexpected \(describeCurrent()); expected ',' or ']'")
    }
  }

  mutating func parseString() throws -> String {
    let start = index
    index += 1
    // Fast path: no escapes.
    var scan = index
    while scan < bytes.count {
      let b = bytes[scan]
      if b == UInt8(ascii: "\"") {
        let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<scan]), as: UTF8.self)
        index = scan + 1
        return s
      }
      if b == UInt8(ascii: "\\") || b < 0x20 { break }
      scan += 1
    }
    var buffer: [UInt8] = Array(bytes[index..<scan])
    index = scan
    while index < bytes.count {
      let b = bytes[index]
      switch b {
      case UInt8(ascii: "\""):
        index += 1
        return String(decoding: buffer, as: UTF8.self)
      case UInt8(ascii: "\\"):
        index += 1
        guard index < bytes.count else { break }
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "\""): buffer.append(0x22)
        case UInt8(ascii: "\\"): buffer.append(0x5C)
        case UInt8(ascii: "/"): buffer.append(0x2F)
        case UInt8(ascii: "b"): buffer.append(0x08)
        case UInt8(ascii: "f"): buffer.append(0x0C)
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "u"):
          var scalar = try parseHex4()
          if (0xD800..<0xDC00).contains(scalar) {
            // Combine with a following low surrogate. Anything else after a high surrogate (including
            // another `\u` escape that is not a low surrogate) is left to be decoded on its own.
            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
              let resume = index
              index += 2
              let low = try parseHex4()
              if (0xDC00..<0xE000).contains(low) {
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
              } else {
                scalar = 0xFFFD
                index = resume
              }
            } else {
              scalar = 0xFFFD
            }
          } else if (0xDC00..<0xE000).contains(scalar) {
            scalar = 0xFFFD
          }
          let us = Unicode.Scalar(scalar) ?? "\u{FFFD}"
          buffer.append(contentsOf: String(us).utf8)
        default:
          throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string", at: index - 2)
        }
      default:
        if b < 0x20 { throw error("unescaped control character in string") }
        buffer.append(b)
        index += 1
      }
    }
    throw error("unterminated string", at: start)
  }

  mutating func parseHex4() throws -> UInt32 {
    guard index + 4 <= bytes.count else { throw error("truncated \\u escape") }
    var value: UInt32 = 0
    for _ in 0..<4 {
      let c = bytes[index]
      let digit: UInt32
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
      default: throw error("invalid hex digit in \\u escape")
      }
      value = value << 4 | digit
      index += 1
    }
    return value
  }

  mutating func parseNumber() throws -> JSONValue {
    let start = index
    var isInteger = true
    if bytes[index] == UInt8(ascii: "-") { index += 1 }
    guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number", at: start) }
    if bytes[index] == UInt8(ascii: "0") {
      index += 1
      if index < bytes.count, isDigit(bytes[index]) { throw error("leading zeros are not allowed", at: start) }
    } else {
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      isInteger = false
      index += 1
      guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit after '.'") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      isInteger = false
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
      guard index < bytes.count, isDigit(bytes[index]) else { throw error("expected a digit in the exponent") }
      while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    if isInteger, let i = Int64(text) { return .integer(i) }
    guard let d = Double(text) else { throw error("invalid number", at: start) }
    return .number(d)
  }

  @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
