// The ceiling of the HTTP stack that `flowscope serve` is built on: a Hummingbird 2 application
// with one route, `POST /trivial`, that reads the request body and answers `{"result":"hello"}`
// (what `Benchmarks/post.lua` checks for), with no flow, no tracing and no store.
// `Benchmarks/http.sh --baseline` runs the same wrk load against it, so the flow server's figures
// can be read against what the framework alone does on the same machine in the same run.
//
//   HTTPBaseline PORT [--nio-executor] [--threads=N]
//
// `--nio-executor` first installs NIO's event loops as Swift's global executor (measured slower
// here: see Benchmarks/README.md).
import Hummingbird
import NIOCore
import NIOPosix

let arguments = CommandLine.arguments.dropFirst()
let port = arguments.first.flatMap { Int($0) } ?? 8080
if arguments.contains("--nio-executor") {
  _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}

let answer = ByteBuffer(string: #"{"result":"hello"}"#)
let router = Router()
router.post("trivial") { request, _ -> Response in
  _ = try await request.body.collect(upTo: 1 << 20)
  return Response(
    status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: answer))
}
let threads = arguments.first { $0.hasPrefix("--threads=") }.flatMap { Int($0.dropFirst("--threads=".count)) }
let application = Application(
  router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port)),
  eventLoopGroupProvider: threads.map { .shared(MultiThreadedEventLoopGroup(numberOfThreads: $0)) } ?? .singleton)
try await application.runService()
