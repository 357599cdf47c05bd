import FlowscopeTUI
import Foundation
import Testing

/// A fresh temporary directory, removed by the caller.
private func temporaryDirectory() throws -> URL {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowscope-history-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

@Suite struct InputHistoryTests {
  @Test func roundTripsThroughTheFileCreatingItsDirectory() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("nested/dir/inputs.json")

    var history = InputHistory(fileURL: file)
    try history.load()
    #expect(history.input(for: "jokeFlow") == nil)
    history.record("{\n  \"subject\": \"cats\"\n}", for: "jokeFlow")
    history.record("\"漢字 😀\"", for: "echo")
    try history.save()

    var reloaded = InputHistory(fileURL: file)
    try reloaded.load()
    #expect(reloaded.input(for: "jokeFlow") == "{\n  \"subject\": \"cats\"\n}")
    #expect(reloaded.input(for: "echo") == "\"漢字 😀\"")
    #expect(reloaded.entries.count == 2)

    let leftovers = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
    #expect(leftovers == ["inputs.json"])
  }

  @Test func savingReplacesThePreviousFile() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("inputs.json")
    var history = InputHistory(fileURL: file)
    history.record("1", for: "a")
    try history.save()
    history.record("2", for: "a")
    try history.save()
    var reloaded = InputHistory(fileURL: file)
    try reloaded.load()
    #expect(reloaded.input(for: "a") == "2")
  }

  @Test func corruptFileIsAClearErrorAndKeepsSessionEntries() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("inputs.json")
    try Data("{\"jokeFlow\": ".utf8).write(to: file)

    var history = InputHistory(fileURL: file)
    history.record("typed this session", for: "menuFlow")
    #expect {
      try history.load()
    } throws: { error in
      guard let error = error as? InputHistoryError else { return false }
      return error.kind == .corrupt && error.description.contains("corrupt") && error.description.contains(file.path)
    }
    #expect(history.input(for: "menuFlow") == "typed this session")

    // Saving afterwards replaces the corrupt file with the session's entries.
    try history.save()
    var reloaded = InputHistory(fileURL: file)
    try reloaded.load()
    #expect(reloaded.entries == ["menuFlow": "typed this session"])
  }

  @Test func aFileThatIsNotAnObjectIsCorrupt() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("inputs.json")
    try Data("[1, 2]".utf8).write(to: file)
    var history = InputHistory(fileURL: file)
    #expect(throws: InputHistoryError.self) { try history.load() }
    #expect(history.entries.isEmpty)
  }

  @Test func loadMergesUnderSessionEntries() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("inputs.json")
    try Data("{\"a\": \"file\", \"b\": \"file\", \"n\": 3}".utf8).write(to: file)
    var history = InputHistory(fileURL: file)
    history.record("session", for: "a")
    try history.load()
    #expect(history.entries == ["a": "session", "b": "file"])
  }

  @Test func missingOrEmptyFileIsAnEmptyHistory() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var missing = InputHistory(fileURL: directory.appendingPathComponent("none.json"))
    try missing.load()
    #expect(missing.entries.isEmpty)
    let empty = directory.appendingPathComponent("empty.json")
    try Data().write(to: empty)
    var history = InputHistory(fileURL: empty)
    try history.load()
    #expect(history.entries.isEmpty)
  }

  @Test func unwritableLocationThrows() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let blocker = directory.appendingPathComponent("file")
    try Data("x".utf8).write(to: blocker)
    var history = InputHistory(fileURL: blocker.appendingPathComponent("inputs.json"))
    history.record("x", for: "a")
    #expect(throws: InputHistoryError.self) { try history.save() }
  }
}
