// swift-tools-version:6.1
import PackageDescription

// One idea per module, data flowing one way (README "Architecture"; tools/check_module_graph.py
// fails the tests on an import this manifest does not declare, on a declared edge nothing
// imports, and on a domain module that reaches storage or SHA-256):
//
//   LedgerValues ─┬─> SocialValue ─┬─> Projections ─> Ledger ─┬─> Queries ─┬─> Server ─> svledger
//   CLMDB > LMDB ─┴─> EventStore ──┘        │                 │            └──────────────^
//   Transparency ──^ (Merkle trees, checkpoints, witnesses; also under Ledger, Queries, Server, svledger)
//                                  │       └──> Reports ─────┘                           │
//                                  └─> OpenContracting (SocialValue, EventStore) ──────────┘
//   Mail (SMTP on SwiftNIO and NIOSSL, knowing nothing of the ledger) ─────────────────> svledger
//   Spreadsheets (XLSX with ZIPFoundation and XMLCoder) ──> Reports, svledger
//   Replication (a follower reading its primary's HTTP API; EventStore, Ledger) ──> Server, svledger
//   Hub (a follower into PostgreSQL with postgres-nio; EventStore, Replication) ──> svledger
//
// Queries holds what every front end's reads share (where a read looks, the figures it
// reconciles, the audit trail); Server is `svledger serve` (Hummingbird), beside the CLI.
// LedgerValues and SocialValue link neither liblmdb nor swift-crypto. The benchmark is a
// package of its own (Benchmarks/), so building the product needs only liblmdb and, on Linux,
// TCMalloc (the executable's malloc).
let package = Package(
    name: "svledger",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "svledger", targets: ["svledger"]),
        .library(name: "LedgerValues", targets: ["LedgerValues"]),
        .library(name: "LMDB", targets: ["LMDB"]),
        .library(name: "Transparency", targets: ["Transparency"]),
        .library(name: "EventStore", targets: ["EventStore"]),
        .library(name: "SocialValue", targets: ["SocialValue"]),
        .library(name: "Projections", targets: ["Projections"]),
        .library(name: "Ledger", targets: ["Ledger"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "Queries", targets: ["Queries"]),
        .library(name: "Server", targets: ["Server"]),
        .library(name: "SyntheticData", targets: ["SyntheticData"]),
        .library(name: "OpenContracting", targets: ["OpenContracting"]),
    ],
    // `Server` (default): the svledger executable includes `svledger serve`. Building without it
    // (`swift build -c release --product svledger --disable-default-traits`) leaves Hummingbird
    // and SwiftNIO out of the build, for a check that needs only the ledger (tools/test's scale check).
    traits: [
        .trait(name: "Server", description: "svledger serve: the ledger over HTTP (Hummingbird, SwiftNIO); and follow --postgres, the hub (postgres-nio)"),
        .default(enabledTraits: ["Server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The server. Hummingbird without its default traits (swift-configuration, full
        // Foundation), which svledger does not use and would only lengthen the build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // Sessions for the web app (SessionMiddleware) and bcrypt for its passwords.
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        // A file sent from a page (a pledge table) comes as multipart/form-data.
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        // The Cabinet report's page is megabytes at scale: sent gzipped to browsers that take it.
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/CoreOffice/XMLCoder", from: "0.18.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The ledger's value vocabulary: canonical JSON, event ids, timestamps and dates,
        // bytes and hex, chain hashes as values, actor identity. Imports nothing of ours.
        .target(name: "LedgerValues"),
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .target(name: "LMDB", dependencies: ["CLMDB"]),
        // Merkle trees over a log (RFC 9162 heads and proofs), signed notes, checkpoints and
        // witness cosignatures (C2SP): what lets a council be held to the history it published.
        // Pure: it knows no storage and no ledger.
        .target(name: "Transparency", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The append-only log on LMDB: envelopes, streams, the SHA-256 chain, the Merkle tree
        // beside it, verification.
        .target(
            name: "EventStore",
            dependencies: ["LedgerValues", "LMDB", "Transparency", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The domain, pure: reaches no storage.
        .target(name: "SocialValue", dependencies: ["LedgerValues"], resources: [.copy("Resources")]),
        // Who may act: roles, grants and tokens as events in the ledger's `access` stream,
        // folded and decided like the domain. Pure: reaches no storage.
        .target(name: "Access", dependencies: ["LedgerValues"]),
        // The secrets that let people sign in to the web app (invitations, bcrypt password
        // hashes, sessions), in an LMDB environment of their own beside the ledger, never in
        // the chained log.
        .target(
            name: "Credentials",
            dependencies: [
                "LedgerValues", "LMDB", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ],
            // The most common passwords, refused (tools/common_passwords.py writes the list).
            resources: [.copy("Resources")]
        ),
        // Read models folded from the log, held in memory, never stored.
        .target(name: "Projections", dependencies: ["LedgerValues", "EventStore", "SocialValue", "Transparency"]),
        // The application layer: read state, decide, append all or none. (LMDB only to drop
        // the projection databases older versions stored.)
        .target(
            name: "Ledger",
            dependencies: ["LedgerValues", "EventStore", "SocialValue", "Projections", "Access", "Transparency", "LMDB", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Cabinet report and portal import: read folded contracts, render; never write the log.
        .target(
            name: "Reports",
            dependencies: ["LedgerValues", "SocialValue", "Projections", "Transparency", "Spreadsheets", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // What every front end's reads share: where a read looks (as-of, at, on), the figures it
        // reconciles with their digest, the audit trail. Used by the CLI and the server alike.
        .target(name: "Queries", dependencies: ["LedgerValues", "EventStore", "Transparency", "SocialValue", "Projections", "Ledger", "Reports"]),
        // `svledger serve`: the same Ledger, Projections, Queries and Reports over HTTP, with
        // authenticated roles, problem+json errors, Prometheus metrics and graceful shutdown.
        .target(
            name: "Server",
            dependencies: [
                "LedgerValues", "LMDB", "EventStore", "SocialValue", "Projections", "Ledger", "Reports", "Queries", "Access", "Credentials", "Transparency", "Spreadsheets",
                "Replication",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The OpenAPI document served at /openapi.json (tools/openapi.py writes it).
            resources: [.copy("Resources")]
        ),
        // Open Contracting: the log exported as OCDS releases and records, and contracts
        // registered from published OCDS notices as ordinary commands.
        .target(name: "OpenContracting", dependencies: ["LedgerValues", "SocialValue", "EventStore", "Transparency"]),
        // A tool, not the product: a seeded synthetic portfolio for tests, the benchmark and
        // `svledger generate`.
        .target(name: "SyntheticData", dependencies: ["LedgerValues", "SocialValue", "Ledger"]),
        .target(name: "Replication", dependencies: ["LedgerValues", "EventStore", "Ledger", "Transparency"]),
        .target(
            name: "Hub",
            dependencies: [
                "LedgerValues", "EventStore", "Replication", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Migrations")]),
        // Email through the council's SMTP relay (plain, STARTTLS or TLS, AUTH PLAIN): the
        // reminders of returns due. Knows nothing of the ledger.
        .target(
            name: "Mail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        // Spreadsheets in and out: XLSX read with ZIPFoundation and XMLCoder (never by shelling
        // out: numbers kept as written, formulas' cached values, a zip bomb refused) and written
        // as the plainest workbook; CSV both ways. Knows nothing of the ledger.
        .target(
            name: "Spreadsheets",
            dependencies: [.product(name: "ZIPFoundation", package: "ZIPFoundation"), .product(name: "XMLCoder", package: "XMLCoder")]),
        .executableTarget(
            name: "svledger",
            dependencies: [
                "LedgerValues", "LMDB", "EventStore", "SocialValue", "Projections", "Ledger", "Reports", "SyntheticData", "Access",
                "Queries", "OpenContracting", "Credentials", "Transparency", "Mail", "Spreadsheets", "Replication",
                .target(name: "Server", condition: .when(traits: ["Server"])),
                .target(name: "Hub", condition: .when(traits: ["Server"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // TCMalloc as the program's malloc (Debian's libgoogle-perftools-dev, which
            // tools/setup installs): a read of a large ledger makes and frees millions of small
            // objects on several threads, and glibc's allocator spent a seventh of `report
            // cabinet`'s time at 1M events on them (Benchmarks/RESULTS.md). Linked ahead of libc,
            // its malloc and free are the ones every library in the process calls. Not jemalloc,
            // as fast here: under faketime (the fault suite's clocks) it hangs at start, its first
            // clock_gettime going back into libfaketime before that has finished starting.
            linkerSettings: [.linkedLibrary("tcmalloc_minimal", .when(platforms: [.linux]))]
        ),
        // Shared by the test targets: temporary ledgers and running the built executable.
        .target(name: "TestSupport", dependencies: ["LMDB"], path: "Tests/TestSupport"),
        .testTarget(name: "LedgerValuesTests", dependencies: ["LedgerValues"]),
        .testTarget(name: "MailTests", dependencies: ["Mail"]),
        .testTarget(name: "SpreadsheetsTests", dependencies: ["Spreadsheets", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .testTarget(name: "LMDBTests", dependencies: ["LMDB", "TestSupport"]),
        .testTarget(name: "TransparencyTests", dependencies: ["Transparency", "TestSupport"]),
        .testTarget(name: "EventStoreTests", dependencies: ["EventStore", "LedgerValues", "LMDB", "Transparency", "TestSupport"]),
        .testTarget(name: "SocialValueTests", dependencies: ["SocialValue", "LedgerValues"]),
        .testTarget(name: "AccessTests", dependencies: ["Access", "LedgerValues"]),
        .testTarget(name: "CredentialsTests", dependencies: ["Credentials", "LedgerValues", "TestSupport"]),
        .testTarget(name: "ProjectionsTests", dependencies: ["Projections", "Ledger", "Queries", "SocialValue", "EventStore", "LedgerValues", "SyntheticData", "TestSupport"]),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "SocialValue", "EventStore", "LedgerValues", "Transparency", "TestSupport"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: [
                "Reports", "Ledger", "Projections", "SocialValue", "EventStore", "LedgerValues", "SyntheticData", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Faults made for real (tmpfs, /dev/full, faketime, bind mounts, kill -9): run as root.
        .testTarget(name: "FaultTests", dependencies: ["svledger", "TestSupport"]),
        // The server in process (HummingbirdTesting's router framework) and one live server.
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Ledger", "Access", "Credentials", "LedgerValues", "SocialValue", "EventStore", "Transparency", "TestSupport", "svledger", "Spreadsheets",
                "SyntheticData", "Projections", "Hub",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        .testTarget(name: "OpenContractingTests", dependencies: ["OpenContracting", "SocialValue", "EventStore", "LedgerValues", "TestSupport", "svledger"], exclude: ["Fixtures"]),
        .testTarget(name: "EndToEndTests", dependencies: ["svledger", "Ledger", "EventStore", "LedgerValues", "SocialValue", "SyntheticData", "TestSupport", .product(name: "Crypto", package: "swift-crypto")]),
    ],
    swiftLanguageModes: [.v6]
)
