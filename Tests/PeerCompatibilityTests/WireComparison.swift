import Flows

/// Parses and normalizes bodies, and compares them with patterns or with each other.
enum WireNormalizer {
  /// Drops what legitimately differs between runs and runtimes: `details.stack` (Python blanks it,
  /// we omit it) and `details.traceId`; a `details` left empty is dropped too.
  static func normalize(_ value: JSONValue) -> JSONValue {
    switch value {
    case .array(let items):
      return .array(items.map(normalize))
    case .object(let object):
      var result = JSONObject()
      for (key, item) in object.entries {
        if key == "details", case .object(var details) = item {
          details["stack"] = nil
          details["traceId"] = nil
          if details.isEmpty { continue }
          result[key] = normalize(.object(details))
        } else {
          result[key] = normalize(item)
        }
      }
      return .object(result)
    default:
      return value
    }
  }

  /// The body as normalized JSON, or nil when it is not JSON.
  static func json(_ body: String) -> JSONValue? {
    (try? JSONValue(parsing: body)).map(normalize)
  }

  /// SSE frames (`<field>: <json>` blocks separated by a blank line), normalized; nil when a frame is
  /// not `field: JSON` or the stream does not end with a blank line.
  static func frames(_ body: String) -> [(field: String, payload: JSONValue)]? {
    guard body.isEmpty || body.hasSuffix("\n\n") else { return nil }
    var frames: [(String, JSONValue)] = []
    for block in body.components(separatedBy: "\n\n") where !block.isEmpty {
      guard let colon = block.firstIndex(of: ":"), let payload = json(String(block[block.index(after: colon)...]))
      else { return nil }
      frames.append((String(block[..<colon]), payload))
    }
    return frames
  }

  /// Nil when `value` matches `pattern` (`"<any>"` matches anything; objects need the same keys),
  /// else where it differs.
  static func mismatch(_ value: JSONValue, _ pattern: JSONValue, at path: String = "$") -> String? {
    if pattern == "<any>" { return nil }
    switch (value, pattern) {
    case (.object(let object), .object(let expected)):
      let missing = expected.keys.filter { object[$0] == nil }
      let extra = object.keys.filter { expected[$0] == nil }
      if !missing.isEmpty || !extra.isEmpty {
        return "\(path): keys differ (missing \(missing), unexpected \(extra))"
      }
      for key in expected.keys {
        if let problem = mismatch(object[key] ?? .null, expected[key] ?? .null, at: "\(path).\(key)") {
          return problem
        }
      }
      return nil
    case (.array(let items), .array(let expected)):
      guard items.count == expected.count else { return "\(path): \(items.count) items, expected \(expected.count)" }
      for (index, pair) in zip(items, expected).enumerated() {
        if let problem = mismatch(pair.0, pair.1, at: "\(path)[\(index)]") { return problem }
      }
      return nil
    default:
      return value == pattern ? nil : "\(path): \(value.serialized()) ≠ \(pattern.serialized())"
    }
  }

  /// Nil when `response` meets `expectation`, else every problem found.
  static func problems(_ response: WireResponse, _ expectation: WireExpectation) -> [String] {
    var problems: [String] = []
    if response.status != expectation.status { problems.append("status \(response.status) ≠ \(expectation.status)") }
    let contentClass = ContentClass(response.contentType)
    if contentClass != expectation.contentClass {
      problems.append("content type \(response.contentType ?? "(none)") is not \(expectation.contentClass)")
    }
    if let header = expectation.header, response.header(header.name) != header.value {
      problems.append("header \(header.name): \(response.header(header.name) ?? "(absent)") ≠ \(header.value)")
    }
    switch expectation.body {
    case .json(let pattern):
      if let value = json(response.body) {
        if let problem = mismatch(value, pattern) { problems.append("body " + problem) }
      } else {
        problems.append("body is not JSON: \(response.body.prefix(200))")
      }
    case .frames(let patterns):
      if let frames = frames(response.body) {
        if frames.count != patterns.count {
          problems.append("\(frames.count) frames, expected \(patterns.count): \(response.body.prefix(300))")
        }
        for (index, (frame, pattern)) in zip(frames, patterns).enumerated() {
          if frame.field != pattern.field { problems.append("frame \(index): field \(frame.field) ≠ \(pattern.field)") }
          if let problem = mismatch(frame.payload, pattern.payload, at: "frame[\(index)]") { problems.append(problem) }
        }
      } else {
        problems.append("body is not SSE frames: \(response.body.prefix(200))")
      }
    case .text(let text):
      if response.body != text { problems.append("body \(response.body.prefix(200)) ≠ \(text)") }
    }
    return problems
  }

  /// Differences between two responses, field for field (status, content type class, normalized
  /// JSON body or frames; plain bodies byte for byte).
  static func differences(ours: WireResponse, peer: WireResponse) -> [String] {
    var problems: [String] = []
    if ours.status != peer.status { problems.append("status \(ours.status) vs peer \(peer.status)") }
    let oursClass = ContentClass(ours.contentType)
    let peerClass = ContentClass(peer.contentType)
    if oursClass != peerClass { problems.append("content type \(oursClass) vs peer \(peerClass)") }
    switch peerClass {
    case .json:
      guard let peerValue = json(peer.body), let oursValue = json(ours.body) else {
        problems.append("body not JSON: ours \(ours.body.prefix(200)) / peer \(peer.body.prefix(200))")
        break
      }
      if let problem = mismatch(oursValue, peerValue) { problems.append("body " + problem) }
    case .eventStream:
      guard let peerFrames = frames(peer.body), let oursFrames = frames(ours.body) else {
        problems.append("not SSE frames: ours \(ours.body.prefix(200)) / peer \(peer.body.prefix(200))")
        break
      }
      if oursFrames.count != peerFrames.count {
        problems.append("\(oursFrames.count) frames vs peer \(peerFrames.count)")
      }
      for (index, (mine, theirs)) in zip(oursFrames, peerFrames).enumerated() {
        if mine.field != theirs.field { problems.append("frame \(index): field \(mine.field) vs \(theirs.field)") }
        if let problem = mismatch(mine.payload, theirs.payload, at: "frame[\(index)]") { problems.append(problem) }
      }
    default:
      if ours.body != peer.body { problems.append("body \(ours.body.prefix(200)) vs peer \(peer.body.prefix(200))") }
    }
    return problems
  }

  /// A one-line summary of a response for the report table.
  static func summary(_ response: WireResponse) -> String {
    let contentClass = ContentClass(response.contentType)
    var body = response.body.replacingOccurrences(of: "\n\n", with: " ⏎ ").replacingOccurrences(of: "\n", with: "\\n")
    if body.count > 110 { body = String(body.prefix(107)) + "…" }
    return "\(response.status) \(contentClass) \(body)"
  }
}
