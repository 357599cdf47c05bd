import Flows
import Foundation
import GRDB
import Testing

@testable import TraceStore

@Suite struct ChunkBlockTests {
  @Test func splitsAnArrayIntoItsElementsExactlyAsWritten() {
    let text = #"[1,"a,b",{"k":[1,2],"s":"}]"},[3,[4]],"esc\"aped,\\",null, 2.50 ,true]"#
    #expect(
      ChunkBlock.elements(ofArray: Array(text.utf8)) == [
        "1", #""a,b""#, #"{"k":[1,2],"s":"}]"}"#, "[3,[4]]", #""esc\"aped,\\""#, "null", " 2.50 ", "true",
      ])
    #expect(ChunkBlock.elements(ofArray: Array("[]".utf8)).isEmpty)
    #expect(ChunkBlock.elements(ofArray: Array(#"["only"]"#.utf8)) == [#""only""#])
    #expect(ChunkBlock.elements(ofArray: Array("not an array".utf8)).isEmpty)
  }

  @Test func aBlockKeepsIndexesTimesAndValues() {
    var block = ChunkBlock(traceId: "t", spanId: "s", firstIndex: 7)
    block.append(index: 7, time: 1_700_000_000_123.25) { $0.append(contentsOf: Array(#"{"a":1}"#.utf8)) }
    block.append(index: 8, time: -1) { $0.append(contentsOf: Array(#""x""#.utf8)) }
    #expect(block.count == 2)
    #expect(block.meta.count == 32)
    let chunks = ChunkBlock.chunks(
      traceId: "t", spanId: "s", meta: block.meta, json: String(decoding: block.json + [93], as: UTF8.self))
    #expect(chunks.map(\.index) == [7, 8])
    #expect(chunks.map(\.time) == [1_700_000_000_123.25, -1])
    #expect(chunks.map(\.json) == [#"{"a":1}"#, #""x""#])
  }

  @Test func theBuilderGroupsInterleavedStreamsAndStartsANewBlockWhenOneIsFull() {
    var builder = ChunkBlockBuilder<String>()
    for index in 0..<(ChunkBlock.capacity + 10) {
      builder.add("a", ids: { ("ta", "sa") }, index: index, time: 0) { $0.append(UInt8(ascii: "1")) }
      if index < 3 { builder.add("b", ids: { ("tb", "sb") }, index: index, time: 0) { $0.append(UInt8(ascii: "2")) } }
    }
    #expect(builder.blocks.map(\.count) == [ChunkBlock.capacity, 3, 10])
    #expect(builder.blocks.map(\.spanId) == ["sa", "sb", "sa"])
    #expect(builder.blocks.map(\.firstIndex) == [0, 0, ChunkBlock.capacity])
  }

  @Test func aLongStreamComesBackWholeAndInOrderAfterTheWriterStoredIt() async throws {
    let t = try TestStore()
    let runtime = FlowRuntime()
    let writer = TraceStoreWriter(store: t.store, bus: runtime.bus)
    let count = 3 * ChunkBlock.capacity + 5
    let firehose = runtime.defineStreamingFlow("firehose") { (n: Int, ctx: FlowContext<JSONValue>) in
      for index in 0..<n { ctx.sendChunk(Self.chunk(index)) }
      return n
    }
    let result = try await firehose.run(count)
    await writer.stop()

    let chunks = try t.store.chunks(traceId: result.traceId)
    #expect(chunks.count == count)
    #expect(chunks.map(\.index) == Array(0..<count))
    #expect(chunks.allSatisfy { $0.spanId == result.spanId && $0.traceId == result.traceId })
    #expect(chunks[0].value == Self.chunk(0))
    #expect(chunks[1].value == Self.chunk(1))
    #expect(chunks[count - 1].value == Self.chunk(count - 1))
    let times = chunks.map(\.time)
    #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
    #expect(writer.writtenChunkCount == count)
  }

  /// Every other chunk an object whose text holds commas, quotes and brackets.
  static func chunk(_ index: Int) -> JSONValue {
    if index % 2 == 0 { return .integer(Int64(index)) }
    var object = JSONObject()
    object["text"] = .string("a,\"b\"]")
    object["n"] = .integer(Int64(index))
    return .object(object)
  }

  @Test func textThatIsNotJSONIsKeptAsAStringAndTheRestOfItsBlockSurvives() throws {
    let t = try TestStore()
    try t.store.appendChunks([
      StoredChunk(traceId: "t1", spanId: "s", index: 0, time: 1, json: #"{"ok":true}"#),
      StoredChunk(traceId: "t1", spanId: "s", index: 1, time: 2, json: "not json, ]"),
      StoredChunk(traceId: "t1", spanId: "s", index: 2, time: 3, json: "42"),
    ])
    let chunks = try t.store.chunks(traceId: "t1")
    #expect(chunks.map(\.json) == [#"{"ok":true}"#, #""not json, ]""#, "42"])
    #expect(chunks[1].value == "not json, ]")
  }

  @Test func theLastCopyOfAChunkWins() throws {
    let t = try TestStore()
    try t.store.appendChunks([StoredChunk(traceId: "t1", spanId: "s", index: 0, time: 1, json: "\"old\"")])
    try t.store.appendChunks([StoredChunk(traceId: "t1", spanId: "s", index: 0, time: 1, json: "\"new\"")])
    #expect(try t.store.chunks(traceId: "t1").map(\.json) == ["\"new\""])
  }

  @Test func aVersion1DatabaseHasItsChunkRowsMovedIntoBlocks() throws {
    let directory = try TemporaryDirectory()
    let path = directory.file("old.sqlite")
    do {
      let queue = try DatabaseQueue(path: path)
      try TraceStoreSchema.migrator.migrate(queue, upTo: "v1")
      try queue.write { db in
        for (trace, span, seq, json) in [("t1", "s1", 1, "\"b\""), ("t1", "s1", 0, "[1,2]"), ("t2", "s9", 0, "{}")] {
          try db.execute(
            sql: "INSERT INTO chunks (trace_id, span_id, seq, time, json) VALUES (?, ?, ?, ?, ?)",
            arguments: [trace, span, seq, 100.5 + Double(seq), json])
        }
      }
    }
    let store = try TraceStore(path: path)
    let t1 = try store.chunks(traceId: "t1")
    #expect(t1.map(\.index) == [0, 1])
    #expect(t1.map(\.json) == ["[1,2]", "\"b\""])
    #expect(t1.map(\.time) == [100.5, 101.5])
    #expect(try store.chunks(traceId: "t2").map(\.json) == ["{}"])
    let tables = try DatabaseQueue(path: path).read { db in
      try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    }
    #expect(!tables.contains("chunks"))
    #expect(tables.contains("chunk_blocks"))
    // …and gains the logs table of version 3.
    #expect(tables.contains("logs"))
    try store.saveLogs([["timestamp": 1, "body": "after the upgrade"]])
    #expect(try store.logs().logs.first?["body"] == "after the upgrade")
  }
}
