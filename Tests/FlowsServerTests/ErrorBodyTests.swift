import Flows
import FlowsServer
import Testing

@Suite struct ErrorBodyTests {
  @Test func mapsStatusAndKeepsDetails() {
    let body = HTTPErrorBody(FlowError(.invalidArgument, "$.subject: expected string", details: ["path": "$.subject"]))
    #expect(body.httpStatus == 400)
    #expect(body.json["status"] == "INVALID_ARGUMENT")
    #expect(body.json["details"]?["path"] == "$.subject")
    #expect(HTTPErrorBody.streamingError(FlowError(.notFound, "x"))["error"]?["status"] == "NOT_FOUND")
  }
}
