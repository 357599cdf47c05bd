import ArgumentParser
import Flows
import FlowsServer
import Foundation
import ServiceLifecycle

/// `flowscope serve`: serves the sample flows over HTTP with Genkit's callable protocol.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the flows over HTTP (Genkit's callable protocol).",
    discussion: """
      POST <prefix><flow> with {"data": <input>} answers {"result": <output>}; send \
      'Accept: text/event-stream' (or ?stream=true) to stream chunks as server-sent events. Every run is \
      traced to the trace store. Stops on Ctrl-C or SIGTERM after in-flight calls finish, then saves the traces.
      """
  )

  /// The environment variable read when `--api-key` is not given.
  static let apiKeyVariable = "FLOWSCOPE_SERVE_API_KEY"

  @Option(name: .long, help: "Address to listen on (use 0.0.0.0 to accept other machines).")
  var host = "127.0.0.1"

  @Option(name: .long, help: "TCP port (0 picks a free one).")
  var port = 3400

  @Option(name: .long, help: "Path prefix of the flow routes, e.g. /api.")
  var prefix = "/"

  @Option(
    name: .long,
    help: "Require this key in the Authorization header (as is, or 'Bearer <key>'); default $\(apiKeyVariable).")
  var apiKey: String?

  @Option(
    name: .long, parsing: .upToNextOption,
    help: "Allow browser calls from these origins (CORS), e.g. http://localhost:5173; '*' allows any.")
  var cors: [String] = []

  @Option(name: .long, help: "Largest accepted request body in bytes (larger: 413).")
  var maxBodyBytes = FlowRouteOptions.defaultBodyLimit

  @Flag(
    name: .long,
    help: """
      Dev mode (also GENKIT_ENV=dev): start Genkit's reflection API on loopback (port 3100 or \
      GENKIT_REFLECTION_PORT) and register it in .genkit/runtimes, so Genkit's CLI and Developer UI find it.
      """)
  var dev = false

  @Option(
    name: .long,
    help: """
      Keep streaming calls for this many seconds after they end (0: off), so a client that lost \
      the stream can come back for it with its x-genkit-stream-id; their flows are not cancelled \
      when the client leaves.
      """)
  var durableStreams = 0

  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .long, help: "Model for the AI sample flows: demo (default), local, or openai/<model>.")
  var model: String?

  @Option(name: .long, help: "Base URL of the OpenAI-compatible server ($OPENAI_BASE_URL).")
  var baseURL: String?

  @Option(name: .long, help: "API key for the model server ($OPENAI_API_KEY).")
  var modelApiKey: String?

  func validate() throws {
    guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    guard maxBodyBytes > 0 else { throw ValidationError("--max-body-bytes must be positive") }
    guard durableStreams >= 0 else { throw ValidationError("--durable-streams must be 0 or more seconds") }
  }

  func run() async throws {
    let environment = try await AppEnvironment.make(databasePath: storeOptions.db, model: try modelOptions())
    let runtime = environment.runtime
    // Spans go to a Genkit telemetry server when one is configured (GENKIT_TELEMETRY_SERVER, or /api/notify).
    let exporter = TelemetryExporter(bus: runtime.bus)
    var services: [any Service] = [exporter]
    let otlp = try OTLPExport.service(for: runtime, environment: ProcessInfo.processInfo.environment)
    if let service = otlp.service { services.append(service) }
    if let note = otlp.note { Console.error(note) }
    var reflection: ReflectionServer?
    if dev || ProcessInfo.processInfo.environment["GENKIT_ENV"] == "dev" {
      let writer = environment.writer
      let server = ReflectionServer(runtime: runtime, exporter: exporter, flushTraces: { await writer?.flush() })
      services.append(server)
      reflection = server
    }
    // The trace store's telemetry API (/api/traces…): Genkit runtimes in any language can export here.
    var routes: [FlowServer.RouteInstaller] = []
    if let store = environment.store {
      routes.append { router in router.addTelemetryAPI(store: store, bus: runtime.bus) }
    }
    let server = FlowServer(
      registry: runtime.registry, configuration: serverConfiguration(), routes: routes, services: services)
    let flows = runtime.registry.actions(ofType: "flow").map(\.name)
    let host = self.host
    let prefix = self.prefix
    let hasTelemetryAPI = environment.store != nil
    let announcement = Task {
      guard let port = try? await server.waitUntilRunning() else { return }
      Console.out(Self.announcement(host: host, port: port, prefix: prefix, flows: flows))
      if hasTelemetryAPI { Console.out("Telemetry API: http://\(host):\(port)/api/traces") }
      if let reflection, let reflectionPort = try? await reflection.waitUntilListening() {
        Console.out("Reflection API (dev): http://127.0.0.1:\(reflectionPort)/api/__health")
      }
    }
    do {
      try await server.runService()
    } catch {
      announcement.cancel()
      await environment.finish()
      throw CLIFailure(message: "UNAVAILABLE: could not serve on \(host):\(port): \(error)")
    }
    await announcement.value
    await environment.finish()
  }

  func serverConfiguration() -> FlowServerConfiguration {
    let key = apiKey ?? ProcessInfo.processInfo.environment[Self.apiKeyVariable]
    return FlowServerConfiguration(
      host: host, port: port, pathPrefix: prefix,
      cors: cors.isEmpty ? nil : FlowCORSOptions(allowedOrigins: cors), bodyLimit: maxBodyBytes,
      contextProvider: key.flatMap { $0.isEmpty ? nil : APIKeyContextProvider(key: $0) },
      durableStreams: durableStreams > 0 ? DurableStreams(timeToLive: .seconds(durableStreams)) : nil)
  }

  func modelOptions() throws -> ModelOptions {
    var arguments: [String] = []
    if let model { arguments += ["--model", model] }
    if let baseURL { arguments += ["--base-url", baseURL] }
    if let modelApiKey { arguments += ["--api-key", modelApiKey] }
    return try ModelOptions.parse(arguments)
  }

  /// `Serving 9 flows at http://127.0.0.1:3400/: jokeFlow, menuFlow, … (Ctrl-C to stop)`.
  static func announcement(host: String, port: Int, prefix: String, flows: [String]) -> String {
    let trimmed = prefix.split(separator: "/").joined(separator: "/")
    let base = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)/" + (trimmed.isEmpty ? "" : trimmed + "/")
    return "Serving \(flows.count) flows at \(base): \(flows.joined(separator: ", ")) (Ctrl-C to stop)"
  }
}
