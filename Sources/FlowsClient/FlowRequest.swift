import AsyncHTTPClient
import Flows
import NIOCore

/// One flow call's HTTP request: `POST <url>` with `{"data": input}`.
struct FlowRequest: Sendable {
  let url: String
  let body: ByteBuffer
  /// Extra headers in the order they are applied (later ones replace earlier ones of the same
  /// name, whatever the case).
  let headers: [(name: String, value: String)]
  let streaming: Bool

  /// A request with `clientHeaders`, then `callHeaders` (which win).
  init(
    url: String, input: JSONValue, clientHeaders: [String: String], callHeaders: [String: String], streaming: Bool
  ) {
    self.url = url
    let envelope: JSONValue = ["data": input]
    self.body = ByteBuffer(bytes: envelope.serializedBytes())
    self.headers =
      clientHeaders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
      + callHeaders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    self.streaming = streaming
  }

  /// The request to send. The extra headers replace the defaults of the same name.
  func make() -> HTTPClientRequest {
    var request = HTTPClientRequest(url: url)
    request.method = .POST
    request.headers.add(name: "Content-Type", value: "application/json")
    request.headers.add(name: "Accept", value: streaming ? "text/event-stream" : "application/json")
    request.headers.add(name: "User-Agent", value: "flowscope")
    for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
    request.body = .bytes(body)
    return request
  }

  /// `base` without trailing slashes, a `/`, and `flow` with the bytes that cannot appear in a
  /// URL path percent-encoded (`/` is kept, so a flow may be served at a nested path).
  static func url(base: String, flow: String) -> String {
    var base = Substring(base)
    while base.hasSuffix("/") { base = base.dropLast() }
    var flowName = Substring(flow)
    while flowName.hasPrefix("/") { flowName = flowName.dropFirst() }
    var path: [UInt8] = []
    path.reserveCapacity(flowName.utf8.count)
    for byte in flowName.utf8 {
      if isPathByte(byte) {
        path.append(byte)
      } else {
        path.append(0x25)  // %
        path.append(hexDigits[Int(byte >> 4)])
        path.append(hexDigits[Int(byte & 0x0F)])
      }
    }
    return base + "/" + String(decoding: path, as: UTF8.self)
  }

  /// RFC 3986 `pchar` bytes plus `/`.
  private static func isPathByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"):
      return true
    default:
      return "-._~!$&'()*+,;=:@/".utf8.contains(byte)
    }
  }

  private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
