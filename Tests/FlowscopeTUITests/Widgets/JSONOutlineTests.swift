import Flows
import Testing

@testable import FlowscopeTUI

/// A span's attributes the way Genkit stores them: input as a JSON string.
let outlineSample: JSONValue = [
  "name": "menu",
  "count": 3,
  "ok": true,
  "none": .null,
  "tags": ["a", "b"],
  "attributes": [
    "genkit:input": #"{"messages":[{"role":"user","content":[{"text":"hi"}]}]}"#,
    "genkit:output": "plain text",
  ],
]

@Suite struct JSONOutlineTests {
  let outline = JSONOutline(outlineSample)

  @Test func flattensInDocumentOrderWithDepthsAndKeys() {
    #expect(outline.rows.count == 17)
    #expect(outline.rows.map(\.depth) == [0, 1, 1, 1, 1, 1, 2, 2, 1, 2, 3, 4, 5, 5, 6, 7, 2])
    #expect(outline.rows[0].key == .root)
    #expect(outline.rows[1].key == .name("name"))
    #expect(outline.rows[7].key == .index(1))
    #expect(outline.rows[16].key == .name("genkit:output"))
    #expect(outline.visibleRows == Array(0..<17))
  }

  @Test func parentsSiblingsAndSubtrees() {
    #expect(outline.parent(of: 0) == nil)
    #expect(outline.parent(of: 7) == 5)
    #expect(outline.parent(of: 16) == 8)
    #expect(outline.rows[8].subtreeEnd == 17)
    #expect(outline.rows[5].subtreeEnd == 8)
    #expect(outline.firstChild(of: 5) == 6)
    #expect(outline.firstChild(of: 6) == nil)
    #expect(outline.nextSibling(of: 5) == 8)
    #expect(outline.nextSibling(of: 8) == nil)
    #expect(outline.nextSibling(of: 9) == 16)
    #expect(outline.previousSibling(of: 16) == 9)
    #expect(outline.previousSibling(of: 1) == nil)
    #expect(outline.previousSibling(of: 8) == 5)
  }

  @Test func stringsHoldingJSONAreParsedAndMarked() {
    let input = outline.rows[9]
    #expect(input.isEmbeddedJSON)
    #expect(input.isContainer)
    #expect(outline.rows[15].value == "hi")
    #expect(!outline.rows[16].isEmbeddedJSON)
    #expect(outline.path(of: 15) == #".attributes["genkit:input"] | fromjson | .messages[0].content[0].text"#)
    #expect(outline.path(of: 9) == #".attributes["genkit:input"] | fromjson"#)
    #expect(outline.path(of: 6) == ".tags[0]")
    #expect(outline.path(of: 0) == ".")
    let plain = JSONOutline(outlineSample, options: JSONOutline.Options(parsesEmbeddedJSON: false))
    #expect(plain.rows.count == 11)
  }

  @Test func onlyObjectsAndArraysCountAsEmbeddedJSON() {
    let outline = JSONOutline(["a": "42", "b": "[1, 2", "c": " [1] ", "d": "\"s\"", "e": "{}"])
    #expect(outline.rows.map(\.isEmbeddedJSON) == [false, false, false, true, false, false, true])
    #expect(outline.summary(of: 3) == "[1 item]")
    #expect(outline.summary(of: 6) == "{}")
  }

  @Test func foldingHidesSubtrees() {
    var outline = outline
    outline.collapse(5)
    #expect(outline.isCollapsed(5))
    #expect(outline.visibleRows == [0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16])
    outline.toggle(5)
    #expect(outline.visibleRows.count == 17)
    outline.toggle(1)  // a scalar: nothing happens
    #expect(outline.visibleRows.count == 17)
    outline.collapseAll()
    #expect(outline.visibleRows == [0, 1, 2, 3, 4, 5, 8])
    outline.expand(8)
    #expect(outline.visibleRows == [0, 1, 2, 3, 4, 5, 8, 9, 16])
    outline.expandAll()
    #expect(outline.visibleRows.count == 17)
  }

  @Test func navigationAroundCollapsedRows() {
    var outline = outline
    outline.collapse(11)
    outline.collapse(8)
    #expect(outline.visibleAncestor(of: 15) == 8)
    #expect(outline.visibleAncestor(of: 3) == 3)
    #expect(outline.visiblePosition(of: 8) == 8)
    #expect(outline.visiblePosition(of: 9) == nil)
    #expect(outline.visibleRow(from: 8, movingBy: -1) == 7)
    #expect(outline.visibleRow(from: 15, movingBy: 0) == 8)
    #expect(outline.visibleRow(from: 0, movingBy: 100) == 8)
    outline.reveal(15)
    #expect(outline.visiblePosition(of: 15) != nil)
    #expect(outline.isCollapsed(11) == false)
  }

  @Test func foldStateSurvivesRebuilding() {
    var outline = outline
    outline.collapse(5)
    outline.collapse(9)
    var updated = outlineSample.objectValue ?? JSONObject()
    updated["extra"] = "new"
    let rebuilt = JSONOutline(.object(updated), foldState: outline.foldState)
    #expect(rebuilt.isCollapsed(5))
    #expect(rebuilt.isCollapsed(9))
    #expect(!rebuilt.isCollapsed(8))
  }

  @Test func bigContainersStartCollapsed() {
    let big = JSONValue.array((0..<250).map { .integer(Int64($0)) })
    let small = JSONValue.array((0..<200).map { .integer(Int64($0)) })
    let outline = JSONOutline(["big": big, "small": small])
    #expect(outline.isCollapsed(1))
    #expect(!outline.isCollapsed(252))
    #expect(outline.visibleRows.count == 1 + 1 + 1 + 200)
    // The root never collapses on its own.
    #expect(!JSONOutline(big).isCollapsed(0))
    var expanded = outline
    expanded.expand(1)
    #expect(JSONOutline(["big": big, "small": small], foldState: expanded.foldState).visibleRows.count == 453)
  }

  @Test func summariesAndPreviews() {
    #expect(outline.summary(of: 0) == "{6 keys}")
    #expect(outline.summary(of: 5) == "[2 items]")
    #expect(outline.summary(of: 9) == "{1 key}")
    #expect(outline.summary(of: 10) == "[1 item]")
    #expect(outline.summary(of: 1) == "")
    #expect(outline.preview(of: 5, maxWidth: 40) == #"["a", "b"]"#)
    #expect(outline.preview(of: 11, maxWidth: 40) == #"{role: "user", content: […]}"#)
    #expect(outline.preview(of: 11, maxWidth: 20) == "{2 keys}")
    let long = JSONOutline(["s": .string(String(repeating: "x", count: 40))])
    #expect(long.preview(of: 0, maxWidth: 80) == "{s: \"" + String(repeating: "x", count: 24) + "…\"}")
  }

  @Test func keysAreQuotedOnlyWhenNeeded() {
    let outline = JSONOutline(["plain": 1, "genkit:input": 2, "with space": 3, "名前": 4, "": 5, "a\u{1B}[2Jb": 6])
    #expect(
      (1...6).map(outline.keyText(of:)) == ["plain", "genkit:input", #""with space""#, "名前", #""""#, #""a\u001b[2Jb""#])
  }

  @Test func fullTextForTheFullScreenView() {
    #expect(outline.fullText(of: 16) == "plain text")
    #expect(outline.fullText(of: 2) == "3")
    #expect(outline.fullText(of: 5) == "[\n  \"a\",\n  \"b\"\n]")
    #expect(outline.fullText(of: 14) == "{\n  \"text\": \"hi\"\n}")
    let multiline = JSONOutline(["s": "line one\nline two"])
    #expect(multiline.fullText(of: 1) == "line one\nline two")
  }

  @Test func deepValuesDoNotRecurse() {
    var value: JSONValue = "leaf"
    for _ in 0..<3000 { value = .array([value]) }
    let outline = JSONOutline(value)
    #expect(outline.rows.count == 3001)
    #expect(outline.rows[3000].depth == 3000)
    #expect(outline.parent(of: 3000) == 2999)
  }

  @Test func flatteningTenThousandNodesIsFast() {
    let items: [JSONValue] = (0..<2000).map { index in
      ["id": .integer(Int64(index)), "name": .string("item \(index)"), "tags": ["x", "y"]]
    }
    let value = JSONValue.object(JSONObject([("items", .array(items))]))
    let clock = ContinuousClock()
    var outline: JSONOutline?
    let elapsed = clock.measure { outline = JSONOutline(value) }
    #expect(outline?.rows.count == 2 + 2000 * 6)
    // A few ms in release builds; debug builds are several times slower.
    #expect(elapsed < .milliseconds(500), "flattening took \(elapsed)")
    var folded = outline
    let foldTime = clock.measure {
      folded?.expandAll()
      folded?.collapseAll()
    }
    #expect(foldTime < .milliseconds(200), "folding took \(foldTime)")
  }
}
