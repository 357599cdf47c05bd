/// Where each pane goes for a terminal size. Pure: `render` draws with it and `update` uses it to map
/// mouse clicks and page sizes, so both always agree.
public struct Layout: Sendable, Equatable {
  public enum Mode: Sendable, Equatable {
    /// All panes side by side (from about 80×20 up).
    case full
    /// One pane at a time under a tab strip (small terminals).
    case stacked
    /// Too small for anything but a note.
    case tiny
  }

  public var mode: Mode
  public var panes: [Pane: Rect]
  /// The tab strip in stacked mode.
  public var tabs: Rect?
  public var statusBar: Rect

  /// The layout for `size`, given the focused pane and whether the inspector is open.
  public static func compute(
    size: TerminalSize, focus: Pane, inspectorOpen: Bool, inputLines: Int = 3, flowCount: Int = 8
  ) -> Layout {
    let rows = max(size.rows, 0)
    let columns = max(size.columns, 0)
    let status = Rect(row: rows - 1, column: 0, height: rows > 0 ? 1 : 0, width: columns)
    guard rows >= 6, columns >= 24 else {
      return Layout(mode: .tiny, panes: [:], tabs: nil, statusBar: status)
    }
    let body = Rect(row: 0, column: 0, height: rows - 1, width: columns)
    guard columns >= 80, rows >= 20 else {
      let (tabs, pane) = body.splitTop(1)
      var shown = focus
      if shown == .inspector && !inspectorOpen { shown = .trace }
      return Layout(mode: .stacked, panes: [shown: pane], tabs: tabs, statusBar: status)
    }
    var panes: [Pane: Rect] = [:]
    let leftWidth = min(max(columns / 4, 22), 34)
    let (left, right) = body.splitLeft(leftWidth)
    let flowsHeight = min(max(flowCount + 2, 5), left.height / 2)
    let (flows, runs) = left.splitTop(flowsHeight)
    panes[.flows] = flows
    panes[.runs] = runs
    // Border (2) + the text + the validation line.
    let inputHeight = min(max(inputLines + 3, 5), right.height / 3)
    let (input, rest) = right.splitTop(inputHeight)
    panes[.input] = input
    if inspectorOpen {
      if rest.width >= 100 {
        let (output, lower) = rest.splitTop(max(rest.height / 4, 4))
        panes[.output] = output
        let (tree, inspector) = lower.splitLeft(lower.width * 11 / 20)
        panes[.trace] = tree
        panes[.inspector] = inspector
      } else {
        let (tree, inspector) = rest.splitTop(rest.height * 2 / 5)
        panes[.trace] = tree
        panes[.inspector] = inspector
      }
    } else {
      let (output, trace) = rest.splitTop(rest.height * 2 / 5)
      panes[.output] = output
      panes[.trace] = trace
    }
    return Layout(mode: .full, panes: panes, tabs: nil, statusBar: status)
  }

  /// The panes Tab cycles through, in order.
  public static func cycle(inspectorOpen: Bool) -> [Pane] {
    inspectorOpen ? [.flows, .runs, .input, .output, .trace, .inspector] : [.flows, .runs, .input, .output, .trace]
  }

  /// The pane at a screen cell, if any.
  public func pane(atRow row: Int, column: Int) -> Pane? {
    panes.first { $0.value.contains(row: row, column: column) }?.key
  }

  /// The number of content rows inside a pane's border (for paging).
  public func contentHeight(of pane: Pane) -> Int {
    guard let rect = panes[pane] else { return 1 }
    return max(rect.height - 2, 1)
  }
}
