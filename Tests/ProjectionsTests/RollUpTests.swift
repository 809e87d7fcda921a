import EventStore
import Ledger
import Projections
import SocialValue
import SyntheticData
import Testing
import TestSupport

/// The Cabinet report's trend asks for a reconciliation without roll-ups. That the roll-ups,
/// summed in slices side by side, equal the lines summed one by one is held by
/// `ReconciliationDefinitionTests.rollupsAndOrder`.
@Suite("Roll-ups")
struct RollUpTests {
    let directory = TemporaryDirectory("svledger-roll-ups")

    @Test("a reconciliation without roll-ups has the same contracts and portfolio, and no roll-up")
    func withoutRollUps() throws {
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        try SyntheticPortfolio.populate(ledger, events: 3_000, eventsPerContract: 30)
        let snapshot = try Snapshot.folded(store: ledger.store)
        let period = try #require(FinancialQuarter("2026-27-Q2"))
        let whole = Reconciliation.compute(snapshot, period: period)
        #expect(whole.contracts.count > 50)
        #expect(whole.bySupplier.count > 1 && whole.byTheme.count > 1)

        let bare = Reconciliation.compute(snapshot, period: period, rollUp: false)
        #expect(bare.contracts == whole.contracts)
        #expect(bare.portfolio == whole.portfolio)
        #expect(bare.byTheme.isEmpty && bare.byPriority.isEmpty && bare.bySupplier.isEmpty)
    }
}
