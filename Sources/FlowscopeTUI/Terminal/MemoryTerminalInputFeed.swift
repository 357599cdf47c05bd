import Synchronization

extension MemoryTerminal {
  /// Scripted input for a `MemoryTerminal`; safe to use from any thread.
  public final class InputFeed: Sendable {
    private struct State {
      var pending: [TerminalInput] = []
      var size: TerminalSize
      var hungUp = false
    }

    private let state: Mutex<State>
    private let pipe: SelfPipe

    init(size: TerminalSize) throws(SystemCallError) {
      state = Mutex(State(size: size))
      pipe = try SelfPipe()
    }

    deinit {
      pipe.closeReadEnd()
      if !state.withLock({ $0.hungUp }) { pipe.closeWriteEnd() }
    }

    var readDescriptor: Int32 { pipe.readDescriptor }
    var size: TerminalSize { state.withLock { $0.size } }

    /// Queues input and makes the input descriptor readable.
    public func send(_ input: [TerminalInput]) {
      let open = state.withLock { state in
        state.pending.append(contentsOf: input)
        return !state.hungUp
      }
      if open { pipe.post(byte: 1) }
    }

    /// Queues plain key presses.
    public func send(keys: Key...) {
      send(keys.map { .key(KeyEvent($0)) })
    }

    /// Changes the size and queues the `.resize` a real terminal reports.
    public func resize(to size: TerminalSize) {
      state.withLock { $0.size = size }
      send([.resize(size)])
    }

    /// Closes the writing end: the input descriptor reports POLLHUP, like a closed terminal.
    public func hangUp() {
      let wasOpen = state.withLock { state in
        defer { state.hungUp = true }
        return !state.hungUp
      }
      if wasOpen { pipe.closeWriteEnd() }
    }

    func take() -> [TerminalInput] {
      _ = pipe.drain()
      return state.withLock { state in
        let input = state.pending
        state.pending = []
        return input
      }
    }
  }
}
