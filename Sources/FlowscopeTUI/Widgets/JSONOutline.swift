import Flows

/// A JSON value flattened into rows for a foldable, jless-style view.
///
/// Every node is one row, in document order, with its depth, its key, its parent's index and the
/// end of its subtree, so moving around is index arithmetic and folding never re-walks the value.
/// Strings that hold a JSON object or array (Genkit stores `genkit:input`/`genkit:output` that way)
/// become nested rows, marked `isEmbeddedJSON`. Containers with more than
/// `Options.autoCollapseThreshold` children start collapsed. Fold state is kept per jq path
/// (`foldState`), so it survives rebuilding the outline from an updated value.
///
/// Row indexes (into `rows`) are stable across folding; `visibleRows` lists those not hidden
/// inside a collapsed container, in order.
public struct JSONOutline: Sendable, Equatable {
  /// What a row is called in its parent.
  public enum RowKey: Sendable, Hashable {
    /// The top-level value.
    case root
    /// A member of an object.
    case name(String)
    /// An element of an array.
    case index(Int)
  }

  /// One node of the value.
  public struct Row: Sendable, Equatable {
    /// 0 for the root.
    public let depth: Int
    /// What the row is called in its parent.
    public let key: RowKey
    /// The node's value; for a string that held JSON, the parsed value.
    public let value: JSONValue
    /// The parent's row index (nil for the root).
    public let parent: Int?
    /// The previous sibling's row index.
    public let previousSibling: Int?
    /// One past the row's last descendant: the subtree is `index..<subtreeEnd`.
    public internal(set) var subtreeEnd: Int
    /// Whether the value was a string holding JSON, shown parsed.
    public let isEmbeddedJSON: Bool
    /// The jq path of a container (the fold-state key); empty for leaves.
    let containerPath: String

    /// Whether the row is an object or an array.
    public var isContainer: Bool {
      switch value {
      case .object, .array: return true
      default: return false
      }
    }

    /// The number of members or elements (0 for scalars).
    public var childCount: Int {
      switch value {
      case .object(let object): return object.count
      case .array(let items): return items.count
      default: return 0
      }
    }
  }

  /// How the outline is built.
  public struct Options: Sendable, Hashable {
    /// Containers with more children than this start collapsed (the root never does).
    public var autoCollapseThreshold: Int
    /// Whether strings holding a JSON object or array are shown parsed.
    public var parsesEmbeddedJSON: Bool

    /// Options; by default containers over 200 children start collapsed and embedded JSON is parsed.
    public init(autoCollapseThreshold: Int = 200, parsesEmbeddedJSON: Bool = true) {
      self.autoCollapseThreshold = autoCollapseThreshold
      self.parsesEmbeddedJSON = parsesEmbeddedJSON
    }
  }

  /// Every node, in document order (row 0 is the root).
  public internal(set) var rows: [Row]
  /// The indexes of the rows not hidden by a collapsed ancestor, in order.
  public internal(set) var visibleRows: [Int]
  /// Which containers are folded, by path; pass it to a new outline to keep the folds.
  public internal(set) var foldState: FoldState
  /// How the outline was built.
  public let options: Options
  /// Per row: whether it is a collapsed container.
  var collapsed: [Bool]

  /// Embedded JSON is not parsed below this depth (hostile input could nest strings forever).
  static let maxEmbeddedDepth = 64

  /// Flattens `value`. Linear in the number of nodes (plus parsing embedded JSON strings).
  public init(_ value: JSONValue, options: Options = Options(), foldState: FoldState = FoldState()) {
    self.options = options
    self.foldState = foldState
    rows = JSONOutline.flatten(value, options: options)
    collapsed = rows.enumerated().map { index, row in
      row.isContainer
        && foldState.isCollapsed(
          path: row.containerPath, childCount: row.childCount, isRoot: index == 0,
          threshold: options.autoCollapseThreshold)
    }
    visibleRows = []
    updateVisibleRows()
  }

  /// Whether `row` is a collapsed container.
  public func isCollapsed(_ row: Int) -> Bool { collapsed.indices.contains(row) && collapsed[row] }

  private enum Work {
    case node(JSONValue, key: RowKey, depth: Int, parent: Int?, parentPath: String)
    case close(Int)
  }

  /// Pre-order flattening with an explicit stack (no recursion, so deep values are safe).
  static func flatten(_ root: JSONValue, options: Options) -> [Row] {
    var rows: [Row] = []
    var lastChild: [Int?] = []
    var stack: [Work] = [.node(root, key: .root, depth: 0, parent: nil, parentPath: "")]
    while let work = stack.popLast() {
      switch work {
      case .close(let index):
        rows[index].subtreeEnd = rows.count
      case .node(var value, let key, let depth, let parent, let parentPath):
        var embedded = false
        if options.parsesEmbeddedJSON, depth < maxEmbeddedDepth, case .string(let text) = value,
          let parsed = embeddedJSON(in: text)
        {
          value = parsed
          embedded = true
        }
        let index = rows.count
        let previousSibling = parent.flatMap { lastChild[$0] }
        if let parent { lastChild[parent] = index }
        var path = ""
        switch value {
        case .object, .array:
          path = JSONOutline.path(appending: key, to: parentPath) + (embedded ? " | fromjson" : "")
        default: break
        }
        rows.append(
          Row(
            depth: depth, key: key, value: value, parent: parent, previousSibling: previousSibling,
            subtreeEnd: index + 1, isEmbeddedJSON: embedded, containerPath: path))
        lastChild.append(nil)
        switch value {
        case .object(let object):
          stack.append(.close(index))
          for (name, child) in object.entries.reversed() {
            stack.append(.node(child, key: .name(name), depth: depth + 1, parent: index, parentPath: path))
          }
        case .array(let items):
          stack.append(.close(index))
          for (position, item) in items.enumerated().reversed() {
            stack.append(.node(item, key: .index(position), depth: depth + 1, parent: index, parentPath: path))
          }
        default: break
        }
      }
    }
    return rows
  }

  /// The parsed value when `text` is a JSON object or array (surrounding whitespace allowed).
  static func embeddedJSON(in text: String) -> JSONValue? {
    let utf8 = text.utf8
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
    guard let first = utf8.first(where: { !isSpace($0) }), let last = utf8.last(where: { !isSpace($0) }),
      (first == UInt8(ascii: "{") && last == UInt8(ascii: "}"))
        || (first == UInt8(ascii: "[") && last == UInt8(ascii: "]")),
      let parsed = try? JSONValue(parsing: text)
    else { return nil }
    switch parsed {
    case .object, .array: return parsed
    default: return nil
    }
  }
}
