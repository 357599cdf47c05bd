import Flows

extension JSONOutline {
  /// Shown before a value that was a string holding JSON.
  public static let embeddedMarker = "(json string)"

  /// The row's jq path: `.`, `.messages[0].content`, `.["genkit:input"] | fromjson | .messages`.
  public func path(of row: Int) -> String {
    guard rows.indices.contains(row) else { return "." }
    let entry = rows[row]
    var path = entry.containerPath
    if !entry.isContainer, let parent = entry.parent {
      path = JSONOutline.path(appending: entry.key, to: rows[parent].containerPath)
    }
    return path.isEmpty ? "." : path
  }

  /// The row's whole value as text for a full-screen view: a string's raw contents (newlines
  /// kept), a container (or embedded JSON) pretty-printed, a scalar as JSON. Not sanitized.
  public func fullText(of row: Int) -> String {
    guard rows.indices.contains(row) else { return "" }
    switch rows[row].value {
    case .string(let text): return text
    case let value: return value.serialized(.prettyPrinted)
    }
  }

  /// The row's key as shown: an object key bare when it is simple (`role`, `genkit:input`), else
  /// quoted JSON; an array index as `[3]`; nothing for the root. Sanitized.
  public func keyText(of row: Int) -> String {
    guard rows.indices.contains(row) else { return "" }
    switch rows[row].key {
    case .root: return ""
    case .index(let index): return "[\(index)]"
    case .name(let name):
      let simple = !name.isEmpty && name.unicodeScalars.allSatisfy(JSONOutline.isBareKeyScalar)
      return TextSanitizer.sanitize(simple ? name : JSONValue.string(name).serialized(), keepNewlines: false)
    }
  }

  /// `{3 keys}`, `[12 items]`, `{}`, `[]`; empty for scalars.
  public func summary(of row: Int) -> String {
    guard rows.indices.contains(row) else { return "" }
    return JSONOutline.summary(rows[row].value)
  }

  /// A one-line preview of a container in at most `maxWidth` columns: its members inline
  /// (`{role: "user", content: […]}`) when they fit, else the summary (`{2 keys}`). Sanitized.
  public func preview(of row: Int, maxWidth: Int) -> String {
    guard rows.indices.contains(row) else { return "" }
    return JSONOutline.preview(rows[row].value, maxWidth: maxWidth)
  }

  static func summary(_ value: JSONValue) -> String {
    switch value {
    case .object(let object):
      return object.isEmpty ? "{}" : "{\(object.count) \(object.count == 1 ? "key" : "keys")}"
    case .array(let items):
      return items.isEmpty ? "[]" : "[\(items.count) \(items.count == 1 ? "item" : "items")]"
    default: return ""
    }
  }

  static func preview(_ value: JSONValue, maxWidth: Int) -> String {
    let fallback = summary(value)
    var parts: [String] = []
    var width = 2
    func add(_ part: String) -> Bool {
      width += DisplayWidth.of(part) + (parts.isEmpty ? 0 : 2)
      parts.append(part)
      return width <= maxWidth
    }
    switch value {
    case .object(let object):
      for (name, child) in object.entries {
        let key =
          name.unicodeScalars.allSatisfy(isBareKeyScalar) && !name.isEmpty ? name : JSONValue.string(name).serialized()
        guard add(key + ": " + inlineText(child)) else { return fallback }
      }
      return TextSanitizer.sanitize("{" + parts.joined(separator: ", ") + "}", keepNewlines: false)
    case .array(let items):
      for item in items { guard add(inlineText(item)) else { return fallback } }
      return TextSanitizer.sanitize("[" + parts.joined(separator: ", ") + "]", keepNewlines: false)
    default:
      return ""
    }
  }

  /// A member inside a preview: nested containers as `{…}`/`[…]`, long strings shortened.
  static func inlineText(_ value: JSONValue) -> String {
    switch value {
    case .object(let object): return object.isEmpty ? "{}" : "{…}"
    case .array(let items): return items.isEmpty ? "[]" : "[…]"
    case .string(let text):
      let limit = 24
      let head = text.prefix(limit)
      return head.endIndex < text.endIndex
        ? String(JSONValue.string(String(head)).serialized().dropLast()) + "…\"" : JSONValue.string(text).serialized()
    default: return value.serialized()
    }
  }

  /// The scalar as shown in its row: JSON text, a long string cut after `characterLimit`
  /// characters (the row truncates it with `…`). Sanitized.
  static func scalarText(_ value: JSONValue, characterLimit: Int) -> String {
    switch value {
    case .string(let text):
      let head = text.prefix(characterLimit)
      let serialized = JSONValue.string(String(head)).serialized()
      return TextSanitizer.sanitize(
        head.endIndex < text.endIndex ? String(serialized.dropLast()) + "…" : serialized, keepNewlines: false)
    default:
      return TextSanitizer.sanitize(value.serialized(), keepNewlines: false)
    }
  }

  /// Letters, digits and `_ $ - : . / @` (what jq users expect to see unquoted).
  static func isBareKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
    if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { return DisplayWidth.of(scalar) > 0 }
    return "_$-:./@".unicodeScalars.contains(scalar)
  }

  /// `parent` followed by `key` in jq syntax; after `| fromjson` a new path starts.
  static func path(appending key: RowKey, to parent: String) -> String {
    var prefix = ""
    var base = parent
    if parent.hasSuffix(" | fromjson") {
      prefix = parent + " | "
      base = ""
    }
    switch key {
    case .root: return parent
    case .index(let index): return prefix + (base.isEmpty ? "." : base) + "[\(index)]"
    case .name(let name):
      let identifier =
        !name.isEmpty
        && name.unicodeScalars.allSatisfy {
          $0.isASCII && ($0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0))
        }
        && !("0"..."9").contains(name.unicodeScalars.first ?? "0")
      if identifier { return prefix + base + "." + name }
      return prefix + (base.isEmpty ? "." : base) + "[" + JSONValue.string(name).serialized() + "]"
    }
  }
}
