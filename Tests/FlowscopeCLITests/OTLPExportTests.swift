import Flows
import Testing

@testable import FlowscopeCLI

@Suite("OTLP export switch of flowscope serve")
struct OTLPExportTests {
  @Test func anEndpointVariableAsksForExportUnlessTheSDKIsDisabled() {
    #expect(!OTLPExport.isRequested(by: [:]))
    #expect(OTLPExport.isRequested(by: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"]))
    #expect(OTLPExport.isRequested(by: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/v1/traces"]))
    #expect(!OTLPExport.isRequested(by: ["OTEL_EXPORTER_OTLP_ENDPOINT": ""]))
    #expect(
      !OTLPExport.isRequested(by: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318", "OTEL_SDK_DISABLED": "TRUE"]))
  }

  @Test func withoutTheTraitARequestIsAWarningNotAFailure() throws {
    let (service, note) = try OTLPExport.service(
      for: FlowRuntime(), environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"])
    if OTLPExport.isAvailable {
      #expect(service != nil)
      #expect(note?.contains("http://127.0.0.1:4318") == true)
    } else {
      #expect(service == nil)
      #expect(note?.contains("swift build --traits OTLP") == true)
    }
    let (none, silent) = try OTLPExport.service(for: FlowRuntime(), environment: [:])
    #expect(none == nil && silent == nil)
  }
}
