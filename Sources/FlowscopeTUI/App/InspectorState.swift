import Flows

/// The span inspector: a summary, the error and its stack, Genkit messages as chat, and input,
/// output and attributes as foldable JSON — as one list of rows the user moves through.
public struct InspectorState: Sendable, Equatable {
  /// One block of the inspector.
  public struct Section: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
      case lines([StyledLine])
      case json(JSONOutline)
    }

    public var title: String
    public var content: Content
    public var isCollapsed: Bool
    /// The text a full-screen view or a copy of the section gives.
    public var fullText: String
  }

  /// A row of the flattened inspector.
  public enum Row: Sendable, Equatable {
    case heading(section: Int)
    case line(section: Int, index: Int)
    case json(section: Int, row: Int)
  }

  public private(set) var span: SpanData
  /// The span's log records.
  public private(set) var logs: [JSONObject]
  public private(set) var sections: [Section] = []
  public private(set) var rows: [Row] = []
  public private(set) var selected = 0
  public var scroll = 0

  /// The inspector of `span`; `logs` may hold the whole trace's log records (the span's are shown).
  public init(span: SpanData, logs: [JSONObject] = []) {
    self.span = span
    self.logs = logs.filter { $0["spanId"]?.stringValue == span.spanId }
    sections = InspectorContent.sections(for: span, logs: self.logs)
    rebuildRows()
  }

  /// Shows a newer version of the same span (it ended while inspected), keeping folds where possible.
  public mutating func update(span: SpanData) {
    self.span = span
    rebuildSections()
  }

  /// Shows the span's records among `logs` (the trace's, which grew), keeping folds.
  public mutating func update(logs: [JSONObject]) {
    let own = logs.filter { $0["spanId"]?.stringValue == span.spanId }
    guard own != self.logs else { return }
    self.logs = own
    rebuildSections()
  }

  private mutating func rebuildSections() {
    let previous = sections
    sections = InspectorContent.sections(for: span, logs: logs)
    for index in sections.indices {
      if let old = previous.first(where: { $0.title == sections[index].title }) {
        sections[index].isCollapsed = old.isCollapsed
      }
    }
    rebuildRows()
  }

  mutating func rebuildRows() {
    var rows: [Row] = []
    for (index, section) in sections.enumerated() {
      rows.append(.heading(section: index))
      guard !section.isCollapsed else { continue }
      switch section.content {
      case .lines(let lines): rows.append(contentsOf: lines.indices.map { .line(section: index, index: $0) })
      case .json(let outline): rows.append(contentsOf: outline.visibleRows.map { .json(section: index, row: $0) })
      }
    }
    let current = self.rows.indices.contains(selected) ? self.rows[selected] : nil
    self.rows = rows
    if let current, let index = rows.firstIndex(of: current) {
      selected = index
    } else {
      selected = min(selected, max(rows.count - 1, 0))
    }
  }

  public mutating func move(by delta: Int, height: Int) {
    guard !rows.isEmpty else { return }
    let target = Int64(selected) + Int64(delta)
    selected = Int(min(max(target, 0), Int64(rows.count - 1)))
    scroll = ListSelection.scroll(scroll, selected: selected, height: height, count: rows.count)
  }

  public mutating func select(row: Int) {
    guard rows.indices.contains(row) else { return }
    selected = row
  }

  /// Space, h/l, H/L on the selected row.
  public mutating func fold(_ command: Command) {
    guard rows.indices.contains(selected) else { return }
    switch (rows[selected], command) {
    case (.heading(let section), .toggleFold):
      sections[section].isCollapsed.toggle()
    case (.heading(let section), .expand):
      sections[section].isCollapsed = false
    case (.heading(let section), .collapse):
      sections[section].isCollapsed = true
    case (.line(let section, _), .collapse):
      selectHeading(section)
    case (.json(let section, let row), _):
      guard case .json(var outline) = sections[section].content else { return }
      switch command {
      case .toggleFold: outline.toggle(row)
      case .expand: outline.expand(row)
      case .collapse:
        if outline.rows[row].isContainer && !outline.isCollapsed(row) {
          outline.collapse(row)
        } else if let parent = outline.parent(of: row) {
          selected = rows.firstIndex(of: .json(section: section, row: parent)) ?? selected
        } else {
          selectHeading(section)
        }
      case .expandAll: outline.expandAll()
      case .collapseAll: outline.collapseAll()
      default: return
      }
      sections[section].content = .json(outline)
    case (_, .expandAll):
      for index in sections.indices { sections[index].isCollapsed = false }
    case (_, .collapseAll):
      for index in sections.indices { sections[index].isCollapsed = true }
    default:
      return
    }
    rebuildRows()
  }

  private mutating func selectHeading(_ section: Int) {
    selected = rows.firstIndex(of: .heading(section: section)) ?? selected
  }

  /// The selected value's title and full text (for the full-screen view and copying).
  public func selectedValueText() -> (title: String, text: String)? {
    guard rows.indices.contains(selected) else { return nil }
    switch rows[selected] {
    case .heading(let section), .line(let section, _):
      return ("\(span.displayName) · \(sections[section].title)", sections[section].fullText)
    case .json(let section, let row):
      guard case .json(let outline) = sections[section].content else { return nil }
      let path = outline.path(of: row)
      return ("\(span.displayName) · \(sections[section].title) \(path)", outline.fullText(of: row))
    }
  }
}
