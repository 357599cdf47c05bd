extension JSONOutline {
  /// The parent row (nil for the root).
  public func parent(of row: Int) -> Int? {
    rows.indices.contains(row) ? rows[row].parent : nil
  }

  /// The first child of a container (nil for scalars and empty containers).
  public func firstChild(of row: Int) -> Int? {
    guard rows.indices.contains(row), row + 1 < rows[row].subtreeEnd else { return nil }
    return row + 1
  }

  /// The next row with the same parent.
  public func nextSibling(of row: Int) -> Int? {
    guard rows.indices.contains(row), let parent = rows[row].parent else { return nil }
    let next = rows[row].subtreeEnd
    return next < rows[parent].subtreeEnd ? next : nil
  }

  /// The previous row with the same parent.
  public func previousSibling(of row: Int) -> Int? {
    rows.indices.contains(row) ? rows[row].previousSibling : nil
  }

  /// The row's position in `visibleRows` (nil when hidden inside a collapsed container). O(log n).
  public func visiblePosition(of row: Int) -> Int? {
    var low = 0
    var high = visibleRows.count
    while low < high {
      let middle = (low + high) / 2
      if visibleRows[middle] < row { low = middle + 1 } else { high = middle }
    }
    return low < visibleRows.count && visibleRows[low] == row ? low : nil
  }

  /// The row itself when visible, else the outermost collapsed ancestor that hides it (where a
  /// selection goes after its container collapses).
  public func visibleAncestor(of row: Int) -> Int {
    guard rows.indices.contains(row) else { return 0 }
    var result = row
    var ancestor = rows[row].parent
    while let index = ancestor {
      if collapsed[index] { result = index }
      ancestor = rows[index].parent
    }
    return result
  }

  /// The visible row `delta` positions after `row` (before, when negative), clamped to the ends.
  public func visibleRow(from row: Int, movingBy delta: Int) -> Int? {
    guard !visibleRows.isEmpty else { return nil }
    let start = visiblePosition(of: visibleAncestor(of: row)) ?? 0
    return visibleRows[min(max(start + delta, 0), visibleRows.count - 1)]
  }
}
