// swift-tools-version: 6.2
import PackageDescription

let package = Package(
  name: "Flowscope",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "Flows", targets: ["Flows"]),
    .library(name: "FlowsAI", targets: ["FlowsAI"]),
    .library(name: "TraceStore", targets: ["TraceStore"]),
    .library(name: "FlowsOpenAI", targets: ["FlowsOpenAI"]),
    .library(name: "FlowsServer", targets: ["FlowsServer"]),
    .library(name: "FlowsClient", targets: ["FlowsClient"]),
    // Opt-in: OTLP export through swift-otel (its build takes minutes; the core products do not need it).
    .library(name: "FlowsOTel", targets: ["FlowsOTel"]),
    .executable(name: "flowscope", targets: ["flowscope"]),
  ],
  traits: [
    .trait(
      name: "OTLP",
      description:
        "flowscope serve also exports spans over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (builds swift-otel)"
    )
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
  ],
  targets: [
    .target(name: "Flows", dependencies: [.product(name: "Logging", package: "swift-log")]),
    .target(name: "FlowsAI", dependencies: ["Flows"]),
    .target(
      name: "FlowsOpenAI",
      dependencies: [
        "Flows", "FlowsAI", "FlowsClient", .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    .target(
      name: "TraceStore",
      dependencies: [
        "Flows", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ]
    ),
    .target(
      name: "FlowsClient",
      dependencies: [
        "Flows", .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    .target(
      name: "FlowsServer",
      dependencies: [
        "Flows", "TraceStore", "FlowsClient", .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .target(
      name: "FlowsOTel",
      dependencies: [
        "Flows", .product(name: "OTel", package: "swift-otel"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]
    ),
    .target(
      name: "FlowscopeCLI",
      dependencies: [
        "Flows", "FlowsAI", "FlowsOpenAI", "TraceStore", "FlowscopeTUI", "FlowsServer", "FlowsClient",
        .target(name: "FlowsOTel", condition: .when(traits: ["OTLP"])),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .systemLibrary(name: "CNCurses", providers: [.apt(["libncurses-dev"])]),
    .target(name: "FlowscopeTUI", dependencies: ["Flows", "FlowsAI", "TraceStore", "CNCurses"]),
    .executableTarget(name: "flowscope", dependencies: ["FlowscopeCLI"]),
    .executableTarget(
      name: "FlowsBenchmarks",
      dependencies: ["Flows", "FlowsAI", "FlowsOpenAI", "FlowsClient", "TraceStore"],
      path: "Benchmarks/FlowsBenchmarks"
    ),
    .executableTarget(
      name: "HTTPBaseline",
      dependencies: [
        .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      path: "Benchmarks/HTTPBaseline"
    ),
    .executableTarget(
      name: "TUIBenchmarks", dependencies: ["FlowscopeTUI", "Flows"], path: "Benchmarks/TUIBenchmarks"),
    .target(
      name: "FlowsTestSupport",
      dependencies: [
        "Flows", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
      ],
      path: "Tests/FlowsTestSupport"
    ),
    .testTarget(
      name: "FlowsTests",
      dependencies: ["Flows", "FlowsTestSupport", .product(name: "Logging", package: "swift-log")],
      exclude: ["Fixtures"]),
    .testTarget(name: "FlowsAITests", dependencies: ["FlowsAI", "Flows", "FlowsTestSupport"]),
    .testTarget(
      name: "FlowsOpenAITests",
      dependencies: [
        "FlowsOpenAI", "FlowsAI", "Flows", "FlowsTestSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ],
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "TraceStoreTests",
      dependencies: ["TraceStore", "Flows", .product(name: "GRDB", package: "GRDB.swift")]
    ),
    .testTarget(
      name: "FlowscopeCLITests",
      dependencies: [
        "FlowscopeCLI", "flowscope", "FlowsClient", "Flows", "FlowsServer", "TraceStore", "FlowscopeTUI",
        "FlowsTestSupport",
      ]
    ),
    .testTarget(name: "FlowscopeEndToEndTests", dependencies: ["flowscope", "Flows", "FlowsTestSupport"]),
    .testTarget(
      name: "PeerCompatibilityTests",
      dependencies: [
        "flowscope", "FlowsClient", "Flows", "FlowsTestSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ]
    ),
    .testTarget(
      name: "FlowsClientTests",
      dependencies: [
        "FlowsClient", "FlowsServer", "Flows", "FlowsTestSupport",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
      ]
    ),
    .testTarget(
      name: "FlowsServerTests",
      dependencies: [
        "FlowsServer", "FlowsClient", "Flows", "FlowsAI", "TraceStore", "FlowsTestSupport",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HummingbirdTesting", package: "hummingbird"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]
    ),
    .testTarget(
      name: "FlowsOTelTests",
      dependencies: [
        "FlowsOTel", "Flows", "FlowsAI", "FlowsServer", "TraceStore", "FlowsTestSupport",
        .product(name: "OTel", package: "swift-otel"),
        .product(name: "Tracing", package: "swift-distributed-tracing"),
        .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]
    ),
    .testTarget(
      name: "FlowscopeTUITests",
      dependencies: [
        "FlowscopeTUI", "Flows", "FlowsAI", "TraceStore", "FlowsTestSupport",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
  ],
  swiftLanguageModes: [.v6]
)
