import ArgumentParser
import Flows
import Foundation
import Synchronization

/// `flowscope run <flow> '<json>' [--stream]`
struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run a flow with JSON input; print its stream, result and trace id.",
    discussion: """
      Errors go to standard error as STATUS: message, with a non-zero exit code (1 for a failed run, \
      124 for --timeout, 130 when interrupted). The trace is saved either way.
      """
  )

  @Argument(help: "The flow to run (see `flowscope flows`).")
  var flow: String

  @Argument(help: "The input as JSON, e.g. '{\"subject\":\"cats\"}'; '-' reads standard input; default null.")
  var input: String?

  @Flag(name: .shortAndLong, help: "Print stream chunks as they arrive.")
  var stream = false

  @Option(name: .long, help: "Action context as a JSON object, e.g. '{\"auth\":{\"uid\":\"u1\"}}'.")
  var context: String?

  @Option(name: .long, help: "Cancel the run after this many seconds.")
  var timeout: Double?

  @Flag(name: .long, help: "Print one JSON object {result, traceId} (or {error, traceId}) instead of text.")
  var json = false

  @OptionGroup var storeOptions: StoreOptions
  @OptionGroup var modelOptions: ModelOptions

  func run() async throws {
    let environment = try await AppEnvironment.make(databasePath: storeOptions.db, model: modelOptions)
    let exitCode = await execute(in: environment)
    await environment.finish()
    if exitCode != 0 { throw ExitCode(exitCode) }
  }

  func execute(in environment: AppEnvironment) async -> Int32 {
    let action: AnyAction
    let inputValue: JSONValue
    let actionContext: ActionContext?
    do {
      action = try environment.runtime.registry.requireFlow(named: flow)
      inputValue = try Self.parseInput(input)
      actionContext = try context.map(Self.parseContext)
    } catch {
      report(FlowError(wrapping: error), traceId: nil)
      return 1
    }

    let printer = ChunkPrinter(enabled: stream && !json)
    let traceId = SharedValue<String?>(nil)
    var onChunk: (@Sendable (JSONValue) -> Void)?
    if stream && !json { onChunk = { chunk in printer.print(chunk) } }
    let options = ActionRunOptions(
      context: actionContext, onChunk: onChunk,
      onTraceStarted: { id, _ in traceId.update { _ in id } })
    let task = Task { try await action.run(inputValue, options: options) }
    let stopReason = SharedValue<StopReason?>(nil)
    let signals = SignalCancellation { _ in
      stopReason.update { $0 ?? .interrupted }
      task.cancel()
    }
    defer { signals.cancel() }
    let timer = timeout.map { seconds in
      Task {
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        stopReason.update { $0 ?? .timedOut(seconds) }
        task.cancel()
      }
    }
    defer { timer?.cancel() }

    do {
      let result = try await task.value
      printer.finishLine()
      if json {
        Console.out(JSONValue.object(["result": result.result, "traceId": .string(result.traceId)]).serialized())
      } else {
        if stream { Console.out("") }
        Console.out("Result:")
        Console.out(result.result.serialized(.prettyPrinted))
        Console.out("Trace ID: \(result.traceId)")
      }
      return 0
    } catch {
      printer.finishLine()
      var failure = FlowError(wrapping: error)
      let reason = stopReason.value
      if case .timedOut(let seconds) = reason {
        failure = FlowError(.deadlineExceeded, "flow did not finish within \(seconds) s and was cancelled")
      } else if case .interrupted = reason {
        failure = FlowError(.cancelled, "interrupted; the run was cancelled")
      }
      report(failure, traceId: failure.traceId ?? traceId.value)
      switch reason {
      case .timedOut: return 124
      case .interrupted: return 130
      case nil: return 1
      }
    }
  }

  enum StopReason: Sendable {
    case interrupted
    case timedOut(Double)
  }

  func report(_ error: FlowError, traceId: String?) {
    if json {
      var object: JSONObject = ["error": ["status": .string(error.status.rawValue), "message": .string(error.message)]]
      if let traceId { object["traceId"] = .string(traceId) }
      Console.out(JSONValue.object(object).serialized())
      return
    }
    Console.error("Error: \(error.status.rawValue): \(error.message)")
    if let traceId { Console.error("Trace ID: \(traceId)") }
  }

  static func parseInput(_ text: String?) throws -> JSONValue {
    guard var text else { return .null }
    if text == "-" {
      text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
    do {
      return try JSONValue(parsing: text)
    } catch {
      throw FlowError(.invalidArgument, "input is not valid JSON: \(error)")
    }
  }

  static func parseContext(_ text: String) throws -> ActionContext {
    let value: JSONValue
    do {
      value = try JSONValue(parsing: text)
    } catch {
      throw FlowError(.invalidArgument, "--context is not valid JSON: \(error)")
    }
    guard case .object(let object) = value else {
      throw FlowError(.invalidArgument, "--context must be a JSON object, got \(value.typeName)")
    }
    var context = ActionContext(auth: object["auth"])
    for (key, entry) in object.entries where key != "auth" { context.set(key, entry) }
    return context
  }
}

/// Prints chunks as they arrive: text chunks as they are (escape sequences removed), other chunks
/// as one JSON line each.
final class ChunkPrinter: Sendable {
  let enabled: Bool
  private let midLine = Mutex(false)

  init(enabled: Bool) { self.enabled = enabled }

  func print(_ chunk: JSONValue) {
    guard enabled else { return }
    if case .string(let text) = chunk {
      let clean = TextSanitizer.sanitize(text)
      Console.out(clean, terminator: "")
      midLine.withLock { $0 = !clean.hasSuffix("\n") }
    } else {
      finishLine()
      Console.out(chunk.serialized())
    }
  }

  func finishLine() {
    let needed = midLine.withLock { state in
      defer { state = false }
      return state
    }
    if needed { Console.out("") }
  }
}
