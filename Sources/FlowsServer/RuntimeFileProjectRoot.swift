import FlowsClient

/// The rule that places the runtime file: `GenkitProjectRoot` (in FlowsClient, where runtime
/// discovery uses the same implementation), under the name the reflection server has always used.
public typealias RuntimeFileProjectRoot = GenkitProjectRoot
