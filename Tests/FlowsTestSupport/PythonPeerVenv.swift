import Foundation

/// Where the Python Genkit peer lives for the tests: the venv made by `scripts/install-peer.sh`
/// and the apps in `Tests/Peer`.
public enum PythonPeerVenv {
  /// `$FLOWSCOPE_PEER_DIR` or `~/.cache/flowscope-peer`.
  public static var directory: String {
    if let dir = ProcessInfo.processInfo.environment["FLOWSCOPE_PEER_DIR"], !dir.isEmpty { return dir }
    return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/flowscope-peer").path
  }

  /// `<venv>/bin/<name>` (`python`, `uvicorn`).
  public static func executable(_ name: String) -> String { directory + "/venv/bin/" + name }

  /// Tests/Peer in this checkout (the peer apps).
  public static var appDirectory: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Peer").path
  }

  /// True when the venv's `executable` and `Tests/Peer/<app>` both exist.
  public static func isInstalled(executable name: String, app: String) -> Bool {
    FileManager.default.isExecutableFile(atPath: executable(name))
      && FileManager.default.fileExists(atPath: appDirectory + "/" + app)
  }

  /// Why a peer test is skipped.
  public static let missingMessage =
    "the Python peer is not installed (run scripts/install-peer.sh; venv in $FLOWSCOPE_PEER_DIR or ~/.cache/flowscope-peer)"
}
