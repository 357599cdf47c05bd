import Flows
import Foundation
import Synchronization
import Testing

@testable import FlowscopeTUI

/// A stand-in for an attached runtime: streams through the observer, exports spans on the bus,
/// cancels on request, and reports a log line and a flow list from its monitor.
private final class ScriptedRemoteTarget: DebugTarget {
  let bus = EventBus()
  let cancelled = Mutex<[String]>([])
  private let cancelSignal = AsyncStream<Void>.makeStream()

  var attachedRuntime: AttachedRuntime? { AttachedRuntime(name: "py/0.12.0 pid 7", url: "http://127.0.0.1:9") }
  var initialFlows: [FlowEntry] { [FlowEntry(name: "aStream", streams: true), FlowEntry(name: "bSlow")] }

  func run(flow: String, input: JSONValue, observer: RunObserver) async throws -> TargetRunResult {
    observer.traceStarted("t-\(flow)")
    bus.publish(.spanReceived(span(flow, endTime: 0)))
    if flow == "bSlow" {
      for await _ in cancelSignal.stream { break }
      var ended = span(flow, endTime: 2_000)
      ended.attributes["genkit:state"] = "error"
      ended.status = SpanData.SpanStatus(code: 2, message: "cancelled by the client")
      bus.publish(.spanReceived(ended))
      throw FlowError(.cancelled, "cancelled by the client")
    }
    for word in ["one ", "two ", "three"] { observer.chunk(.string(word), 1_500) }
    bus.publish(.spanReceived(span(flow, endTime: 2_000)))
    return TargetRunResult(traceId: "t-\(flow)", result: "one two three")
  }

  func cancel(traceId: String) async -> Bool {
    cancelled.withLock { $0.append(traceId) }
    cancelSignal.continuation.yield()
    return true
  }

  func monitor(_ report: @escaping @Sendable (TargetChange) -> Void) async {
    report(.log(["app: listening"]))
    report(.flows(initialFlows + [FlowEntry(name: "zAdded")]))
    while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(20)) }
  }

  private func span(_ flow: String, endTime: Double) -> SpanData {
    var attributes: JSONObject = [
      "genkit:name": .string(flow), "genkit:type": "action", "genkit:metadata:subtype": "flow",
      "genkit:path": .string("/{\(flow),t:action,s:flow}"),
    ]
    if endTime > 0 { attributes["genkit:state"] = "success" }
    return SpanData(
      spanId: "root-\(flow)", traceId: "t-\(flow)", startTime: 1_000, endTime: endTime, attributes: attributes,
      displayName: flow)
  }
}

@Suite("Debugger host on an attached runtime", .serialized)
struct AttachedHostTests {
  @Test func aRemoteRunStreamsIntoTheOutputAndTheMonitorFeedsTheState() throws {
    let target = ScriptedRemoteTarget()
    let terminal = try MemoryTerminal(size: TerminalSize(rows: 40, columns: 120))
    let inbox = try Inbox<HostEvent>()
    let host = DebuggerHost(
      terminal: terminal, inbox: inbox, target: target, store: nil, writer: nil,
      options: DebuggerOptions(environment: [:], exampleInputs: ["aStream": "hi"]))
    #expect(host.state.attached?.name == "py/0.12.0 pid 7")
    let driver = Driver(host: host) { state in
      state.activeRun?.status == .ok && state.flows.count == 3 && state.appLog != nil
        && state.outline.rows.first?.status == .ok
    }
    terminal.feed.send(keys: .enter)
    UILoop(terminal: terminal, inbox: inbox, delegate: driver).run()
    #expect(!driver.timedOut)
    #expect(host.state.output.lines.joined().contains("one two three"))
    #expect(host.state.runs.first?.traceId == "t-aStream")
    #expect(host.state.appLog?.lines == ["app: listening"])
    let text = DebuggerView.render(host.state, size: TerminalSize(rows: 40, columns: 120)).text
    #expect(text.contains("✔ aStream"))
    #expect(text.contains("zAdded"))
    #expect(text.contains("● connected py/0.12.0 pid 7"))
    _ = host.stop()
  }

  @Test func cancelAsksTheRuntimeWithTheRunsTraceId() throws {
    let target = ScriptedRemoteTarget()
    let terminal = try MemoryTerminal(size: TerminalSize(rows: 40, columns: 120))
    let inbox = try Inbox<HostEvent>()
    let host = DebuggerHost(
      terminal: terminal, inbox: inbox, target: target, store: nil, writer: nil,
      options: DebuggerOptions(environment: [:], exampleInputs: ["bSlow": 1]))
    var pressedCancel = false
    let driver = Driver(host: host) { state in
      if !pressedCancel, state.activeRun?.traceId != nil {
        pressedCancel = true
        terminal.feed.send(keys: .character("c"))
      }
      return state.activeRun?.status == .error
    }
    terminal.feed.send(keys: .character("j"), .enter)
    UILoop(terminal: terminal, inbox: inbox, delegate: driver).run()
    #expect(!driver.timedOut)
    #expect(target.cancelled.withLock { $0 } == ["t-bSlow"])
    let text = DebuggerView.render(host.state, size: TerminalSize(rows: 40, columns: 120)).text
    #expect(text.contains("✖ bSlow"))
    #expect(text.contains("cancelled by the client"))
    _ = host.stop()
  }
}
