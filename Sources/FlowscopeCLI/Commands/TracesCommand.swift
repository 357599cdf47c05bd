import ArgumentParser
import Flows
import Foundation
import TraceStore

/// `flowscope traces …`: list, show, export, import and prune stored traces.
struct TracesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "traces",
    abstract: "Inspect and manage stored traces.",
    subcommands: [List.self, Show.self, Export.self, Import.self, Delete.self, Prune.self],
    defaultSubcommand: List.self
  )

  /// `flowscope traces list`
  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List traces, newest first.")

    @Option(name: .long, help: "Only traces of this flow.")
    var flow: String?

    @Option(name: .long, help: "Only traces with this status: ok, error or running.")
    var status: TraceStatusOption?

    @Option(name: [.short, .long], help: "How many traces to show.")
    var limit = 20

    @Option(name: .long, help: "Continue after the page that printed this token.")
    var continuationToken: String?

    @Flag(name: .long, help: "Print the page as JSON.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
      let store = try AppEnvironment.openStore(storeOptions.db)
      let page = try store.listTraces(
        TraceQuery(flowName: flow, status: status?.filter, limit: max(limit, 1), continuationToken: continuationToken))
      if json {
        Console.out(TraceListing.json(page).serialized(.prettyPrinted))
      } else {
        Console.out(TraceListing.table(page))
      }
    }
  }

  /// `flowscope traces show <id>`
  struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one trace as a tree (default) or as Genkit JSON.")

    @Argument(help: "The trace id (a unique prefix is enough).")
    var traceId: String

    @Option(name: .long, help: "tree or json.")
    var format: TraceFormatOption = .tree

    @Option(name: .long, help: "Cut values longer than this many characters (0: never).")
    var width = 160

    @Flag(name: .long, help: "Also print the recorded stream chunks.")
    var chunks = false

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
      let store = try AppEnvironment.openStore(storeOptions.db)
      let trace = try TraceLookup.find(traceId, in: store)
      switch format {
      case .json:
        Console.out(trace.json.serialized(.prettyPrinted))
      case .tree:
        Console.out("Trace \(trace.traceId)")
        let logs = try store.logs(traceId: trace.traceId, limit: 10_000).logs
        Console.out(TraceTreeFormatter(valueWidth: width, logs: logs).format(trace))
      }
      if chunks {
        let recorded = try store.chunks(traceId: trace.traceId)
        Console.out("\nStream (\(recorded.count) chunks):")
        for chunk in recorded {
          let value = (try? JSONValue(parsing: chunk.json)) ?? .string(chunk.json)
          Console.out(
            "  [\(chunk.index)] " + TextSanitizer.sanitize(ValueFormatting.compact(value), keepNewlines: false))
        }
      }
    }
  }

  /// `flowscope traces export`
  struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Export traces as a JSON array of Genkit TraceData (all traces when no id is given).")

    @Argument(help: "Trace ids (unique prefixes are enough).")
    var traceIds: [String] = []

    @Option(name: [.short, .long], help: "Write to this file instead of standard output.")
    var output: String?

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
      let store = try AppEnvironment.openStore(storeOptions.db)
      let ids = try traceIds.isEmpty ? nil : traceIds.map { try TraceLookup.find($0, in: store).traceId }
      let text = try store.export(traceIds: ids).serialized(.prettyPrinted)
      if let output {
        do {
          try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } catch {
          throw CLIFailure(message: "cannot write \(output): \(error.localizedDescription)")
        }
        Console.error("exported to \(output)")
      } else {
        Console.out(text)
      }
    }
  }

  /// `flowscope traces import <file>`
  struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Import Genkit TraceData JSON (one trace, an array, or {\"traces\": [...]}).")

    @Argument(help: "The JSON file; '-' reads standard input.")
    var file: String

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
      let data: Data
      do {
        data =
          file == "-"
          ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
      } catch {
        throw CLIFailure(message: "cannot read \(file): \(error.localizedDescription)")
      }
      let value: JSONValue
      do {
        value = try JSONValue(parsing: data)
      } catch {
        throw CLIFailure(message: "\(file) is not valid JSON: \(error)")
      }
      let store = try AppEnvironment.openStore(storeOptions.db)
      do {
        let count = try store.importTraces(from: value)
        Console.out("imported \(count) trace\(count == 1 ? "" : "s")")
      } catch {
        throw CLIFailure(message: "cannot import \(file): \(error)")
      }
    }
  }

  /// `flowscope traces delete <id>…`
  struct Delete: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Delete traces.")

    @Argument(help: "Trace ids (unique prefixes are enough).")
    var traceIds: [String]

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
      let store = try AppEnvironment.openStore(storeOptions.db)
      let ids = try traceIds.map { try TraceLookup.find($0, in: store).traceId }
      let count = try store.delete(traceIds: ids)
      Console.out("deleted \(count) trace\(count == 1 ? "" : "s")")
    }
  }

  /// `flowscope traces prune --keep N`
  struct Prune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Keep only the newest traces.")

    @Option(name: .long, help: "How many of the newest traces to keep.")
    var keep: Int

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
      let store = try AppEnvironment.openStore(storeOptions.db)
      let count = try store.retain(newest: max(keep, 0))
      Console.out("deleted \(count) trace\(count == 1 ? "" : "s")")
    }
  }
}

/// `--status` values.
enum TraceStatusOption: String, ExpressibleByArgument, CaseIterable {
  case ok, error, running

  var filter: TraceStatusFilter {
    switch self {
    case .ok: .ok
    case .error: .error
    case .running: .running
    }
  }
}

/// `--format` values of `traces show`.
enum TraceFormatOption: String, ExpressibleByArgument, CaseIterable {
  case tree, json
}
