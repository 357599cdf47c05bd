/// Colours one line of JSON text for the editor: a simple per-line tokenizer (JSON strings cannot span
/// lines) that tells object keys from string values, numbers and literals from punctuation. Anything
/// it does not recognise (including half-typed input) is plain text.
enum JSONLineHighlighter {
  static let punctuation: Set<Character> = ["{", "}", "[", "]", ",", ":"]
  static let literals: Set<String> = ["true", "false", "null"]

  /// One colour role per grapheme cluster of `line`.
  static func roles(for line: String) -> [ColorRole] {
    let characters = Array(line)
    var roles = [ColorRole](repeating: .text, count: characters.count)
    var i = 0
    while i < characters.count {
      let start = i
      let character = characters[i]
      if character == "\"" {
        i = endOfString(characters, from: i)
        var next = i
        while next < characters.count, characters[next] == " " { next += 1 }
        let isKey = next < characters.count && characters[next] == ":"
        roles.replaceSubrange(start..<i, with: repeatElement(isKey ? .jsonKey : .jsonString, count: i - start))
      } else if punctuation.contains(character) {
        roles[i] = .jsonPunctuation
        i += 1
      } else if character == "-" || character.isASCII && character.isNumber {
        i += 1
        while i < characters.count, isNumberPart(characters[i]) { i += 1 }
        roles.replaceSubrange(start..<i, with: repeatElement(.jsonNumber, count: i - start))
      } else if character.isLetter {
        while i < characters.count, characters[i].isLetter { i += 1 }
        if literals.contains(String(characters[start..<i])) {
          roles.replaceSubrange(start..<i, with: repeatElement(.jsonLiteral, count: i - start))
        }
      } else {
        i += 1
      }
    }
    return roles
  }

  /// The index after the string starting at `start` (its closing quote, or the line's end).
  static func endOfString(_ characters: [Character], from start: Int) -> Int {
    var i = start + 1
    while i < characters.count {
      if characters[i] == "\\" {
        i += 2
        continue
      }
      if characters[i] == "\"" { return i + 1 }
      i += 1
    }
    return characters.count
  }

  static func isNumberPart(_ character: Character) -> Bool {
    character.isASCII && (character.isNumber || "+-.eE".contains(character))
  }
}
