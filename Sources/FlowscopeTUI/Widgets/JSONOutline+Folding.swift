extension JSONOutline {
  /// Which containers are collapsed: a default rule plus per-path choices.
  public struct FoldState: Sendable, Hashable {
    /// The rule for containers without a choice of their own.
    public enum Default: Sendable, Hashable {
      /// Collapsed when they have more children than the outline's threshold.
      case automatic
      /// Everything expanded (after `expandAll`).
      case expanded
      /// Everything but the root collapsed (after `collapseAll`).
      case collapsed
    }

    /// The rule for containers not in `overrides`.
    public var base: Default
    /// jq path of a container → whether it is collapsed.
    public var overrides: [String: Bool]

    /// A fold state; the default is the automatic rule with no choices.
    public init(base: Default = .automatic, overrides: [String: Bool] = [:]) {
      self.base = base
      self.overrides = overrides
    }

    func isCollapsed(path: String, childCount: Int, isRoot: Bool, threshold: Int) -> Bool {
      if let choice = overrides[path] { return choice }
      switch base {
      case .automatic: return !isRoot && childCount > threshold
      case .expanded: return false
      case .collapsed: return !isRoot
      }
    }
  }

  /// Collapses an expanded container or expands a collapsed one; nothing for scalars.
  public mutating func toggle(_ row: Int) {
    setCollapsed(row, !isCollapsed(row))
  }

  /// Expands a container.
  public mutating func expand(_ row: Int) { setCollapsed(row, false) }

  /// Collapses a container.
  public mutating func collapse(_ row: Int) { setCollapsed(row, true) }

  /// Expands every container.
  public mutating func expandAll() {
    foldState = FoldState(base: .expanded)
    collapsed = Array(repeating: false, count: rows.count)
    updateVisibleRows()
  }

  /// Collapses every container except the root, so the top level stays in view.
  public mutating func collapseAll() {
    foldState = FoldState(base: .collapsed)
    collapsed = rows.indices.map { $0 > 0 && rows[$0].isContainer }
    updateVisibleRows()
  }

  /// Expands the ancestors of `row` so that it is visible (after a search or a jump).
  public mutating func reveal(_ row: Int) {
    guard rows.indices.contains(row) else { return }
    var ancestor = rows[row].parent
    var changed = false
    while let index = ancestor {
      if collapsed[index] {
        collapsed[index] = false
        foldState.overrides[rows[index].containerPath] = false
        changed = true
      }
      ancestor = rows[index].parent
    }
    if changed { updateVisibleRows() }
  }

  private mutating func setCollapsed(_ row: Int, _ value: Bool) {
    guard rows.indices.contains(row), rows[row].isContainer, collapsed[row] != value else { return }
    collapsed[row] = value
    foldState.overrides[rows[row].containerPath] = value
    updateVisibleRows()
  }

  /// Recomputes `visibleRows`, skipping each collapsed subtree in one step.
  mutating func updateVisibleRows() {
    var visible: [Int] = []
    visible.reserveCapacity(rows.count)
    var index = 0
    while index < rows.count {
      visible.append(index)
      index = collapsed[index] ? rows[index].subtreeEnd : index + 1
    }
    visibleRows = visible
  }
}
