// swift-tools-version:6.0
import PackageDescription

// One idea per module, data flowing one way:
// CLMDB → LMDB → EventStore → (SocialValue → Projections → Reports) → svledger.
let package = Package(
    name: "svledger",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "svledger", targets: ["svledger"]),
        .library(name: "EventStore", targets: ["EventStore"]),
        .library(name: "SocialValue", targets: ["SocialValue"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .target(name: "LMDB", dependencies: ["CLMDB"]),
        .target(
            name: "EventStore",
            dependencies: ["LMDB", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "SocialValue",
            dependencies: ["EventStore"],
            resources: [.copy("Resources")]
        ),
        .target(name: "Projections", dependencies: ["EventStore", "SocialValue", "LMDB"]),
        // Cabinet report, portal import, exports: read from projections, write through Ledger.
        .target(name: "Reports", dependencies: ["EventStore", "SocialValue", "Projections", "Ledger"]),
        // Applies domain commands to the store: read state, decide, append all or none,
        // with the projections updated in the same transaction.
        .target(name: "Ledger", dependencies: ["EventStore", "SocialValue", "Projections"]),
        // The peer in the benchmark: the same log kept in the system's SQLite.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .executableTarget(
            name: "svledger-bench",
            dependencies: [
                "Ledger", "Projections", "Reports", "EventStore", "LMDB", "CSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Bench"
        ),
        .executableTarget(
            name: "svledger",
            dependencies: [
                "EventStore",
                "SocialValue",
                "Projections",
                "Ledger",
                "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Shared by the test targets: temporary ledgers and running the built executable.
        .target(name: "TestSupport", dependencies: ["LMDB"], path: "Tests/TestSupport"),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB", "TestSupport"]),
        .testTarget(name: "EventStoreTests", dependencies: ["EventStore", "LMDB", "TestSupport"]),
        .testTarget(name: "SocialValueTests", dependencies: ["SocialValue", "EventStore"]),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "Projections", "SocialValue", "EventStore", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Ledger", "Projections", "SocialValue", "EventStore", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["svledger", "Ledger", "EventStore", "LMDB", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
