import Flows
import Testing

@testable import FlowsServer

/// Pure helpers: content types, stream detection, paths, API keys.
@Suite struct RequestParsingTests {
  @Test func contentTypes() throws {
    for accepted in [
      nil, "", "application/json", "Application/JSON; charset=UTF-8", "application/ld+json", "text/plain",
    ] {
      #expect(throws: Never.self) { try FlowRequestParser.checkContentType(accepted) }
    }
    for refused in ["application/xml", "multipart/form-data; boundary=x", "image/png"] {
      #expect(throws: FlowRequestError.self) { try FlowRequestParser.checkContentType(refused) }
    }
  }

  @Test func streamDetection() {
    #expect(FlowRequestParser.wantsStream(accept: "text/event-stream", streamQuery: nil))
    #expect(FlowRequestParser.wantsStream(accept: "application/json, Text/Event-Stream", streamQuery: nil))
    #expect(FlowRequestParser.wantsStream(accept: nil, streamQuery: "true"))
    #expect(!FlowRequestParser.wantsStream(accept: "application/json", streamQuery: "false"))
    #expect(!FlowRequestParser.wantsStream(accept: nil, streamQuery: nil))
  }

  @Test func inputExtraction() throws {
    #expect(try FlowRequestParser.input(fromBody: Array(#"{"data":{"a":1},"init":2}"#.utf8)) == ["a": 1])
    #expect(try FlowRequestParser.input(fromBody: Array(#"{"data":null}"#.utf8)) == .null)
    #expect(try FlowRequestParser.input(fromBody: Array(" {} ".utf8)) == .null)
  }

  @Test func prefixes() {
    #expect(FlowRoutePaths.normalizedPrefix("") == "")
    #expect(FlowRoutePaths.normalizedPrefix("/") == "")
    #expect(FlowRoutePaths.normalizedPrefix("api/") == "/api")
    #expect(FlowRoutePaths.join("/api/v1/", "/greet") == "/api/v1/greet")
    #expect(FlowRoutePaths.join("", "greet") == "/greet")
  }

  @Test func apiKeys() {
    #expect(APIKeyContextProvider.presentedKey("Bearer abc") == "abc")
    #expect(APIKeyContextProvider.presentedKey("bearer  abc ") == "abc")
    #expect(APIKeyContextProvider.presentedKey("abc") == "abc")
    #expect(APIKeyContextProvider.constantTimeEquals(Array("abc".utf8), Array("abc".utf8)))
    #expect(!APIKeyContextProvider.constantTimeEquals(Array("abc".utf8), Array("abd".utf8)))
    #expect(!APIKeyContextProvider.constantTimeEquals(Array("abc".utf8), Array("abcabc".utf8)))
    #expect(!APIKeyContextProvider.constantTimeEquals([], Array("a".utf8)))
  }

  @Test func headerNamesAreLowerCased() {
    let data = FlowRequestData(method: "POST", path: "/x", headers: ["Authorization": "k", "X-A": "1"], input: .null)
    #expect(data.headers == ["authorization": "k", "x-a": "1"])
  }
}
