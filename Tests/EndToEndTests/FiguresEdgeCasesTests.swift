import Foundation
import LedgerValues
import Testing
import TestSupport

/// Two corners of the figures' definitions (Schemas/README.md §10) where svledger and
/// tools/reconcile_ledger.py once disagreed: a level held over a spread that starts after the
/// term ended, and names that differ only in their Unicode form (``FiguresEdgeLedger``).
@Suite("The figures' edge cases")
struct FiguresEdgeCasesTests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-figures-edge")

    @Test("a pledge effective after its term ended: its one-day spread holds the quarter's level in full; both implementations agree")
    func spreadAfterTheTerm() throws {
        try FiguresEdgeLedger.make(at: ledger, scratch: directory.path)
        let figures = try svledger(["figures", "--period", "2025-26-Q2"]).stdout
        let row = try #require(figures.split(separator: "\n").first { $0.hasPrefix("measure,EDGE-1,NT68,") })
        // record-only: no £; 50 delivered of 50 expected (E = D = 1), rated good on quantities
        #expect(row == "measure,EDGE-1,NT68,0.00,0.00,0.00,0.00,0.00,0.00,0.00,good,50,0,50")
        try expectBothImplementationsAgree()
    }

    @Test("suppliers whose names differ only in how é is written are two rows, by their bytes; both implementations agree")
    func namesByTheirBytes() throws {
        try FiguresEdgeLedger.make(at: ledger, scratch: directory.path)
        let figures = try svledger(["figures", "--period", "2025-26-Q2"]).stdout
        let suppliers = figures.split(separator: "\n").filter { $0.hasPrefix("supplier,") }.map(String.init)
        // NT10 at £224.07 a week: 12.5 weeks £2,800.88, 30 weeks £6,722.10; "e" (0x65) sorts before "é" (0xC3)
        #expect(suppliers.count == 3, "\(suppliers)")
        // Compared as bytes: `==` on Swift strings would call the two spellings equal.
        let keys = suppliers.map { Array($0.split(separator: ",", omittingEmptySubsequences: false)[1].utf8) }
        #expect(keys == [Array(FiguresEdgeLedger.decomposedSupplier.utf8), Array(FiguresEdgeLedger.composedSupplier.utf8), Array("Late Pledge Ltd".utf8)])
        #expect(suppliers.first?.contains(",2800.88,") == true && suppliers.dropFirst().first?.contains(",6722.10,") == true, "\(suppliers)")
        try expectBothImplementationsAgree()
    }

    @Test("a read as things stood on a day leaves out a correction and a closure effective later, also for a contract whose commitments changed after the reporting date")
    func correctionAfterTheDayOfARefreshedContract() throws {
        let head = ["--actor", "r.shah", "--role", "Head of Procurement"]
        try svledger(["init"])
        try svledger(["policy", "adopt", "--builtin", "lancashire-2024-28"] + head)
        try svledger(["catalog", "publish", "--builtin", "portal-003"] + head)
        try svledger(["apply", CommandRunner.repositoryRoot + "/tools/demo-data/portfolio.ndjson"])
        // A refresh effective after 2024-25-Q3 ends: the reporting date's commitments in force
        // then come from folding the contract again without it.
        let refreshed = try svledger(
            ["review", "refresh", "--contract", "LCC-2024-018", "--revise", "NT1=2", "--reason", "annual review", "--effective-date", "2025-03-01"] + head)
        let before = try #require(refreshed.stdout.split(separator: "\n").last?.split(separator: " ").dropFirst().first.map(String.init))
        try svledger([
            "delivery", "correct", "--contract", "LCC-2024-018", "--quarter", "2024-25-Q1", "--measure", "NT1", "--line", "NT1=5@FIX-1",
            "--reason", "payroll recount", "--effective-date", "2025-06-01", "--actor", "k.ahmed", "--role", "Supplier Social Value Lead",
        ])
        try svledger(["contract", "close", "--contract", "LCC-2024-018", "--reason", "ended early", "--effective-date", "2025-06-15"] + head)
        func row(_ arguments: [String]) throws -> String {
            let figures = try svledger(["figures", "--period", "2024-25-Q3"] + arguments).stdout
            return try #require(figures.split(separator: "\n").first { $0.hasPrefix("measure,LCC-2024-018,NT1,") }.map(String.init))
        }
        // On 2025-04-01 the correction, effective 2025-06-01, had not happened: the figures are
        // those of the ledger before it was recorded, the portfolio's and the contract's alike.
        for only in [[], ["--contract", "LCC-2024-018"]] {
            let onTheDay = try row(["--on", "2025-04-01"] + only)
            #expect(onTheDay == (try row(["--on", "2025-04-01", "--at", before] + only)), "\(only)")
            // And from its day, it counts.
            #expect(onTheDay != (try row(["--on", "2025-07-01"] + only)), "\(only)")
        }
        // Nor was the contract closed on that day, in the reconciliation of its commitments then.
        for (day, stage) in [("2025-04-01", "pledged"), ("2025-07-01", "closed")] {
            let reconciled = try JSONValue(parsing: try svledger(["reconcile", "--period", "2024-25-Q3", "--on", day, "--contract", "LCC-2024-018", "--format", "json"]).stdout)
            #expect(reconciled["contracts"]?.arrayValue?.first?["stage"]?.stringValue == stage, "on \(day)")
        }
        // The second implementation, written from the definitions, reads the day the same way.
        let digest = try svledger(["figures", "--period", "2024-25-Q3", "--on", "2025-04-01", "--digest"]).stdout
        let python = try CommandRunner.run("/usr/bin/env", [
            "python3", CommandRunner.repositoryRoot + "/tools/reconcile_ledger.py", ledger, "--period", "2024-25-Q3", "--on", "2025-04-01", "--digest",
        ])
        #expect(python.status == 0 && python.stdout == digest, "\(python.stderr)")
    }

    func expectBothImplementationsAgree() throws {
        let agree = try CommandRunner.run("/usr/bin/env", [
            "python3", CommandRunner.repositoryRoot + "/tools/check_figures_agree.py", CommandRunner.svledgerPath, ledger,
            "--periods", "2025-26-Q1,2025-26-Q2,2025-26-Q4", "--suppliers", "\(FiguresEdgeLedger.composedSupplier)|\(FiguresEdgeLedger.decomposedSupplier)",
        ])
        #expect(agree.status == 0, "\(agree.stdout) \(agree.stderr)")
    }
}
