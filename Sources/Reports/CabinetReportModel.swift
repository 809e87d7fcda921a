import LedgerValues
import Projections
import SocialValue

/// Everything the Cabinet report shows, worked out once from one snapshot and its
/// reconciliation, so that the HTML, Markdown and CSV renderings cannot disagree on a figure.
///
/// Building the model is pure: the same snapshot, reconciliation and generated-at text always
/// give the same model. The renderings are pure functions of the model.
public struct CabinetReportModel: Sendable {
    public let period: FinancialQuarter
    public let reportingDate: CalendarDate
    /// When the report was made, as the caller wants it printed (the CLI passes UTC ISO 8601).
    public let generatedAt: String
    /// The ledger head the report was made from, to check with `svledger verify --expect-head`.
    public let position: UInt64
    public let hash: ChainHash
    /// The portfolio reconciliation at the period: the same figures `svledger reconcile` prints.
    public let reconciliation: Reconciliation
    /// The quarter, the financial year to date, and the life of the commitments to date.
    public let headline: [CabinetHeadline]
    /// Delivered and expected £ in each quarter of the financial year (later quarters unreached).
    public let quarters: [CabinetQuarter]
    /// Council priorities grouped by the framework they belong to.
    public let priorityGroups: [CabinetPriorityGroup]
    public let exceptions: CabinetExceptions
    public let compliance: CabinetWeightingCompliance

    /// The command that proves the ledger still holds what this report was made from.
    public var verifyCommand: String { "svledger verify --expect-head \(position):\(hash.hex)" }
    /// The figures of the reconciliation the report is made from (Schemas/README.md §10).
    public var figures: FiguresFile { FiguresFile(reconciliation) }
    /// How anyone recomputes the figures from the log alone and compares the digest.
    public var recomputeCommand: String {
        "python3 tools/reconcile_ledger.py LEDGER --period \(period) --reporting-date \(reportingDate) --through \(position) --digest"
    }

    public var title: String { "Social value report \(period)" }

    /// The headline column for `window` (every window has one).
    public func headline(_ window: CabinetHeadline.Window) -> CabinetHeadline { headline.first { $0.window == window }! }

    /// - Parameters:
    ///   - snapshot: the ledger read the report is made from.
    ///   - reconciliation: `Reconciliation.compute(snapshot, period:, reportingDate:)` for the whole
    ///     portfolio (no contract or supplier filter), as `svledger reconcile` computes it.
    ///   - generatedAt: when the report is made, printed as given.
    public init(snapshot: Snapshot, reconciliation: Reconciliation, generatedAt: String) {
        precondition(snapshot.position == reconciliation.position, "the reconciliation must be made from the same snapshot")
        period = reconciliation.period
        reportingDate = reconciliation.reportingDate
        self.generatedAt = generatedAt
        position = snapshot.position
        hash = snapshot.hash
        self.reconciliation = reconciliation
        let cumulative = CumulativeExpected(snapshot: snapshot, reconciliation: reconciliation)
        let deliveredByQuarter = QuarterDelivery(reconciliation: reconciliation, quarters: cumulative.quarters)
        quarters = cumulative.quarters.map { quarter in
            CabinetQuarter(
                quarter: quarter, reached: quarter <= reconciliation.period,
                delivered: deliveredByQuarter.total(in: [quarter]), expected: cumulative.expected(in: quarter))
        }
        headline = CabinetHeadline.all(
            snapshot: snapshot, reconciliation: reconciliation, delivered: deliveredByQuarter, expected: cumulative)
        priorityGroups = CabinetPriorityGroup.grouping(reconciliation.byPriority, reference: snapshot.reference)
        exceptions = CabinetExceptions(snapshot: snapshot, reconciliation: reconciliation)
        compliance = CabinetWeightingCompliance(snapshot: snapshot)
    }
}

/// One column of the headline table.
public struct CabinetHeadline: Sendable, Equatable {
    public enum Window: String, Sendable, CaseIterable {
        /// Delivered in the period's quarter.
        case period
        /// Delivered in the financial year's quarters up to and including the period.
        case yearToDate = "year_to_date"
        /// Every quarter up to the period since each commitment began: `svledger reconcile`'s figures.
        case toDate = "to_date"
    }

    public let window: Window
    public let firstDay: CalendarDate?
    public let lastDay: CalendarDate
    /// Contracts with a commitment running in the window (all reconciled contracts for ``Window/toDate``).
    public let contractsInScope: Int
    /// Original pledges dated in the window (every pledge for ``Window/toDate``).
    public let pledged: Money
    public let delivered: Money
    public let expected: Money

    public var variance: Money { delivered - expected }
    public var rating: PerformanceRating { PerformanceRating.rating(delivered: delivered.decimal, expected: expected.decimal) }

    static func all(
        snapshot: Snapshot, reconciliation r: Reconciliation, delivered: QuarterDelivery, expected: CumulativeExpected
    ) -> [CabinetHeadline] {
        let yearStart = FinancialQuarter(startYear: r.period.startYear, number: 1)!
        // Only what the windows need of each projection: copying whole projections would cost more than the rest.
        let commitments = Dictionary(
            snapshot.contracts.map { ($0.reference, (window: CommitmentWindow($0), pledgedOn: $0.pledgedOn)) }, uniquingKeysWith: { $1 })
        let yearQuarters = expected.quarters.filter { $0 <= r.period }
        func window(_ kind: Window, from first: CalendarDate, quarters: [FinancialQuarter], expectedSince baseline: Money) -> CabinetHeadline {
            var running = 0, pledged = Money.zero
            for contract in r.contracts {
                guard let commitment = commitments[contract.reference] else { continue }
                if commitment.window.overlaps(first, r.reportingDate) { running += 1 }
                if let day = commitment.pledgedOn, day >= first && day <= r.reportingDate { pledged += contract.amounts.original }
            }
            return CabinetHeadline(
                window: kind, firstDay: first, lastDay: r.reportingDate, contractsInScope: running, pledged: pledged,
                delivered: delivered.total(in: quarters), expected: r.portfolio.amounts.expected - baseline)
        }
        return [
            window(.period, from: r.period.firstDay, quarters: [r.period], expectedSince: expected.cumulative(before: r.period)),
            window(.yearToDate, from: yearStart.firstDay, quarters: yearQuarters, expectedSince: expected.cumulative(before: yearStart)),
            CabinetHeadline(
                window: .toDate, firstDay: nil, lastDay: r.reportingDate, contractsInScope: r.contracts.count,
                pledged: r.portfolio.amounts.original, delivered: r.portfolio.amounts.delivered, expected: r.portfolio.amounts.expected),
        ]
    }
}

/// One quarter of the financial year in the delivery chart.
public struct CabinetQuarter: Sendable, Equatable {
    public let quarter: FinancialQuarter
    /// False for quarters after the period: nothing is reported for them.
    public let reached: Bool
    public let delivered: Money
    public let expected: Money
}

/// The days over which a contract's commitment runs, as the reconciliation spreads it: from the
/// later of the term start and the pledge, to the end of the term (or its closure, if earlier).
struct CommitmentWindow {
    let first: CalendarDate
    let last: CalendarDate

    init(_ projection: ContractProjection) {
        first = max(projection.startDate, projection.pledgedOn ?? projection.startDate)
        last = min(projection.endDate, projection.closedOn ?? projection.endDate)
    }

    func overlaps(_ from: CalendarDate, _ to: CalendarDate) -> Bool { first <= to && last >= from }
}

/// Delivered £ per quarter of the financial year: each line's delivered quantity in a quarter
/// (the reconciliation's per-quarter figures, corrections applied) priced at the line's proxy and
/// rounded once per line per quarter. The sum over quarters may differ from the reconciliation's
/// delivered-to-date (one rounding per line over all quarters) by a few pence; the report says so.
struct QuarterDelivery {
    /// The four quarters of the year and their £; other quarters are never asked for, so never priced.
    private var values: [(quarter: FinancialQuarter, delivered: Money)]

    init(reconciliation: Reconciliation, quarters: [FinancialQuarter]) {
        values = quarters.map { ($0, .zero) }
        for contract in reconciliation.contracts {
            for line in contract.lines {
                // The reconciliation prices a line at its current proxy, else the pledged one; record-only lines have none.
                guard let proxy = line.proxy else { continue }
                for figure in line.deliveredPerQuarter {
                    guard let index = values.firstIndex(where: { $0.quarter == figure.quarter }) else { continue }
                    values[index].delivered += Money.lineValue(quantity: figure.quantity, proxy: proxy)
                }
            }
        }
    }

    /// Delivered in `quarters`, each one of the year's.
    func total(in quarters: [FinancialQuarter]) -> Money {
        quarters.reduce(Money.zero) { sum, quarter in sum + (values.first { $0.quarter == quarter }?.delivered ?? .zero) }
    }
}

/// Expected £ at the end of each quarter of the financial year: the portfolio's expected to date
/// that the reconciliation of the same snapshot gives at those dates. Expected-to-date grows evenly day by day, so what was expected
/// *in* a window is the figure at its end less the figure at the end of the quarter before it.
struct CumulativeExpected {
    /// The four quarters of the period's financial year.
    let quarters: [FinancialQuarter]
    private var atEnd: [FinancialQuarter: Money] = [:]

    init(snapshot: Snapshot, reconciliation r: Reconciliation) {
        let first = FinancialQuarter(startYear: r.period.startYear, number: 1)!
        quarters = [first, first.next, first.next.next, first.next.next.next]
        let before = FinancialQuarter(startYear: r.period.startYear - 1, number: 4)!
        // The period's figure is the reconciliation's; the others come from one pass over the
        // commitments, not from reconciling the whole portfolio again for each quarter.
        let others = ([before] + quarters).filter { $0 != r.period }
        let expected = Reconciliation.portfolioExpected(snapshot, at: others.map { min($0.lastDay, r.reportingDate) })
        for (quarter, value) in zip(others, expected) { atEnd[quarter] = value }
        atEnd[r.period] = r.portfolio.amounts.expected
    }

    /// Expected by the end of the quarter before `quarter` (or by the reporting date, if earlier).
    func cumulative(before quarter: FinancialQuarter) -> Money {
        let previous = quarter.number == 1
            ? FinancialQuarter(startYear: quarter.startYear - 1, number: 4)!
            : FinancialQuarter(startYear: quarter.startYear, number: quarter.number - 1)!
        return atEnd[previous] ?? .zero
    }

    /// Expected in `quarter` alone: zero for quarters after the reporting date.
    func expected(in quarter: FinancialQuarter) -> Money { (atEnd[quarter] ?? .zero) - cumulative(before: quarter) }
}

/// The council-priority roll-ups of one framework ("CWB Priority", "Lancashire 2050", …).
public struct CabinetPriorityGroup: Sendable, Equatable {
    public struct Priority: Sendable, Equatable {
        /// The priority's name within its framework.
        public let name: String
        public let amounts: Amounts
    }

    public let framework: String
    public let priorities: [Priority]

    /// Splits the reconciliation's "framework: priority" keys back into their framework, matching
    /// the framework names the catalogs declare (longest first, so that a framework whose name
    /// contains ": " is still found); a key that matches none is kept whole under "Other".
    static func grouping(_ rollups: [Rollup], reference: ReferenceData) -> [CabinetPriorityGroup] {
        let frameworks = Set(reference.catalogs.values.flatMap { $0.flatMap(\.priorityFrameworks) }).sorted { $0.count > $1.count }
        var groups: [String: [Priority]] = [:]
        for rollup in rollups {
            if let framework = frameworks.first(where: { rollup.key.hasPrefix($0 + ": ") }) {
                groups[framework, default: []].append(Priority(name: String(rollup.key.dropFirst(framework.count + 2)), amounts: rollup.amounts))
            } else {
                groups["Other", default: []].append(Priority(name: rollup.key, amounts: rollup.amounts))
            }
        }
        return groups.keys.sorted().map { CabinetPriorityGroup(framework: $0, priorities: groups[$0]!) }
    }
}
