/// What background work posts to the UI thread's inbox.
public enum HostEvent: Sendable {
  /// An app event for `update`.
  case app(AppEvent)
  /// The event bus has trace events waiting (drained on the UI thread once per frame).
  case busAvailable
  /// The debug target reported a change (connection, flows, app log).
  case target(TargetChange)
}
