import Foundation

/// Finds the project root the way the Genkit CLI does (`findProjectRoot` in genkit-tools): the
/// nearest ancestor of the start directory (itself included) holding one of the marker files,
/// else the start directory.
///
/// Runtime files live under `<root>/.genkit/runtimes`, so a runtime and the tool that discovers it
/// must agree on the root: Flowscope's reflection server writes there and `RuntimeDiscovery` reads
/// there. `Package.swift` is added to Genkit's list so Swift packages are found; a Swift package
/// that lives inside a JS/Go/Python project resolves to the same root as the CLI as long as the CLI
/// runs from the same directory. (Genkit Python writes its runtime file under the current
/// directory instead, which is the same place when it runs from the project root.)
public enum GenkitProjectRoot {
  /// Genkit's markers (`package.json`, `go.mod`, `pyproject.toml`, `requirements.txt`, `pom.xml`,
  /// `build.gradle`) plus `Package.swift`.
  public static let markers = [
    "package.json", "go.mod", "pyproject.toml", "requirements.txt", "pom.xml", "build.gradle", "Package.swift",
  ]

  /// The project root for `directory` (the current directory by default).
  public static func find(from directory: String = FileManager.default.currentDirectoryPath) -> String {
    let files = FileManager.default
    var current = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
    while true {
      for marker in markers where files.fileExists(atPath: current.appendingPathComponent(marker).path) {
        return current.path
      }
      let parent = current.deletingLastPathComponent()
      if parent.path == current.path || parent.path.isEmpty { return directory }
      current = parent
    }
  }
}
