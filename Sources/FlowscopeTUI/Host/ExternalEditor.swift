import Flows
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Edits text in the user's `$VISUAL` / `$EDITOR` (default `vi`), with the terminal handed over.
enum ExternalEditor {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// Writes `text` to a temporary `.json` file, runs the editor on it and waits, then returns the
  /// file's new content. The caller suspends and resumes the terminal around this call.
  static func edit(_ text: String, name: String, environment: [String: String]) throws(Failure) -> String {
    let editor =
      environment["VISUAL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["EDITOR"].flatMap {
        $0.isEmpty ? nil : $0
      } ?? "vi"
    let safeName = name.filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "flowscope-\(safeName.isEmpty ? "input" : safeName)-\(getpid()).json")
    do {
      try text.write(to: file, atomically: true, encoding: .utf8)
    } catch {
      throw Failure(description: "could not write \(file.path): \(error.localizedDescription)")
    }
    defer { try? FileManager.default.removeItem(at: file) }
    // `sh -c` so EDITOR may carry arguments (`code -w`); the file is passed as $1, never interpolated.
    let status = spawnAndWait(["/bin/sh", "-c", editor + " \"$1\"", "sh", file.path])
    guard status == 0 else {
      throw Failure(description: "\(editor) exited with status \(status); input unchanged")
    }
    do {
      var edited = try String(contentsOf: file, encoding: .utf8)
      while edited.hasSuffix("\n") { edited.removeLast() }
      return edited
    } catch {
      throw Failure(description: "could not read the edited input: \(error.localizedDescription)")
    }
  }

  /// Runs a program on the current terminal and waits; returns its exit status (or -1).
  static func spawnAndWait(_ arguments: [String]) -> Int32 {
    guard let executable = arguments.first,
      let child = try? ChildProcess.spawn(
        executable: executable, arguments: Array(arguments.dropFirst()), output: .inherit)
    else { return -1 }
    return child.waitForExit()
  }
}
