import Flows
import Foundation
import Logging
import Testing

@testable import FlowscopeTUI

@Suite("Debugger host", .serialized)
struct DebuggerHostTests {
  func firehoseRuntime() -> FlowRuntime {
    let runtime = FlowRuntime()
    _ = runtime.defineStreamingFlow("firehose") { (count: Int, context: FlowContext<String>) -> Int in
      for index in 0..<count {
        context.sendChunk("t\(index) ")
        if index % 200 == 199 { try await Task.sleep(for: .milliseconds(1)) }
      }
      return count
    }
    return runtime
  }

  @Test func aFastStreamReachesTheScreenInFewFrames() throws {
    let runtime = firehoseRuntime()
    let terminal = try MemoryTerminal(size: TerminalSize(rows: 40, columns: 120))
    let inbox = try Inbox<HostEvent>()
    let host = DebuggerHost(
      terminal: terminal, inbox: inbox, target: LocalTarget(runtime: runtime), store: nil, writer: nil,
      options: DebuggerOptions(environment: [:], exampleInputs: ["firehose": 5000]))
    let driver = Driver(host: host) { $0.activeRun?.status == .ok }
    terminal.feed.send(keys: .enter)
    UILoop(terminal: terminal, inbox: inbox, delegate: driver).run()
    #expect(!driver.timedOut)
    let state = host.state
    #expect(state.output.chunkCount == 5000)
    #expect(state.output.lines.joined().hasPrefix("t0 t1 t2"))
    #expect(state.outline.rows.first?.status == .ok)
    // 5 000 chunks, coalesced: far fewer frames than chunks.
    #expect(driver.frames < 400)
    _ = host.stop()
  }

  @Test func cancellingEndsTheSpansCancelledAndKeepsTheAppRunning() throws {
    let runtime = FlowRuntime()
    _ = runtime.defineFlow("hang") { (_: Int) -> Int in
      try await run("wait") { () async throws -> Int in
        try await Task.sleep(for: .seconds(60))
        return 0
      }
    }
    let terminal = try MemoryTerminal(size: TerminalSize(rows: 40, columns: 120))
    let inbox = try Inbox<HostEvent>()
    let host = DebuggerHost(
      terminal: terminal, inbox: inbox, target: LocalTarget(runtime: runtime), store: nil, writer: nil,
      options: DebuggerOptions(environment: [:], exampleInputs: ["hang": 1]))
    var cancelled = false
    let driver = Driver(host: host) { state in
      if !cancelled, state.outline.rows.count == 2 {
        cancelled = true
        terminal.feed.send(keys: .character("c"))
      }
      return state.activeRun?.status == .error && state.outline.rows.allSatisfy { $0.status == .error }
    }
    terminal.feed.send(keys: .enter)
    UILoop(terminal: terminal, inbox: inbox, delegate: driver).run()
    #expect(!driver.timedOut)
    // The loop stops right after the state changes; render that state.
    let text = DebuggerView.render(host.state, size: TerminalSize(rows: 40, columns: 120)).text
    #expect(text.contains("CANCELLED"))
    #expect(text.contains("cancelled"))
    #expect(text.contains("✖ hang"))
    #expect(text.contains("✖ wait"))
    #expect(!host.isFinished)
    _ = host.stop()
  }

  @Test func aMessageLoggedInARunShowsInItsSpansInspector() throws {
    let runtime = FlowRuntime()
    let logger = Logger(label: "orders") { FlowLogHandler(label: $0) }
    _ = runtime.defineFlow("order") { (_: Int) -> Int in
      try await run("charge") { () async throws -> Int in
        logger.warning("gateway slow", metadata: ["attempt": "2"])
        return 1
      }
    }
    let terminal = try MemoryTerminal(size: TerminalSize(rows: 40, columns: 120))
    let inbox = try Inbox<HostEvent>()
    let host = DebuggerHost(
      terminal: terminal, inbox: inbox, target: LocalTarget(runtime: runtime), store: nil, writer: nil,
      options: DebuggerOptions(environment: [:], exampleInputs: ["order": 1]))
    let driver = Driver(host: host) { $0.activeRun?.status == .ok && $0.traceLogs.count == 1 }
    terminal.feed.send(keys: .enter)
    UILoop(terminal: terminal, inbox: inbox, delegate: driver).run()
    #expect(!driver.timedOut)
    // Inspect the step: its log record is there.
    var state = host.state
    for key in [Key.character("5"), .character("j"), .enter] {
      _ = DebuggerUpdate.update(&state, .input(.key(KeyEvent(key))))
    }
    #expect(state.inspector?.span.displayName == "charge")
    let text = DebuggerView.render(state, size: TerminalSize(rows: 40, columns: 120)).text
    #expect(text.contains("Logs (1)"))
    #expect(text.contains(#"WARN gateway slow  {"attempt":"2"}"#))
    _ = host.stop()
  }

  @Test func copyWritesOSC52OrExplainsWhyNot() throws {
    let runtime = FlowRuntime()
    _ = runtime.defineFlow("echo") { (value: Int) -> Int in value }
    let terminal = try MemoryTerminal(size: TerminalSize(rows: 40, columns: 120))
    let inbox = try Inbox<HostEvent>()
    let host = DebuggerHost(
      terminal: terminal, inbox: inbox, target: LocalTarget(runtime: runtime), store: nil, writer: nil,
      options: DebuggerOptions(environment: ["TERM": "xterm-256color"], exampleInputs: ["echo": 7]))
    var copied = false
    let driver = Driver(host: host) { state in
      if state.activeRun?.status == .ok, !copied {
        copied = true
        terminal.feed.send(keys: .character("Y"))
      }
      return copied && state.message?.text.hasPrefix("Copied") == true
    }
    terminal.feed.send(keys: .enter)
    UILoop(terminal: terminal, inbox: inbox, delegate: driver).run()
    #expect(!driver.timedOut)
    let write = terminal.passthroughWrites.last ?? ""
    #expect(write.hasPrefix("\u{1B}]52;c;"))
    let payload = String(write.dropFirst(7).dropLast())
    let json = Data(base64Encoded: payload).flatMap { String(data: $0, encoding: .utf8) } ?? ""
    #expect(json.contains("\"traceId\""))
    #expect(json.contains("echo"))
    _ = host.stop()

    let (message, isError) = Clipboard.message(forCopying: "trace", bytes: 10, environment: ["TERM": "linux"])
    #expect(isError)
    #expect(message.contains("No clipboard"))
  }

  @Test func aStaleRunningRunFromTheStoreDoesNotKeepTheScreenTicking() throws {
    let terminal = try MemoryTerminal(size: TerminalSize(rows: 40, columns: 120))
    let inbox = try Inbox<HostEvent>()
    let host = DebuggerHost(
      terminal: terminal, inbox: inbox, target: LocalTarget(runtime: FlowRuntime()), store: nil, writer: nil,
      options: DebuggerOptions(environment: [:]))
    // A run another process left "running" (it died), listed from the store.
    host.loop(received: [
      .app(.runsLoaded([RunEntry(traceId: "t", flowName: "slowFlow", status: .running, startTime: 1)]))
    ])
    // Let the start-up notice expire.
    host.dispatch(.tick(now: Date().timeIntervalSince1970 * 1000 + 60_000))
    #expect(host.state.message == nil)
    #expect(host.nextDeadline == nil)
    _ = host.stop()
  }
}
