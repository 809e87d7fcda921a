import EventStore
import Ledger
import Projections
import SocialValue
import SyntheticData
import Testing
import TestSupport

/// The roll-ups are summed in slices of the contracts side by side, then added together; the
/// Cabinet report's trend asks for none.
@Suite("Roll-ups")
struct RollUpTests {
    let directory = TemporaryDirectory("svledger-roll-ups")

    @Test("the roll-ups summed in slices are the lines summed one by one, and a reconciliation without them has the same contracts")
    func summedInSlices() throws {
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        try SyntheticPortfolio.populate(ledger, events: 3_000, eventsPerContract: 30)
        let snapshot = try Snapshot.folded(store: ledger.store)
        let period = try #require(FinancialQuarter("2026-27-Q2"))
        let whole = Reconciliation.compute(snapshot, period: period)
        #expect(whole.contracts.count > 50)
        var themes: [String: Amounts] = [:], suppliers: [String: Amounts] = [:], priorities: [String: Amounts] = [:]
        for contract in whole.contracts {
            suppliers[contract.supplier ?? "(no supplier)", default: .zero].add(contract.amounts)
            for line in contract.lines {
                themes[line.theme, default: .zero].add(line.amounts)
                for (framework, names) in line.priorities {
                    for name in names { priorities["\(framework): \(name)", default: .zero].add(line.amounts) }
                }
            }
        }
        func byKey(_ rollups: [Rollup]) -> [String: Amounts] { Dictionary(uniqueKeysWithValues: rollups.map { ($0.key, $0.amounts) }) }
        #expect(byKey(whole.byTheme) == themes)
        #expect(byKey(whole.bySupplier) == suppliers)
        #expect(byKey(whole.byPriority) == priorities)
        #expect(whole.bySupplier.count > 1 && whole.byTheme.count > 1)

        let bare = Reconciliation.compute(snapshot, period: period, rollUp: false)
        #expect(bare.contracts == whole.contracts)
        #expect(bare.portfolio == whole.portfolio)
        #expect(bare.byTheme.isEmpty && bare.byPriority.isEmpty && bare.bySupplier.isEmpty)
    }
}
