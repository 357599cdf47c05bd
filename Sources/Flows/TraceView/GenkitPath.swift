import Foundation

/// One segment of a Genkit span path: `{name,t:type,s:subtype}`.
public struct GenkitPathSegment: Sendable, Equatable {
  public var name: String
  public var type: String?
  public var subtype: String?

  public init(name: String, type: String? = nil, subtype: String? = nil) {
    self.name = name
    self.type = type
    self.subtype = subtype
  }
}

/// Parses `genkit:path` values in all three SDK dialects:
/// JS `/{menuFlow,t:flow}/{step,t:flowStep}`, Go `{step,t:flowStep,s:flowStep}` segments, and Python
/// `/{menu_flow,t:action,s:flow}/{fake%2Fmodel,t:action,s:model}` (percent-encoded names).
public enum GenkitPath {
  public static func parse(_ path: String) -> [GenkitPathSegment] {
    var segments: [GenkitPathSegment] = []
    var rest = Substring(path)
    while let open = rest.firstIndex(of: "{") {
      guard let close = rest[open...].firstIndex(of: "}") else { break }
      let body = rest[rest.index(after: open)..<close]
      segments.append(segment(from: body))
      rest = rest[rest.index(after: close)...]
    }
    return segments
  }

  static func segment(from body: Substring) -> GenkitPathSegment {
    var parts = body.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    var type: String?
    var subtype: String?
    while let last = parts.last, parts.count > 1, last.hasPrefix("t:") || last.hasPrefix("s:") {
      if last.hasPrefix("t:") { type = String(last.dropFirst(2)) } else { subtype = String(last.dropFirst(2)) }
      parts.removeLast()
    }
    let raw = parts.joined(separator: ",")
    let name = raw.contains("%") ? (raw.removingPercentEncoding ?? raw) : raw
    return GenkitPathSegment(name: name, type: type, subtype: subtype)
  }

  /// `a > b > c`, as Genkit's tools display a path.
  public static func displayPath(_ path: String) -> String {
    parse(path).map(\.name).joined(separator: " > ")
  }
}
