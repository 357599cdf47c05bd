import Foundation

extension TextViewerState {
  /// Finds the next source line containing `query` (the previous one with `backward`), wrapping
  /// around the end, and scrolls it to the top. Smart case: a query with an uppercase letter
  /// matches case-sensitively, otherwise case is ignored. Repeating the same query moves on to the
  /// next line; a new query starts at the top line shown.
  /// - Returns: Whether a line matched (`match` is nil when none did).
  @discardableResult
  public mutating func search(_ query: String, backward: Bool = false) -> Bool {
    guard !query.isEmpty, !sourceLines.isEmpty else {
      match = nil
      return false
    }
    let count = sourceLines.count
    let start: Int
    if let match, match.query == query {
      start = match.sourceLine + (backward ? -1 : 1)
    } else {
      start = lines.indices.contains(scrollOffset) ? lines[scrollOffset].sourceLine : 0
    }
    for step in 0..<count {
      let index = ((start + (backward ? -step : step)) % count + count) % count
      guard let offset = TextViewerState.firstMatch(of: query, in: sourceLines[index]) else { continue }
      match = Match(query: query, sourceLine: index, offset: offset)
      scrollOffset = displayLine(sourceLine: index, offset: offset)
      clamp()
      if !isWrapping, width > 0 {
        let column = DisplayWidth.of(String(sourceLines[index].prefix(offset)))
        if column < horizontalOffset || column >= horizontalOffset + width {
          horizontalOffset = max(column - width / 4, 0)
        }
      }
      return true
    }
    match = nil
    return false
  }

  /// Whether the query matches case-sensitively (it has an uppercase letter).
  static func isCaseSensitive(_ query: String) -> Bool { query.contains { $0.isUppercase } }

  /// The character offset of the first match in `line`.
  static func firstMatch(of query: String, in line: String) -> Int? {
    matches(of: query, in: line).first.map { line.distance(from: line.startIndex, to: $0.lowerBound) }
  }

  /// Every non-overlapping match of `query` in `line`, smart case.
  static func matches(of query: String, in line: String) -> [Range<String.Index>] {
    guard !query.isEmpty else { return [] }
    let options: String.CompareOptions = isCaseSensitive(query) ? [] : [.caseInsensitive]
    var ranges: [Range<String.Index>] = []
    var searchStart = line.startIndex
    while searchStart < line.endIndex,
      let range = line.range(of: query, options: options, range: searchStart..<line.endIndex)
    {
      ranges.append(range)
      searchStart = range.isEmpty ? line.index(after: range.lowerBound) : range.upperBound
    }
    return ranges
  }
}
