/// A rectangle of cells on a canvas: top-left corner plus size.
public struct Rect: Hashable, Sendable {
  public var row: Int
  public var column: Int
  public var height: Int
  public var width: Int

  public init(row: Int, column: Int, height: Int, width: Int) {
    self.row = row
    self.column = column
    self.height = max(height, 0)
    self.width = max(width, 0)
  }

  public static let zero = Rect(row: 0, column: 0, height: 0, width: 0)

  public var isEmpty: Bool { height <= 0 || width <= 0 }
  public var bottom: Int { row + height }
  public var right: Int { column + width }

  /// The area inside a one-cell border.
  public var inset: Rect { Rect(row: row + 1, column: column + 1, height: height - 2, width: width - 2) }

  public func contains(row r: Int, column c: Int) -> Bool {
    r >= row && r < bottom && c >= column && c < right
  }

  /// Splits off the top `count` rows: (top, rest).
  public func splitTop(_ count: Int) -> (top: Rect, rest: Rect) {
    let n = min(max(count, 0), height)
    return (
      Rect(row: row, column: column, height: n, width: width),
      Rect(row: row + n, column: column, height: height - n, width: width)
    )
  }

  /// Splits off the left `count` columns: (left, rest).
  public func splitLeft(_ count: Int) -> (left: Rect, rest: Rect) {
    let n = min(max(count, 0), width)
    return (
      Rect(row: row, column: column, height: height, width: n),
      Rect(row: row, column: column + n, height: height, width: width - n)
    )
  }
}
