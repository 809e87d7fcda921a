import EventStore
import LedgerValues
import Ledger
import SyntheticData
import Projections
import SocialValue
import Testing
import TestSupport

/// `Reconciliation.compute` and the Cabinet report take shortcuts for speed: one pass over a
/// contract's figures, expected £ worked in integer pence, roll-ups summed per measure first, and
/// the report's expected at each quarter end without reconciling the portfolio again. Each is
/// held here to the plain definition (README "Reconciliation") it stands for, worked the slow
/// way from the projections, on the Cabinet fixture and on a synthetic portfolio.
@Suite("Reconciliation: figures against their definitions")
struct ReconciliationDefinitionTests {
    static let periods = ["2024-25-Q3", "2025-26-Q1", "2025-26-Q2", "2025-26-Q4", "2026-27-Q2", "2027-28-Q1"].map { FinancialQuarter($0)! }

    /// The Cabinet fixture (corrections, an unpledged figure, a £0 proxy, late returns) and about
    /// twenty-five synthetic contracts of fifteen lines each.
    static func snapshots() throws -> [(String, Snapshot, TemporaryDirectory)] {
        let fixture = try CabinetReportFixture()
        let directory = TemporaryDirectory("svledger-reconciliation")
        let ledger = try Ledger(store: try EventStore(path: directory.child("ledger"), mode: .create))
        try SyntheticPortfolio.populate(ledger, events: 2_500, seed: 7)
        return [("fixture", try fixture.ledger.snapshot(), fixture.directory), ("synthetic", try ledger.snapshot(), directory)]
    }

    @Test("every contract and line equals the definition, worked from the projection")
    func contractsAndLines() throws {
        for (name, snapshot, _) in try Self.snapshots() {
            for period in Self.periods {
                let reconciliation = Reconciliation.compute(snapshot, period: period)
                #expect(reconciliation.contracts.count == snapshot.contracts.filter { $0.commitmentCatalog != nil }.count, "\(name)")
                for contract in reconciliation.contracts {
                    let projection = try #require(snapshot.contract(contract.reference))
                    let catalog = projection.commitmentCatalog.flatMap { snapshot.reference.catalog(reference: $0) }
                    let rated = snapshot.reference.ratedDelivery(policy: projection.policyId, on: reconciliation.reportingDate)
                    Self.check(
                        contract, against: projection, catalog: catalog, rated: rated, period: period, reportingDate: reconciliation.reportingDate, name: name)
                }
            }
        }
    }

    /// A quarter's return as delivery (docs/rules.md "Levels and flows"), worked from the days of the calendar.
    static func accrued(_ quantity: ExactDecimal, _ accrual: Accrual, quarter: FinancialQuarter, start: CalendarDate, end: CalendarDate, spread: Int) -> ExactDecimal {
        switch accrual {
        case .addsUp: return quantity
        case .levelPerYear: return quantity * ExactDecimal(units: 25, scale: 2)
        case .levelOverTerm:
            let first = max(quarter.firstDay, start), last = min(quarter.lastDay, end)
            let days = first > last ? 0 : Int(last.daysSinceEpoch - first.daysSinceEpoch) + 1
            return (quantity * ExactDecimal(days)).divided(by: ExactDecimal(spread), decimals: 4)
        }
    }

    static func check(
        _ c: ContractReconciliation, against p: ContractProjection, catalog: Catalog?, rated: RatedDelivery, period: FinancialQuarter,
        reportingDate: CalendarDate, name: String
    ) {
        #expect(c.ratedDelivery == rated, "\(name) \(period) \(c.reference) rated delivery")
        let start = max(p.startDate, p.pledgedOn ?? p.startDate)
        let spread = max(1, Int(p.endDate.daysSinceEpoch - start.daysSinceEpoch) + 1)
        let elapsed = min(spread, max(0, Int(reportingDate.daysSinceEpoch - start.daysSinceEpoch) + 1))
        #expect(c.spreadDays == spread && c.elapsedDays == elapsed, "\(name) \(period) \(c.reference) days")
        let figures = p.deliveries.filter { $0.quarter <= period }
        #expect(c.unpledged == figures.filter { !$0.pledged }, "\(name) \(period) \(c.reference) unpledged")
        #expect(c.lines.map(\.measure) == p.lines.map(\.measure), "\(name) \(period) \(c.reference) lines")
        for (line, committed) in zip(c.lines, p.lines) {
            let accrual = catalog?.measure(committed.measure)?.accrual ?? .addsUp
            let delivered = figures.filter { $0.pledged && $0.measure == committed.measure }.map {
                (quarter: $0.quarter, quantity: accrued($0.quantity, accrual, quarter: $0.quarter, start: start, end: p.endDate, spread: spread))
            }
            let quantity = delivered.reduce(ExactDecimal.zero) { $0 + $1.quantity }
            // Validated: the figures that stand validated, each in full, accrued as delivered.
            let validatedQuantity = figures.filter { $0.pledged && $0.measure == committed.measure && $0.status == .validated }
                .reduce(ExactDecimal.zero) { $0 + accrued($1.quantity, accrual, quarter: $1.quarter, start: start, end: p.endDate, spread: spread) }
            let byQuarter = delivered.reduce(into: [FinancialQuarter: ExactDecimal]()) { $0[$1.quarter, default: .zero] = $0[$1.quarter, default: .zero] + $1.quantity }
            let current = committed.current?.value ?? .zero
            let expected = Money.rounding((current.decimal * ExactDecimal(elapsed)).divided(by: ExactDecimal(spread), decimals: 2))
            let label = "\(name) \(period) \(c.reference) \(line.measure)"
            // Descriptions too for flows: a quantity prints with its scale, so 16.090 must stay 16.090.
            if accrual == .addsUp {
                #expect(line.deliveredQuantity.description == quantity.description, "\(label) delivered quantity")
                #expect(line.byQuarter.mapValues(\.description) == byQuarter.mapValues(\.description), "\(label) by quarter")
            }
            #expect(line.deliveredQuantity == quantity, "\(label) delivered quantity")
            #expect(line.byQuarter == byQuarter, "\(label) by quarter")
            #expect(line.proxy == (committed.current?.proxy ?? committed.original?.proxy), "\(label) proxy")
            #expect(line.amounts.expected == expected, "\(label) expected £")
            #expect(line.amounts.delivered == (line.proxy.map { Money.lineValue(quantity: quantity, proxy: $0) } ?? .zero), "\(label) delivered £")
            #expect(line.validatedQuantity == validatedQuantity, "\(label) validated quantity")
            #expect(line.amounts.validated == (line.proxy.map { Money.lineValue(quantity: validatedQuantity, proxy: $0) } ?? .zero), "\(label) validated £")
            let ratedMoney = rated == .validated ? line.amounts.validated : line.amounts.delivered
            #expect(line.amounts.capped == min(ratedMoney, expected), "\(label) capped £")
        }
        let capped = c.lines.reduce(Money.zero) { $0 + min(rated == .validated ? $1.amounts.validated : $1.amounts.delivered, $1.amounts.expected) }
        #expect(c.amounts.capped == capped, "\(name) \(period) \(c.reference) capped")
        #expect(c.amounts.rating == PerformanceRating.rating(delivered: capped.decimal, expected: c.amounts.expected.decimal), "\(name) \(period) \(c.reference) rated capped")
    }

    @Test("roll-ups by theme, priority and supplier equal line-by-line sums, and contracts run worst rated first")
    func rollupsAndOrder() throws {
        for (name, snapshot, _) in try Self.snapshots() {
            for period in Self.periods {
                let r = Reconciliation.compute(snapshot, period: period)
                var themes: [String: Amounts] = [:], priorities: [String: Amounts] = [:], suppliers: [String: Amounts] = [:]
                for contract in r.contracts {
                    suppliers[contract.supplier ?? "(no supplier)", default: .zero].plus(contract.amounts)
                    for line in contract.lines {
                        themes[line.theme, default: .zero].plus(line.amounts)
                        for (framework, names) in line.priorities {
                            for priority in names { priorities["\(framework): \(priority)", default: .zero].plus(line.amounts) }
                        }
                    }
                }
                for (rollups, sums, group) in [(r.byTheme, themes, "theme"), (r.byPriority, priorities, "priority"), (r.bySupplier, suppliers, "supplier")] {
                    #expect(rollups.map(\.key) == sums.keys.sorted(), "\(name) \(period) \(group) keys")
                    #expect(rollups.map(\.amounts) == sums.keys.sorted().map { sums[$0]! }, "\(name) \(period) \(group) amounts")
                }
                let order = r.contracts.map { ($0.amounts.rating, $0.reference) }
                #expect(zip(order, order.dropFirst()).allSatisfy { $0 < $1 }, "\(name) \(period): worst rated first, then by reference")
            }
        }
    }

    @Test("the portfolio's expected at a date equals the reconciliation's at that date")
    func portfolioExpected() throws {
        var dates: [CalendarDate] = []
        var month = CalendarDate("2024-03-01")!
        while month < CalendarDate("2029-06-01")! {
            let next = CalendarDate(year: month.month == 12 ? month.year + 1 : month.year, month: month.month % 12 + 1, day: 1)!
            dates += [month, next.adding(days: -1)]
            month = next
        }
        for (name, snapshot, _) in try Self.snapshots() {
            let expected = dates.map { date in
                Reconciliation.compute(snapshot, period: FinancialQuarter(containing: date), reportingDate: date).portfolio.amounts.expected
            }
            #expect(Reconciliation.portfolioExpected(snapshot, at: dates) == expected, "\(name)")
        }
    }
}

extension Amounts {
    mutating func plus(_ other: Amounts) {
        original += other.original
        current += other.current
        delivered += other.delivered
        validated += other.validated
        capped += other.capped
        expected += other.expected
        cutOffs.add(other.cutOffs)
    }
}
