import Synchronization

/// Typed storage that libraries built on the runtime (models, tools, plugins) use to keep their own
/// registries with a runtime, keyed by a type they own.
public final class RuntimeExtensions: Sendable {
  private let values = Mutex<[ObjectIdentifier: any Sendable]>([:])

  public init() {}

  /// The value stored for `key`, created by `make` on first use.
  public func value<Key, Value: Sendable>(for key: Key.Type, default make: () -> Value) -> Value {
    values.withLock { storage in
      if let existing = storage[ObjectIdentifier(key)] as? Value { return existing }
      let created = make()
      storage[ObjectIdentifier(key)] = created
      return created
    }
  }
}
