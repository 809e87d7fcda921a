import Foundation
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

    func expectBothImplementationsAgree() throws {
        let agree = try CommandRunner.run("/usr/bin/env", [
            "python3", CommandRunner.repositoryRoot + "/tools/check_figures_agree.py", CommandRunner.svledgerPath, ledger,
            "--periods", "2025-26-Q1,2025-26-Q2,2025-26-Q4", "--suppliers", "\(FiguresEdgeLedger.composedSupplier)|\(FiguresEdgeLedger.decomposedSupplier)",
        ])
        #expect(agree.status == 0, "\(agree.stdout) \(agree.stderr)")
    }
}
