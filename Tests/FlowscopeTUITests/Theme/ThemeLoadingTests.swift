import Foundation
import Testing

@testable import FlowscopeTUI

@Suite struct ThemeLoadingTests {
  /// A fresh temporary directory with the given theme files.
  func directory(_ files: [String: String]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowscope-themes-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return url
  }

  @Test func loadsByNameFromTheFirstDirectoryThatHasIt() throws {
    let first = try directory(["ocean.theme": "border = blue\n"])
    let second = try directory(["ocean.theme": "border = red\n", "forest.theme": "border = green\n"])
    defer {
      try? FileManager.default.removeItem(at: first)
      try? FileManager.default.removeItem(at: second)
    }
    let ocean = try Theme.load(nameOrPath: "ocean", searchDirectories: [first, second])
    #expect(ocean.name == "ocean")
    #expect(ocean[.border].foreground == .palette(4))
    let forest = try Theme.load(nameOrPath: "forest", searchDirectories: [first, second])
    #expect(forest[.border].foreground == .palette(2))
  }

  @Test func loadsByPath() throws {
    let dir = try directory(["mine.theme": "name = my-theme\nborder = 33\n"])
    defer { try? FileManager.default.removeItem(at: dir) }
    let theme = try Theme.load(nameOrPath: dir.appendingPathComponent("mine.theme").path, searchDirectories: [])
    #expect(theme.name == "my-theme")
    #expect(theme[.border].foreground == .palette(33))
  }

  @Test func defaultDarkIsBuiltIn() throws {
    #expect(try Theme.load(nameOrPath: "default-dark", searchDirectories: []) == .defaultDark)
  }

  @Test func unknownNameListsTheAvailableThemes() throws {
    let dir = try directory(["ocean.theme": "border = blue\n", "notes.txt": "x"])
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
      _ = try Theme.load(nameOrPath: "nope", searchDirectories: [dir])
      Issue.record("expected an error")
    } catch let error as ThemeError {
      #expect(error.description.hasPrefix("no theme named 'nope'; available: default-dark, ocean (searched "))
      #expect(error.description.contains(dir.path))
    }
  }

  @Test func missingFileIsReported() {
    #expect(throws: ThemeError("no theme file at /nonexistent/x.theme")) {
      try Theme.load(nameOrPath: "/nonexistent/x.theme", searchDirectories: [])
    }
  }

  @Test func parseErrorsInFilesNameTheFileAndLine() throws {
    let dir = try directory(["bad.theme": "border = blue\nborder-focused = sparkly\n"])
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
      _ = try Theme.load(nameOrPath: "bad", searchDirectories: [dir])
      Issue.record("expected an error")
    } catch let error as ThemeError {
      #expect(error.line == 2)
      #expect(error.source == dir.appendingPathComponent("bad.theme").path)
      #expect(error.description.contains("bad.theme, line 2: borderFocused: unknown colour or attribute 'sparkly'"))
    }
  }

  @Test func defaultSearchDirectories() {
    let directories = Theme.defaultSearchDirectories(
      environment: ["XDG_CONFIG_HOME": "/home/u/.cfg", "HOME": "/home/u"],
      executableURL: URL(fileURLWithPath: "/src/app/.build/x86_64-unknown-linux-gnu/debug/flowscope"),
      currentDirectory: URL(fileURLWithPath: "/work", isDirectory: true))
    #expect(
      directories.map(\.path) == [
        "/home/u/.cfg/flowscope/themes", "/work/Themes", "/src/app/.build/Themes", "/src/app/Themes",
        "/src/app/.build/x86_64-unknown-linux-gnu/share/flowscope/themes",
      ])
    let withoutXDG = Theme.defaultSearchDirectories(
      environment: ["HOME": "/home/u"], executableURL: nil, currentDirectory: URL(fileURLWithPath: "/work"))
    #expect(withoutXDG.map(\.path) == ["/home/u/.config/flowscope/themes", "/work/Themes"])
  }
}
