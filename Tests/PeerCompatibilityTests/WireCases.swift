import Flows

/// What kind of body a response says it has.
enum ContentClass: String, Sendable, CustomStringConvertible {
  case json = "application/json"
  case eventStream = "text/event-stream"
  case plainText = "text/plain"
  case none = "(none)"
  case other = "(other)"

  init(_ contentType: String?) {
    guard let contentType else {
      self = .none
      return
    }
    let essence = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    switch essence {
    case "application/json": self = .json
    case "text/event-stream": self = .eventStream
    case "text/plain": self = .plainText
    default: self = .other
    }
  }

  var description: String { rawValue }
}

/// An expected body. In JSON patterns the string `"<any>"` matches any value; objects must have
/// exactly the pattern's keys (after `WireNormalizer` dropped stacks and trace ids).
enum BodyPattern: Sendable {
  case json(JSONValue)
  /// SSE frames in order: field name (`data`) and JSON payload pattern.
  case frames([(field: String, payload: JSONValue)])
  case text(String)
}

/// Status, content type class and body.
struct WireExpectation: Sendable {
  var status: Int
  var contentClass: ContentClass
  var body: BodyPattern
  /// A header that must be present with this value (e.g. `Allow: POST`).
  var header: (name: String, value: String)? = nil
}

/// Why our response may differ from the peer's.
enum Difference: Sendable {
  /// Chosen: the peer is wrong or weaker here, and we follow Genkit JS (§4.1 of genkit-protocol.md).
  case deliberate(String)
  /// Not chosen: a divergence the flow server should fix (reported, tracked as a known issue).
  case unintended(String)
}

/// One case of the peer captures (shared/reference/peer/http/NN-*.txt), replayed against both servers.
struct WireCase: Sendable {
  /// The capture's number and name, e.g. `07-error-plain`.
  var id: String
  var request: WireRequest
  /// What the peer (genkit 0.12.0 + genkit-fastapi) answers: asserted, so the table stays true.
  var peer: WireExpectation
  /// What we answer when it is not the peer's response field for field; nil means "same as the peer"
  /// (status, content type class, and the normalized JSON body or frames compared value by value).
  var ours: WireExpectation? = nil
  var difference: Difference? = nil
}

// Shorthands for the table.
private let any: JSONValue = "<any>"
private func error(_ status: String, _ message: JSONValue = "<any>", details: JSONValue? = nil) -> JSONValue {
  var object: JSONObject = ["status": .string(status), "message": message]
  if let details { object["details"] = details }
  return .object(object)
}
private func post(_ path: String, _ body: String?, accept: String? = nil, contentType: String? = "application/json")
  -> WireRequest
{
  var headers: [(String, String)] = []
  if let contentType { headers.append(("Content-Type", contentType)) }
  if let accept { headers.append(("Accept", accept)) }
  return WireRequest(path: path, headers: headers, body: body)
}
private let sse = "text/event-stream"

enum WireCases {
  /// Deliberate header differences (checked in `everyCaseMatchesThePeer`): we add what Genkit JS sends.
  static let headerDifferences = [
    "X-Genkit-Trace-Id / X-Genkit-Span-Id on every response of a run (JS sets them; the peer sends none)",
    "SSE Content-Type `text/event-stream` without `; charset=utf-8`, plus `Cache-Control: no-cache` (as Go)",
  ]

  static let all: [WireCase] = [
    WireCase(
      id: "01-success", request: post("/greet", #"{"data":{"name":"Ada","times":2}}"#),
      peer: .init(
        status: 200, contentClass: .json,
        body: .json(["result": ["greeting": "Hello, Ada! Hello, Ada!", "length": 23]]))),
    WireCase(
      id: "02-success-default", request: post("/greet", #"{"data":{"name":"Ada"}}"#),
      peer: .init(status: 200, contentClass: .json, body: .json(["result": ["greeting": "Hello, Ada!", "length": 11]]))),
    WireCase(
      id: "03-stream-accept", request: post("/countdown", #"{"data":3}"#, accept: sse),
      peer: .init(
        status: 200, contentClass: .eventStream,
        body: .frames([
          ("data", ["message": ["tick": 3]]), ("data", ["message": ["tick": 2]]), ("data", ["message": ["tick": 1]]),
          ("data", ["result": "liftoff"]),
        ]))),
    WireCase(
      id: "04-stream-query", request: post("/countdown?stream=true", #"{"data":3}"#),
      peer: .init(
        status: 200, contentClass: .eventStream,
        body: .frames([
          ("data", ["message": ["tick": 3]]), ("data", ["message": ["tick": 2]]), ("data", ["message": ["tick": 1]]),
          ("data", ["result": "liftoff"]),
        ]))),
    WireCase(
      id: "04b-manychunks-stream", request: post("/manychunks", #"{"data":3}"#, accept: sse),
      peer: .init(
        status: 200, contentClass: .eventStream,
        body: .frames([
          ("data", ["message": 0]), ("data", ["message": 1]), ("data", ["message": 2]), ("data", ["result": 3]),
        ]))),
    WireCase(
      id: "05-stream-nonstreamflow", request: post("/greet", #"{"data":{"name":"Ada"}}"#, accept: sse),
      peer: .init(
        status: 200, contentClass: .eventStream,
        body: .frames([("data", ["result": ["greeting": "Hello, Ada!", "length": 11]])]))),
    WireCase(
      id: "06-steps", request: post("/steps", #"{"data":"abc"}"#),
      peer: .init(status: 200, contentClass: .json, body: .json(["result": ["upper": "ABC", "reversed": "CBA"]]))),
    WireCase(
      id: "07-error-plain", request: post("/boom", #"{"data":"x"}"#),
      peer: .init(status: 500, contentClass: .json, body: .json(error("INTERNAL", "kaboom: x")))),
    WireCase(
      id: "08-error-genkit-notfound", request: post("/public_err", #"{"data":"x"}"#),
      peer: .init(status: 500, contentClass: .json, body: .json(error("INTERNAL", "None"))),
      ours: .init(status: 404, contentClass: .json, body: .json(error("NOT_FOUND", "no such thing: x"))),
      difference: .deliberate("peer bug: serializes err.cause (None); we keep the status and map it (JS getHttpStatus)")
    ),
    WireCase(
      id: "09-error-stream", request: post("/boom", #"{"data":"x"}"#, accept: sse),
      peer: .init(
        status: 200, contentClass: .eventStream, body: .frames([("data", ["error": error("INTERNAL", "kaboom: x")])]))),
    WireCase(
      id: "24-error-genkit-stream", request: post("/public_err", #"{"data":"x"}"#, accept: sse),
      peer: .init(
        status: 200, contentClass: .eventStream, body: .frames([("data", ["error": error("INTERNAL", "None")])])),
      ours: .init(
        status: 200, contentClass: .eventStream,
        body: .frames([("data", ["error": error("NOT_FOUND", "no such thing: x")])])),
      difference: .deliberate("peer bug (\"None\" message, status lost); we keep NOT_FOUND and the message")),
    WireCase(
      id: "10-malformed-json", request: post("/greet", #"{"data": {"name": "#),
      peer: .init(status: 500, contentClass: .plainText, body: .text("Internal Server Error")),
      ours: .init(
        status: 400, contentClass: .json,
        body: .json(error("INVALID_ARGUMENT", any, details: ["line": any, "column": any]))),
      difference: .deliberate("peer crashes (uncaught JSONDecodeError, plain-text 500); a client error is a JSON 400")),
    WireCase(
      id: "11-schema-violation", request: post("/greet", #"{"data":{"name":5}}"#),
      peer: .init(status: 500, contentClass: .json, body: .json(error("INTERNAL"))),
      ours: .init(status: 400, contentClass: .json, body: .json(error("INVALID_ARGUMENT", any, details: any))),
      difference: .deliberate("peer reports INTERNAL/500 with pydantic text; JS: INVALID_ARGUMENT → 400")),
    WireCase(
      id: "12-schema-constraint", request: post("/greet", #"{"data":{"name":"Ada","times":99}}"#),
      peer: .init(status: 500, contentClass: .json, body: .json(error("INTERNAL"))),
      ours: .init(status: 400, contentClass: .json, body: .json(error("INVALID_ARGUMENT", any, details: any))),
      difference: .deliberate("as 11")),
    WireCase(
      id: "21-schema-violation-stream", request: post("/greet", #"{"data":{"name":5}}"#, accept: sse),
      peer: .init(status: 200, contentClass: .eventStream, body: .frames([("data", ["error": error("INTERNAL")])])),
      ours: .init(
        status: 200, contentClass: .eventStream, body: .frames([("data", ["error": error("INVALID_ARGUMENT")])])),
      difference: .deliberate("as 11, in the stream's error frame")),
    WireCase(
      id: "13-missing-data-wrapper", request: post("/greet", #"{"name":"Ada"}"#),
      peer: .init(status: 400, contentClass: .json, body: .json(error("INTERNAL", "None"))),
      ours: .init(
        status: 400, contentClass: .json,
        body: .json(error("INVALID_ARGUMENT", #"Action request must be wrapped in {"data": ...} object"#))),
      difference: .deliberate("peer bug (\"None\"/INTERNAL); we send the peer's intended INVALID_ARGUMENT message")),
    WireCase(
      id: "14-empty-object", request: post("/greet", "{}"),
      peer: .init(status: 500, contentClass: .json, body: .json(error("INTERNAL"))),
      ours: .init(status: 400, contentClass: .json, body: .json(error("INVALID_ARGUMENT", any, details: any))),
      difference: .deliberate("{} means a null input (as the peer); the schema refusal is 400 as in 11")),
    WireCase(
      id: "15-non-object-body", request: post("/greet", "[1,2]"),
      peer: .init(status: 400, contentClass: .json, body: .json(error("INTERNAL", "None"))),
      ours: .init(
        status: 400, contentClass: .json,
        body: .json(error("INVALID_ARGUMENT", #"Action request must be wrapped in {"data": ...} object"#))),
      difference: .deliberate("as 13")),
    WireCase(
      id: "16-unknown-flow", request: post("/nope", #"{"data":1}"#),
      peer: .init(status: 404, contentClass: .json, body: .json(["detail": "Not Found"])),
      ours: .init(status: 404, contentClass: .json, body: .json(error("NOT_FOUND"))),
      difference: .deliberate("same status; Genkit error shape instead of FastAPI's {\"detail\"}")),
    WireCase(
      id: "17-get-method", request: WireRequest(method: "GET", path: "/greet", headers: [], body: nil),
      peer: .init(
        status: 405, contentClass: .json, body: .json(["detail": "Method Not Allowed"]), header: ("allow", "POST")),
      ours: .init(status: 405, contentClass: .json, body: .json(error("INVALID_ARGUMENT")), header: ("allow", "POST")),
      difference: .deliberate("same status and Allow; Genkit error shape instead of FastAPI's {\"detail\"}")),
    WireCase(
      id: "20-input-key", request: post("/trivial", #"{"input":"via input key"}"#),
      peer: .init(status: 200, contentClass: .json, body: .json(["result": "via input key"]))),
    WireCase(
      id: "22-no-content-type", request: post("/trivial", #"{"data":"x"}"#, contentType: nil),
      peer: .init(status: 200, contentClass: .json, body: .json(["result": "x"]))),
    WireCase(
      id: "23-empty-body", request: post("/trivial", nil),
      peer: .init(status: 500, contentClass: .plainText, body: .text("Internal Server Error")),
      ours: .init(status: 400, contentClass: .json, body: .json(error("INVALID_ARGUMENT"))),
      difference: .deliberate("as 10")),
    WireCase(
      id: "25-null-data-required", request: post("/trivial", #"{"data":null}"#),
      peer: .init(status: 500, contentClass: .json, body: .json(error("INTERNAL"))),
      ours: .init(status: 400, contentClass: .json, body: .json(error("INVALID_ARGUMENT", any, details: any))),
      difference: .deliberate("as 11")),
  ]
}
