import Flows
import Foundation

/// How the debugger starts.
public struct DebuggerOptions: Sendable {
  /// A theme name (looked up in the theme directories) or a path to a theme file; nil = default-dark.
  public var theme: String?
  /// Capture the mouse (clicks, wheel). Off keeps the terminal's own text selection.
  public var mouse: Bool
  /// Where the last input per flow is kept between sessions; nil = not kept.
  public var inputHistoryURL: URL?
  /// Where standard error goes while the debugger is open; nil = left alone.
  public var logURL: URL?
  /// Where `x` writes exported traces.
  public var exportDirectory: URL
  /// The environment (NO_COLOR, EDITOR, TERM, …).
  public var environment: [String: String]
  /// Inputs to show for flows that have no saved input (instead of the schema skeleton).
  public var exampleInputs: [String: JSONValue]

  public init(
    theme: String? = nil, mouse: Bool = true, inputHistoryURL: URL? = nil,
    logURL: URL? = nil, exportDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
    environment: [String: String] = ProcessInfo.processInfo.environment, exampleInputs: [String: JSONValue] = [:]
  ) {
    self.exampleInputs = exampleInputs
    self.theme = theme
    self.mouse = mouse
    self.inputHistoryURL = inputHistoryURL
    self.logURL = logURL
    self.exportDirectory = exportDirectory
    self.environment = environment
  }
}
