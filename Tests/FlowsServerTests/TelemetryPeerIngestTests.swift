import Flows
import FlowsServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Ingesting what the Python Genkit runtime (genkit 0.12.0, realtime dev export) POSTs to a
/// telemetry server: the 6 partial documents of its `steps` flow, in the order sent, must merge
/// into the trace the peer's own collector stored (peer/traces/steps-*.json).
@Suite struct TelemetryPeerIngestTests {
  typealias Kit = ReflectionTestKit

  func ingest(_ documents: [JSONValue]) async throws -> (stored: JSONValue, listed: JSONValue) {
    let storage = try Kit.Store()
    let router = Router()
    router.addTelemetryAPI(store: storage.store)
    return try await Kit.app(router).test(.router) { client in
      for document in documents {
        let response = try await client.execute(uri: "/api/traces", method: .post, body: Kit.body(document))
        #expect(response.status == .ok)
      }
      let trace = try await client.execute(uri: "/api/traces/9433c239707b573e2c92dcad314bed72", method: .get)
      #expect(trace.status == .ok)
      let list = try await client.execute(uri: "/api/traces", method: .get)
      return (try Kit.json(trace.body), try Kit.json(list.body))
    }
  }

  @Test func rawPostsMergeIntoThePeersTrace() async throws {
    let posts = try #require(try JSONValue(parsing: PeerSteps.rawPosts).arrayValue)
    #expect(posts.count == 6)
    let expected = try TraceData(json: JSONValue(parsing: PeerSteps.merged))
    let (stored, listed) = try await ingest(posts)
    let trace = try TraceData(json: stored)
    #expect(trace == expected)
    #expect(trace.spans["11c738207e6eee73"]?.attributes["genkit:output"] == "\"ABC\"")
    #expect(trace.endTime == 1795596546923.8066)

    let item = try #require(listed["traces"]?[0])
    #expect(item["traceId"] == "9433c239707b573e2c92dcad314bed72")
    #expect(item["displayName"] == "steps")
    #expect(item["spans"]?.objectValue?.keys == ["7786ad521f2ed3d3"])
  }

  @Test func endBeforeStartMergesTheSame() async throws {
    let posts = try #require(try JSONValue(parsing: PeerSteps.rawPosts).arrayValue)
    let expected = try TraceData(json: JSONValue(parsing: PeerSteps.merged))
    let (stored, _) = try await ingest(posts.reversed())
    #expect(try TraceData(json: stored) == expected)
  }
}

/// The Python peer's captures, verbatim apart from whitespace.
enum PeerSteps {
  static let rawPosts = #"""
    [
     {
      "traceId": "9433c239707b573e2c92dcad314bed72",
      "displayName": "steps",
      "startTime": 1795596546923.2983,
      "endTime": 0,
      "spans": {
       "7786ad521f2ed3d3": {
        "spanId": "7786ad521f2ed3d3",
        "traceId": "9433c239707b573e2c92dcad314bed72",
        "startTime": 1795596546923.2983,
        "endTime": 0.0,
        "attributes": {
         "genkit:name": "steps",
         "genkit:path": "/{steps,t:action,s:flow}",
         "genkit:qualifiedPath": "/{steps,t:action,s:flow}",
         "genkit:type": "action",
         "genkit:metadata:subtype": "flow",
         "genkit:metadata:flow:name": "steps",
         "genkit:input": "\"abc\""
        },
        "displayName": "steps",
        "instrumentationLibrary": {
         "name": "genkit-tracer",
         "version": "v1"
        },
        "spanKind": "INTERNAL",
        "status": {
         "code": 0.0
        },
        "timeEvents": {
         "timeEvent": []
        }
       }
      }
     },
     {
      "traceId": "9433c239707b573e2c92dcad314bed72",
      "spans": {
       "11c738207e6eee73": {
        "spanId": "11c738207e6eee73",
        "traceId": "9433c239707b573e2c92dcad314bed72",
        "parentSpanId": "7786ad521f2ed3d3",
        "startTime": 1795596546923.5227,
        "endTime": 0.0,
        "attributes": {
         "genkit:name": "uppercase",
         "genkit:path": "/{steps,t:action,s:flow}/{uppercase,t:flowStep}",
         "genkit:qualifiedPath": "/{steps,t:action,s:flow}/{uppercase,t:flowStep}",
         "genkit:type": "flowStep"
        },
        "displayName": "uppercase",
        "instrumentationLibrary": {
         "name": "genkit-tracer",
         "version": "v1"
        },
        "spanKind": "INTERNAL",
        "status": {
         "code": 0.0
        },
        "timeEvents": {
         "timeEvent": []
        }
       }
      }
     },
     {
      "traceId": "9433c239707b573e2c92dcad314bed72",
      "spans": {
       "11c738207e6eee73": {
        "spanId": "11c738207e6eee73",
        "traceId": "9433c239707b573e2c92dcad314bed72",
        "parentSpanId": "7786ad521f2ed3d3",
        "startTime": 1795596546923.5227,
        "endTime": 1795596546923.5972,
        "attributes": {
         "genkit:name": "uppercase",
         "genkit:path": "/{steps,t:action,s:flow}/{uppercase,t:flowStep}",
         "genkit:qualifiedPath": "/{steps,t:action,s:flow}/{uppercase,t:flowStep}",
         "genkit:type": "flowStep",
         "genkit:output": "\"ABC\"",
         "genkit:state": "success"
        },
        "displayName": "uppercase",
        "instrumentationLibrary": {
         "name": "genkit-tracer",
         "version": "v1"
        },
        "spanKind": "INTERNAL",
        "status": {
         "code": 0.0
        },
        "timeEvents": {
         "timeEvent": []
        }
       }
      }
     },
     {
      "traceId": "9433c239707b573e2c92dcad314bed72",
      "spans": {
       "9ad62728a5436104": {
        "spanId": "9ad62728a5436104",
        "traceId": "9433c239707b573e2c92dcad314bed72",
        "parentSpanId": "7786ad521f2ed3d3",
        "startTime": 1795596546923.6963,
        "endTime": 0.0,
        "attributes": {
         "genkit:name": "reverse",
         "genkit:path": "/{steps,t:action,s:flow}/{reverse,t:flowStep}",
         "genkit:qualifiedPath": "/{steps,t:action,s:flow}/{reverse,t:flowStep}",
         "genkit:type": "flowStep"
        },
        "displayName": "reverse",
        "instrumentationLibrary": {
         "name": "genkit-tracer",
         "version": "v1"
        },
        "spanKind": "INTERNAL",
        "status": {
         "code": 0.0
        },
        "timeEvents": {
         "timeEvent": []
        }
       }
      }
     },
     {
      "traceId": "9433c239707b573e2c92dcad314bed72",
      "spans": {
       "9ad62728a5436104": {
        "spanId": "9ad62728a5436104",
        "traceId": "9433c239707b573e2c92dcad314bed72",
        "parentSpanId": "7786ad521f2ed3d3",
        "startTime": 1795596546923.6963,
        "endTime": 1795596546923.7415,
        "attributes": {
         "genkit:name": "reverse",
         "genkit:path": "/{steps,t:action,s:flow}/{reverse,t:flowStep}",
         "genkit:qualifiedPath": "/{steps,t:action,s:flow}/{reverse,t:flowStep}",
         "genkit:type": "flowStep",
         "genkit:output": "\"CBA\"",
         "genkit:state": "success"
        },
        "displayName": "reverse",
        "instrumentationLibrary": {
         "name": "genkit-tracer",
         "version": "v1"
        },
        "spanKind": "INTERNAL",
        "status": {
         "code": 0.0
        },
        "timeEvents": {
         "timeEvent": []
        }
       }
      }
     },
     {
      "traceId": "9433c239707b573e2c92dcad314bed72",
      "displayName": "steps",
      "startTime": 1795596546923.2983,
      "endTime": 1795596546923.8066,
      "spans": {
       "7786ad521f2ed3d3": {
        "spanId": "7786ad521f2ed3d3",
        "traceId": "9433c239707b573e2c92dcad314bed72",
        "startTime": 1795596546923.2983,
        "endTime": 1795596546923.8066,
        "attributes": {
         "genkit:name": "steps",
         "genkit:path": "/{steps,t:action,s:flow}",
         "genkit:qualifiedPath": "/{steps,t:action,s:flow}",
         "genkit:type": "action",
         "genkit:metadata:subtype": "flow",
         "genkit:metadata:flow:name": "steps",
         "genkit:input": "\"abc\"",
         "genkit:output": "{\"upper\": \"ABC\", \"reversed\": \"CBA\"}",
         "genkit:state": "success"
        },
        "displayName": "steps",
        "instrumentationLibrary": {
         "name": "genkit-tracer",
         "version": "v1"
        },
        "spanKind": "INTERNAL",
        "status": {
         "code": 0.0
        },
        "timeEvents": {
         "timeEvent": []
        }
       }
      }
     }
    ]
    """#

  static let merged = #"""
    {
     "traceId": "9433c239707b573e2c92dcad314bed72",
     "spans": {
      "7786ad521f2ed3d3": {
       "spanId": "7786ad521f2ed3d3",
       "traceId": "9433c239707b573e2c92dcad314bed72",
       "startTime": 1795596546923.2983,
       "endTime": 1795596546923.8066,
       "attributes": {
        "genkit:name": "steps",
        "genkit:path": "/{steps,t:action,s:flow}",
        "genkit:qualifiedPath": "/{steps,t:action,s:flow}",
        "genkit:type": "action",
        "genkit:metadata:subtype": "flow",
        "genkit:metadata:flow:name": "steps",
        "genkit:input": "\"abc\"",
        "genkit:output": "{\"upper\": \"ABC\", \"reversed\": \"CBA\"}",
        "genkit:state": "success"
       },
       "displayName": "steps",
       "instrumentationLibrary": {
        "name": "genkit-tracer",
        "version": "v1"
       },
       "spanKind": "INTERNAL",
       "status": {
        "code": 0.0
       },
       "timeEvents": {
        "timeEvent": []
       }
      },
      "11c738207e6eee73": {
       "spanId": "11c738207e6eee73",
       "traceId": "9433c239707b573e2c92dcad314bed72",
       "parentSpanId": "7786ad521f2ed3d3",
       "startTime": 1795596546923.5227,
       "endTime": 1795596546923.5972,
       "attributes": {
        "genkit:name": "uppercase",
        "genkit:path": "/{steps,t:action,s:flow}/{uppercase,t:flowStep}",
        "genkit:qualifiedPath": "/{steps,t:action,s:flow}/{uppercase,t:flowStep}",
        "genkit:type": "flowStep",
        "genkit:output": "\"ABC\"",
        "genkit:state": "success"
       },
       "displayName": "uppercase",
       "instrumentationLibrary": {
        "name": "genkit-tracer",
        "version": "v1"
       },
       "spanKind": "INTERNAL",
       "status": {
        "code": 0.0
       },
       "timeEvents": {
        "timeEvent": []
       }
      },
      "9ad62728a5436104": {
       "spanId": "9ad62728a5436104",
       "traceId": "9433c239707b573e2c92dcad314bed72",
       "parentSpanId": "7786ad521f2ed3d3",
       "startTime": 1795596546923.6963,
       "endTime": 1795596546923.7415,
       "attributes": {
        "genkit:name": "reverse",
        "genkit:path": "/{steps,t:action,s:flow}/{reverse,t:flowStep}",
        "genkit:qualifiedPath": "/{steps,t:action,s:flow}/{reverse,t:flowStep}",
        "genkit:type": "flowStep",
        "genkit:output": "\"CBA\"",
        "genkit:state": "success"
       },
       "displayName": "reverse",
       "instrumentationLibrary": {
        "name": "genkit-tracer",
        "version": "v1"
       },
       "spanKind": "INTERNAL",
       "status": {
        "code": 0.0
       },
       "timeEvents": {
        "timeEvent": []
       }
      }
     },
     "displayName": "steps",
     "startTime": 1795596546923.2983,
     "endTime": 1795596546923.8066
    }
    """#
}
