import Flows

/// Stream chunks of one span stored together in one row of `chunk_blocks`.
///
/// A fast stream sends tens of thousands of chunks per second; one row per chunk cost the store
/// ~5 µs of CPU per chunk (more than the stream itself). A block holds every chunk of a span
/// that one write batch carries (up to `capacity`):
///
/// - `meta`: 16 bytes per chunk, its index (Int64) then its time in ms (Float64 bits), little
///   endian;
/// - `json`: the chunk values as one JSON array, `[v0,v1,…]`.
struct ChunkBlock {
  /// Most chunks in one block (bounds a row's size, and what a read has to parse at once).
  static let capacity = 4096

  var traceId: String
  var spanId: String
  var firstIndex: Int
  var count = 0
  var meta: [UInt8] = []
  var json: [UInt8] = [UInt8(ascii: "[")]

  init(traceId: String, spanId: String, firstIndex: Int) {
    self.traceId = traceId
    self.spanId = spanId
    self.firstIndex = firstIndex
  }

  var isFull: Bool { count >= Self.capacity }

  /// Adds a chunk whose value `writeValue` appends as JSON.
  mutating func append(index: Int, time: Double, writeValue: (inout [UInt8]) -> Void) {
    if count > 0 { json.append(UInt8(ascii: ",")) }
    writeValue(&json)
    Self.appendLittleEndian(UInt64(bitPattern: Int64(index)), to: &meta)
    Self.appendLittleEndian(time.bitPattern, to: &meta)
    count += 1
  }

  /// The chunks of a stored block.
  static func chunks(traceId: String, spanId: String, meta: [UInt8], json: String) -> [StoredChunk] {
    let values = elements(ofArray: Array(json.utf8))
    let count = min(values.count, meta.count / 16)
    return (0..<count).map { position in
      let index = Int(Int64(bitPattern: littleEndian(meta, at: position * 16)))
      let time = Double(bitPattern: littleEndian(meta, at: position * 16 + 8))
      return StoredChunk(traceId: traceId, spanId: spanId, index: index, time: time, json: values[position])
    }
  }

  /// The texts of the elements of a JSON array written by `append` (each exactly as it was
  /// written): split at the commas that are outside strings and nested values.
  static func elements(ofArray bytes: [UInt8]) -> [String] {
    guard bytes.count >= 2, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") else { return [] }
    var elements: [String] = []
    var depth = 0
    var inString = false
    var escaped = false
    var start = 1
    for position in 1..<(bytes.count - 1) {
      let byte = bytes[position]
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""): inString = true
      case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
      case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
      case UInt8(ascii: ",") where depth == 0:
        elements.append(String(decoding: bytes[start..<position], as: UTF8.self))
        start = position + 1
      default: break
      }
    }
    if start < bytes.count - 1 || !elements.isEmpty {
      elements.append(String(decoding: bytes[start..<(bytes.count - 1)], as: UTF8.self))
    }
    return elements
  }

  private static func appendLittleEndian(_ value: UInt64, to bytes: inout [UInt8]) {
    for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
  }

  private static func littleEndian(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    var value: UInt64 = 0
    for byte in (0..<8).reversed() { value = value << 8 | UInt64(bytes[offset + byte]) }
    return value
  }
}

extension [ChunkBlock] {
  /// The chunks the blocks hold, in all.
  var chunkCount: Int { reduce(0) { $0 + $1.count } }
}

/// Groups chunks into blocks: one open block per span (chunks of concurrent streams interleave in
/// a batch), a new one when it is full. `Key` identifies a span cheaply (ids are turned into hex
/// text once per block, not per chunk).
struct ChunkBlockBuilder<Key: Hashable> {
  private(set) var blocks: [ChunkBlock] = []
  /// Where each span's open block is in `blocks`.
  private var open: [Key: Int] = [:]
  /// The span of the last chunk added and its open block: a stream's chunks come in runs, which
  /// then cost no hashing.
  private var last: (key: Key, position: Int)?

  /// Adds a chunk of the span `key`, whose ids `ids` gives when a block starts.
  mutating func add(
    _ key: Key, ids: () -> (traceId: String, spanId: String), index: Int, time: Double,
    writeValue: (inout [UInt8]) -> Void
  ) {
    let known: Int? = if let last, last.key == key { last.position } else { open[key] }
    if let position = known, !blocks[position].isFull {
      blocks[position].append(index: index, time: time, writeValue: writeValue)
      last = (key, position)
      return
    }
    let (traceId, spanId) = ids()
    var block = ChunkBlock(traceId: traceId, spanId: spanId, firstIndex: index)
    block.append(index: index, time: time, writeValue: writeValue)
    blocks.append(block)
    open[key] = blocks.count - 1
    last = (key, blocks.count - 1)
  }
}
