import Synchronization

/// A value shared between tasks and signal handlers, behind a lock.
final class SharedValue<Value: Sendable>: Sendable {
  private let storage: Mutex<Value>

  init(_ value: Value) { storage = Mutex(value) }

  var value: Value { storage.withLock { $0 } }

  /// Replaces the value with `transform(value)`, atomically.
  func update(_ transform: @Sendable (Value) -> Value) { storage.withLock { $0 = transform($0) } }
}
