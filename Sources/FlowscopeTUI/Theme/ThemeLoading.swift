import Foundation

extension Theme {
  /// The names of the themes built into the binary.
  public static let builtInNames = [Theme.defaultDark.name]

  /// Loads a theme by file path or by name.
  ///
  /// `nameOrPath` is a path when it contains `/` or ends in `.theme`; otherwise it is a name, looked
  /// up as `<directory>/<name>.theme` in `searchDirectories`, first match wins. `default-dark` is
  /// built in, so it loads even when no directory has it.
  /// - Throws: `ThemeError`: not found (listing the available names and the directories searched),
  ///   unreadable, or a parse error with its line number.
  public static func load(nameOrPath: String, searchDirectories: [URL]) throws -> Theme {
    if nameOrPath.contains("/") || nameOrPath.hasSuffix(".theme") {
      let url = URL(fileURLWithPath: nameOrPath)
      guard FileManager.default.fileExists(atPath: url.path) else {
        throw ThemeError("no theme file at \(url.path)")
      }
      return try load(file: url)
    }
    for directory in searchDirectories {
      let url = directory.appendingPathComponent(nameOrPath + ".theme")
      if FileManager.default.fileExists(atPath: url.path) { return try load(file: url) }
    }
    if nameOrPath == Theme.defaultDark.name { return .defaultDark }
    let searched = searchDirectories.map(\.path).joined(separator: ", ")
    throw ThemeError(
      "no theme named '\(nameOrPath)'; available: "
        + availableNames(searchDirectories: searchDirectories).joined(separator: ", ")
        + (searched.isEmpty ? "" : " (searched \(searched))"))
  }

  /// Reads and parses one theme file; the theme is named after the file unless it has a `name =` line.
  public static func load(file url: URL) throws -> Theme {
    let text: String
    do {
      text = try String(contentsOf: url, encoding: .utf8)
    } catch {
      throw ThemeError("cannot read \(url.path): \(error.localizedDescription)")
    }
    do {
      return try parse(text, name: url.deletingPathExtension().lastPathComponent)
    } catch var error as ThemeError {
      error.source = url.path
      throw error
    }
  }

  /// Every theme name available: the built-in ones and each `*.theme` file in the directories, sorted.
  public static func availableNames(searchDirectories: [URL]) -> [String] {
    var names = Set(builtInNames)
    for directory in searchDirectories {
      let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
      for file in files where file.hasSuffix(".theme") { names.insert(String(file.dropLast(".theme".count))) }
    }
    return names.sorted()
  }

  /// Where the debugger looks for themes, in order (first match wins):
  /// 1. `$XDG_CONFIG_HOME/flowscope/themes` (`~/.config/flowscope/themes` when unset): your own;
  /// 2. `./Themes` in the current directory (running from a checkout);
  /// 3. `Themes` two and three levels above the executable's directory (`swift run` builds into
  ///    `.build/debug` → `.build/<triple>/debug`);
  /// 4. `../share/flowscope/themes` next to the executable's directory (an installed copy).
  public static func defaultSearchDirectories(
    environment: [String: String], executableURL: URL?,
    currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
  ) -> [URL] {
    var directories: [URL] = []
    if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
      directories.append(URL(fileURLWithPath: config, isDirectory: true).appendingPathComponent("flowscope/themes"))
    } else if let home = environment["HOME"], !home.isEmpty {
      directories.append(
        URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".config/flowscope/themes"))
    }
    directories.append(currentDirectory.appendingPathComponent("Themes"))
    if let executableURL {
      let binDirectory = executableURL.deletingLastPathComponent()
      directories.append(binDirectory.appendingPathComponent("../../Themes"))
      directories.append(binDirectory.appendingPathComponent("../../../Themes"))
      directories.append(binDirectory.appendingPathComponent("../share/flowscope/themes"))
    }
    var seen: Set<String> = []
    return directories.map(\.standardizedFileURL).filter { seen.insert($0.path).inserted }
  }
}
