import Flows
import FlowsTestSupport
import Foundation
import Testing

private struct ParsedUnexpectedly: Error {}

/// Parses `text`, requiring a syntax error, and returns it.
private func syntaxError(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONSyntaxError {
  do {
    let value = try JSONValue(parsing: text)
    Issue.record("expected a syntax error, parsed \(value)", sourceLocation: sourceLocation)
    throw ParsedUnexpectedly()
  } catch let error as JSONSyntaxError {
    return error
  }
}

/// reason, offset, line and column, for one comparison.
private func position(_ error: JSONSyntaxError) -> [String] {
  [error.reason, String(error.offset), String(error.line), String(error.column)]
}

@Suite struct JSONParserTests {
  @Test func parsesEveryValueKind() throws {
    let value = try JSONValue(
      parsing: #" { "n": null, "t": true, "f": false, "i": -42, "d": 2.5, "s": "hi", "a": [1, [2]], "o": {"k": {}} } "#)
    guard case .object(let object) = value else {
      Issue.record("not an object: \(value)")
      return
    }
    #expect(object.keys == ["n", "t", "f", "i", "d", "s", "a", "o"])
    #expect(value["n"]?.isNull == true)
    #expect(value["t"]?.boolValue == true)
    #expect(value["f"]?.boolValue == false)
    guard case .integer(-42)? = value["i"] else {
      Issue.record("i should be .integer(-42): \(String(describing: value["i"]))")
      return
    }
    guard case .number(2.5)? = value["d"] else {
      Issue.record("d should be .number(2.5): \(String(describing: value["d"]))")
      return
    }
    #expect(value["s"]?.stringValue == "hi")
    #expect(value["a"] == [1, [2]])
    #expect(value["o"]?["k"]?.objectValue?.isEmpty == true)
  }

  @Test func keepsKeyOrderAndLastDuplicateWins() throws {
    let value = try JSONValue(parsing: #"{"z":1,"a":2,"m":3,"a":4}"#)
    #expect(value.objectValue?.keys == ["z", "a", "m"])
    #expect(value["a"] == 4)
    #expect(value.serialized() == #"{"z":1,"a":4,"m":3}"#)
  }

  @Test func decodesAllSimpleEscapes() throws {
    let value = try JSONValue(parsing: #""q\"b\\s\/b\bf\fn\nr\rt\t""#)
    #expect(value == .string("q\"b\\s/b\u{08}f\u{0C}n\nr\rt\t"))
  }

  @Test func decodesUnicodeEscapesAndSurrogatePairs() throws {
    #expect(try JSONValue(parsing: #""caf\u00e9 \u00E9""#) == "café é")
    #expect(try JSONValue(parsing: #""\ud83d\ude00!""#) == "😀!")
    #expect(try JSONValue(parsing: #""\uD834\uDD1E""#) == "𝄞")
    #expect(try JSONValue(parsing: #""\u0000""#) == .string("\u{0}"))
  }

  @Test func repairsLoneSurrogatesWithReplacementCharacter() throws {
    #expect(try JSONValue(parsing: #""a\ud800b""#) == "a\u{FFFD}b")
    #expect(try JSONValue(parsing: #""a\udc00b""#) == "a\u{FFFD}b")
    #expect(try JSONValue(parsing: #""\ud800""#) == "\u{FFFD}")
  }

  @Test func highSurrogateFollowedByAnotherEscapeKeepsThatEscape() throws {
    // A high surrogate not followed by a low one is replaced on its own; the next escape is still decoded.
    #expect(try JSONValue(parsing: #""\ud800\u0041""#) == "\u{FFFD}A")
    #expect(try JSONValue(parsing: #""\ud800\n""#) == "\u{FFFD}\n")
    #expect(try JSONValue(parsing: #""\ud83d\ud83d\ude00""#) == "\u{FFFD}😀")
  }

  @Test func repairsInvalidUTF8InStrings() throws {
    let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
    #expect(try JSONValue(parsing: bytes) == "a\u{FFFD}b")
    let escaped: [UInt8] = [0x22, 0x5C, 0x6E, 0xC3, 0x22]  // "\n" then a truncated 2-byte sequence
    #expect(try JSONValue(parsing: escaped) == "\n\u{FFFD}")
  }

  @Test func keepsRawNonASCII() throws {
    #expect(try JSONValue(parsing: #"["日本語", "é", "😀"]"#) == ["日本語", "é", "😀"])
  }

  @Test func integersStayExactAndBigOnesBecomeDoubles() throws {
    guard case .integer(let max) = try JSONValue(parsing: "9223372036854775807") else {
      Issue.record("Int64.max should stay an integer")
      return
    }
    #expect(max == Int64.max)
    guard case .integer(let min) = try JSONValue(parsing: "-9223372036854775808") else {
      Issue.record("Int64.min should stay an integer")
      return
    }
    #expect(min == Int64.min)
    guard case .number(let big) = try JSONValue(parsing: "9223372036854775808") else {
      Issue.record("Int64.max + 1 should become a double")
      return
    }
    #expect(big == 9_223_372_036_854_775_808.0)
    guard case .number(let huge) = try JSONValue(parsing: "123456789012345678901234567890") else {
      Issue.record("a 30-digit integer should become a double")
      return
    }
    #expect(huge == 1.2345678901234568e29)
    #expect(try JSONValue(parsing: "9007199254740993").int64Value == 9_007_199_254_740_993)
  }

  @Test func fractionsAndExponentsAreDoubles() throws {
    for (text, expected) in [
      ("1.0", 1.0), ("-0.5", -0.5), ("1e2", 100.0), ("1E+2", 100.0), ("25e-1", 2.5), ("-0", 0.0),
    ] {
      let value = try JSONValue(parsing: text)
      #expect(value.doubleValue == expected, "\(text)")
    }
    guard case .number = try JSONValue(parsing: "1e2") else {
      Issue.record("1e2 should be stored as a double")
      return
    }
    guard case .integer(0) = try JSONValue(parsing: "-0") else {
      Issue.record("-0 should be the integer 0")
      return
    }
  }

  @Test func nestingLimitIsEnforced() throws {
    let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
    var value = try JSONValue(parsing: ok)
    var depth = 0
    while case .array(let items) = value, let first = items.first {
      value = first
      depth += 1
    }
    #expect(depth == 511)

    let tooDeep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
    let error = try syntaxError(tooDeep)
    #expect(error.reason == "nesting deeper than 512 levels")
    #expect(error.offset == 512)
    #expect(error.line == 1)
    #expect(error.column == 513)

    let deepObjects = String(repeating: #"{"a":"#, count: 600) + "1" + String(repeating: "}", count: 600)
    #expect(try syntaxError(deepObjects).reason == "nesting deeper than 512 levels")
  }

  @Test func trailingGarbageIsAnError() throws {
    let error = try syntaxError(#"{"a":1} x"#)
    #expect(error.reason == "unexpected 'x' after the JSON value")
    #expect(error.offset == 8)
    #expect(error.column == 9)
    #expect(error.description == "invalid JSON at line 1, column 9: unexpected 'x' after the JSON value")
    #expect(try syntaxError("1 2").reason == "unexpected '2' after the JSON value")
    #expect(try syntaxError("[1]\u{1}").reason == "unexpected byte 0x1 after the JSON value")
  }

  @Test func emptyInputIsAnError() throws {
    let empty = try syntaxError("")
    #expect(position(empty) == ["empty input; expected a JSON value", "0", "1", "1"])
    let blank = try syntaxError(" \n\t ")
    #expect(position(blank) == ["empty input; expected a JSON value", "4", "2", "3"])
  }

  @Test func reportsLineAndColumnOnLaterLines() throws {
    let error = try syntaxError("{\n  \"a\": 1,\n  \"b\" 2\n}")
    #expect(error.reason == "unexpected '2'; expected ':' after key")
    #expect(error.line == 3)
    #expect(error.column == 7)
    #expect(error.offset == 18)
    #expect(error.description == "invalid JSON at line 3, column 7: unexpected '2'; expected ':' after key")
  }

  @Test func columnsCountCharactersNotBytes() throws {
    let error = try syntaxError(#"["日本", x]"#)
    #expect(error.offset == 11)
    #expect(error.column == 8)
    #expect(error.reason == "unexpected 'x'; expected a value")
  }

  @Test(arguments: [
    ("[1,]", "unexpected ']'; expected a value", 3),
    ("[1 2]", "unexpected '2'; expected ',' or ']'", 3),
    ("{\"a\":1,}", "unexpected '}'; expected a string key", 7),
    ("{\"a\":1 \"b\":2}", "unexpected '\"'; expected ',' or '}'", 7),
    ("{a:1}", "unexpected 'a'; expected a string key", 1),
    ("[1", "unexpected end of input; expected ',' or ']'", 2),
    ("{\"a\":", "unexpected end of input; expected a value", 5),
    ("\"abc", "unterminated string", 0),
    ("\"a\\", "unterminated string", 0),
    ("\"a\nb\"", "unescaped control character in string", 2),
    ("\"\\x\"", "invalid escape '\\x' in string", 1),
    ("\"\\u12zz\"", "invalid hex digit in \\u escape", 5),
    ("\"\\u12", "truncated \\u escape", 3),
    ("tru", "invalid literal; expected 'true'", 0),
    ("nul", "invalid literal; expected 'null'", 0),
    ("falsy", "invalid literal; expected 'false'", 0),
    ("01", "leading zeros are not allowed", 0),
    ("-", "invalid number", 0),
    ("-x", "invalid number", 0),
    ("1.", "expected a digit after '.'", 2),
    ("1.e3", "expected a digit after '.'", 2),
    ("1e", "expected a digit in the exponent", 2),
    ("1e+", "expected a digit in the exponent", 3),
    ("+1", "unexpected '+'; expected a value", 0),
    (".5", "unexpected '.'; expected a value", 0),
    ("'a'", "unexpected '''; expected a value", 0),
    ("NaN", "unexpected 'N'; expected a value", 0),
  ])
  func rejectsMalformedInput(text: String, reason: String, offset: Int) throws {
    let error = try syntaxError(text)
    #expect(error.reason == reason)
    #expect(error.offset == offset)
    #expect(error.line == 1)
    #expect(error.column == offset + 1)
  }

  @Test func parsesFromByteCollections() throws {
    let bytes = Array(#"{"a":[1,2]}"#.utf8)
    #expect(try JSONValue(parsing: bytes) == ["a": [1, 2]])
    // A collection without contiguous storage takes the copying path.
    let lazy = bytes.lazy.map { $0 }
    #expect(try JSONValue(parsing: lazy) == ["a": [1, 2]])
    #expect(try JSONValue(parsing: Data(bytes)) == ["a": [1, 2]])
    let error = try #require(throws: JSONSyntaxError.self) { try JSONValue(parsing: "[1,2".utf8.lazy.map { $0 }) }
    #expect(position(error) == ["unexpected end of input; expected ',' or ']'", "4", "1", "5"])
  }

  @Test func allowsAllFourWhitespaceCharacters() throws {
    #expect(try JSONValue(parsing: " \t\r\n[ 1 ,\t2 ]\r\n ") == [1, 2])
    #expect(try syntaxError("\u{A0}1").reason == "unexpected byte 0xc2; expected a value")
  }
}
