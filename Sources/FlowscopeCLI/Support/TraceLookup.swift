import Flows
import TraceStore

/// Finds a trace by full id or by a unique prefix of it.
enum TraceLookup {
  static func find(_ id: String, in store: TraceStore) throws -> TraceData {
    let needle = id.lowercased()
    if let trace = try store.trace(id: needle) { return trace }
    guard needle.count >= 4 else {
      throw CLIFailure(message: "NOT_FOUND: no trace with id \(id) (give at least 4 characters of an id)")
    }
    var matches: [String] = []
    var token: String?
    repeat {
      let page = try store.listTraces(TraceQuery(limit: 500, continuationToken: token))
      matches += page.traces.map(\.traceId).filter { $0.hasPrefix(needle) }
      token = page.continuationToken
    } while token != nil && matches.count < 2
    guard matches.count == 1, let match = matches.first, let trace = try store.trace(id: match) else {
      let reason = matches.isEmpty ? "no trace with id \(id)" : "\(id) matches several traces; give more characters"
      throw CLIFailure(message: "NOT_FOUND: \(reason)")
    }
    return trace
  }
}
