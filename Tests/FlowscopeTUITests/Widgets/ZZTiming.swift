import Flows
import Testing
@testable import FlowscopeTUI
@Test func zzTiming() {
  let items: [JSONValue] = (0..<2000).map { index in
    ["id": .integer(Int64(index)), "name": .string("item \(index)"), "tags": ["x", "y"]]
  }
  let value = JSONValue.object(JSONObject([("items", .array(items))]))
  let clock = ContinuousClock()
  for _ in 0..<3 {
    var o: JSONOutline?
    let e = clock.measure { o = JSONOutline(value) }
    let f = clock.measure { o?.collapseAll(); o?.expandAll(); o?.toggle(1) }
    var canvas = Canvas(rows: 50, columns: 120)
    let r = clock.measure { o?.render(selected: 3, scrollOffset: 100, into: &canvas, area: Rect(row: 0, column: 0, height: 50, width: 120)) }
    print("TIMING flatten \(e) fold \(f) render \(r)")
  }
  let text = (0..<20000).map { "line \($0) " + String(repeating: "lorem ipsum ", count: 10) }.joined(separator: "\n")
  let s = clock.measure { _ = TextSanitizer.sanitize(text) }
  var v = TextViewerState(text: text)
  let i = clock.measure { v = TextViewerState(text: text) }
  let l = clock.measure { v.setViewport(width: 80, height: 40) }
  let q = clock.measure { _ = v.search("line 19999") }
  let q2 = clock.measure { _ = v.search("Line 19999") }
  print("TIMING sanitize \(s) init \(i) layout \(l) search \(q) cs \(q2)")
}
