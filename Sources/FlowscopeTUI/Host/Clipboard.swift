import Foundation

/// Copying text to the clipboard through the terminal (OSC 52), which also works over SSH and in
/// tmux with `set-clipboard on`.
enum Clipboard {
  /// Terminals known to ignore OSC 52.
  static let terminalsWithoutOSC52: Set<String> = ["linux", "dumb", "vt100", "vt220"]
  /// Many terminals drop OSC 52 payloads above about 100 kB.
  static let largePayload = 100_000

  /// The OSC 52 sequence that puts `text` on the system clipboard.
  static func osc52(_ text: String) -> String {
    "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
  }

  /// Whether OSC 52 can work in this environment.
  static func isAvailable(environment: [String: String]) -> Bool {
    let term = environment["TERM"] ?? ""
    return !term.isEmpty && !terminalsWithoutOSC52.contains(term)
  }

  /// The confirmation (or the reason nothing was copied) for the status bar.
  static func message(forCopying what: String, bytes: Int, environment: [String: String]) -> (String, Bool) {
    guard isAvailable(environment: environment) else {
      return (
        "No clipboard: this terminal (\(environment["TERM"] ?? "unknown")) has no OSC 52; x exports the trace to a file",
        true
      )
    }
    let size = ByteCountFormatter.string(fromByteCount: Int64(bytes), countStyle: .file)
    if bytes > largePayload {
      return ("Copied \(what) (\(size)) via OSC 52 — large: some terminals drop it; x exports to a file", false)
    }
    return ("Copied \(what) (\(size)) to the clipboard (OSC 52)", false)
  }
}
