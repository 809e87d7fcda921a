// swift-tools-version:6.0
import PackageDescription

// The benchmark behind tools/bench, a package of its own (as swift-nio keeps its benchmarks):
// building svledger itself then needs neither SQLite's headers nor this code.
let package = Package(
    name: "svledger-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "svledger", path: "..")],
    targets: [
        // The peer in the benchmark: the same log kept in the system's SQLite.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .executableTarget(
            name: "svledger-bench",
            dependencies: [
                "CSQLite",
                .product(name: "LedgerValues", package: "svledger"),
                .product(name: "LMDB", package: "svledger"),
                .product(name: "EventStore", package: "svledger"),
                .product(name: "Transparency", package: "svledger"),
                .product(name: "SocialValue", package: "svledger"),
                .product(name: "Projections", package: "svledger"),
                .product(name: "Ledger", package: "svledger"),
                .product(name: "Reports", package: "svledger"),
                .product(name: "Queries", package: "svledger"),
                .product(name: "SyntheticData", package: "svledger"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
