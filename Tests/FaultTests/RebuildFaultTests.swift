import Foundation
import Testing
import TestSupport

/// Case 2 of issue 11: projections never claim to be at the head unless they are complete at
/// the head, whatever happens to a rebuild.
@Suite("Faults: interrupted and concurrent rebuilds", .serialized)
struct RebuildFaultTests {
    let directory = TemporaryDirectory("svledger-fault-rebuild")

    /// A synthetic ledger of `events` events, with what a correct read of it says.
    func makeLedger(events: Int) throws -> (ledger: String, contracts: String, reconcile: String) {
        let ledger = directory.child("ledger")
        try Fault.succeed(["init", "--ledger", ledger])
        try Fault.succeed(["generate", "--ledger", ledger, "--events", String(events)])
        return (ledger, try reads(ledger).contracts, try reads(ledger).reconcile)
    }

    func reads(_ ledger: String) throws -> (contracts: String, reconcile: String) {
        let contracts = try Fault.succeed(["contracts", "--ledger", ledger, "--format", "json"])
        let reconcile = try Fault.succeed(["reconcile", "--ledger", ledger, "--format", "json"])
        return (Self.withoutHead(contracts), Self.withoutHead(reconcile))
    }

    /// A read's document without its head and the figures' digest, which covers the head:
    /// both move when a note is appended.
    static func withoutHead(_ json: String) -> String {
        json.replacing(/"head":\{[^}]*\}/, with: "").replacing(/"figures":\{[^}]*\}/, with: "")
    }

    @Test("case 2: a rebuild killed at any moment, then an append: reads give the true figures, verify passes, commands work")
    func killedRebuildThenAppend() throws {
        let (ledger, contracts, reconcile) = try makeLedger(events: 20_000)
        for (round, delay) in [30_000, 150_000, 300_000, 600_000].enumerated() {
            let rebuild = try Fault.start(["rebuild", "--ledger", ledger])
            usleep(UInt32(delay))
            kill(rebuild.processIdentifier, SIGKILL)
            rebuild.waitUntilExit()
            #expect(try Fault.note(ledger, stream: "notes-\(round)").status == 0)
            let after = try reads(ledger)
            #expect(after.contracts == contracts, "round \(round): contracts changed after an interrupted rebuild")
            #expect(after.reconcile == reconcile, "round \(round): the portfolio's figures changed after an interrupted rebuild")
            try Fault.succeed(["verify", "--ledger", ledger])
        }
        // A domain command after it all: no trap, a clear answer.
        let show = try Fault.svledger(["show", "SYN-000001", "--ledger", ledger])
        #expect(!show.wasSignalled, "\(show.stderr)")
    }

    @Test("case 2: writes during a rebuild, and two overlapping rebuilds, leave projections complete at the head")
    func concurrentRebuilds() throws {
        let (ledger, contracts, reconcile) = try makeLedger(events: 20_000)
        let first = try Fault.start(["rebuild", "--ledger", ledger])
        let second = try Fault.start(["rebuild", "--ledger", ledger])
        let writer = try Fault.start(["append-loop", "--ledger", ledger, "--count", "20", "--stream", "during-rebuild"])
        for process in [first, second, writer] {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let after = try reads(ledger)
        #expect(after.contracts == contracts)
        #expect(after.reconcile == reconcile)
        try Fault.succeed(["verify", "--ledger", ledger])
    }
}
