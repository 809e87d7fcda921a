import EventStore
import SocialValue

/// Pledged against delivered social value at a reporting date: per measure and quarter, per
/// contract, and rolled up by theme, council priority, supplier and the whole portfolio.
///
/// Definitions (README "Reconciliation"):
/// - original commitment: the pledge; current commitment: after review refreshes;
/// - delivered to date: the figures of every quarter up to the period, corrections replacing
///   what they correct, priced at the current commitment's proxy (one rounding per line);
/// - expected to date: the current commitment spread evenly over the days from the later of
///   the term start and the pledge to the term end, up to the reporting date;
/// - variance: delivered − expected; rating: ``PerformanceRating``;
/// - unpledged deliveries are listed apart and never added to the totals;
/// - a late return is a quarter that ended before the reporting date with no return.
public struct Reconciliation: Sendable {
    public let period: FinancialQuarter
    public let reportingDate: CalendarDate
    public let position: UInt64
    public let hash: ChainHash
    public let contracts: [ContractReconciliation]
    public let byTheme: [Rollup]
    public let byPriority: [Rollup]
    public let bySupplier: [Rollup]
    public let portfolio: Rollup

    /// Reconciles the contracts of `snapshot` that have a commitment, optionally filtered.
    public static func compute(
        _ snapshot: Snapshot, period: FinancialQuarter, reportingDate: CalendarDate? = nil,
        contract: String? = nil, supplier: String? = nil
    ) -> Reconciliation {
        let date = min(reportingDate ?? period.lastDay, period.lastDay)
        let selected = snapshot.contracts.filter { projection in
            (contract == nil || projection.reference == contract) && (supplier == nil || projection.supplier == supplier)
                && projection.commitmentCatalog != nil
        }
        let contracts = selected.map { ContractReconciliation($0, period: period, reportingDate: date, reference: snapshot.reference) }
        var themes: [String: Amounts] = [:], priorities: [String: Amounts] = [:], suppliers: [String: Amounts] = [:]
        for contract in contracts {
            suppliers[contract.supplier ?? "(no supplier)", default: .zero].add(contract.amounts)
            for line in contract.lines {
                themes[line.theme, default: .zero].add(line.amounts)
                for (framework, names) in line.priorities {
                    for name in names { priorities["\(framework): \(name)", default: .zero].add(line.amounts) }
                }
            }
        }
        let rollups: ([String: Amounts]) -> [Rollup] = { groups in groups.keys.sorted().map { Rollup(key: $0, amounts: groups[$0]!) } }
        let total = contracts.reduce(into: Amounts.zero) { $0.add($1.amounts) }
        return Reconciliation(
            period: period, reportingDate: date, position: snapshot.position, hash: snapshot.hash,
            contracts: contracts.sorted { ($0.amounts.rating, $0.reference) < ($1.amounts.rating, $1.reference) },
            byTheme: rollups(themes), byPriority: rollups(priorities), bySupplier: rollups(suppliers),
            portfolio: Rollup(key: "portfolio", amounts: total))
    }
}

/// The £ figures of a line, a contract or a group.
public struct Amounts: Sendable, Equatable {
    public var original: Money
    public var current: Money
    public var delivered: Money
    public var expected: Money

    public static let zero = Amounts(original: .zero, current: .zero, delivered: .zero, expected: .zero)

    public var variance: Money { delivered - expected }
    public var rating: PerformanceRating { PerformanceRating.rating(delivered: delivered.decimal, expected: expected.decimal) }

    mutating func add(_ other: Amounts) {
        original += other.original
        current += other.current
        delivered += other.delivered
        expected += other.expected
    }
}

public struct Rollup: Sendable, Equatable {
    public let key: String
    public let amounts: Amounts
}

public struct MeasureReconciliation: Sendable, Equatable {
    public let measure: String
    public let unit: String
    public let theme: String
    public let priorities: [String: [String]]
    public let recordOnly: Bool
    public let withdrawn: Bool
    public let originalQuantity: ExactDecimal?
    public let currentQuantity: ExactDecimal?
    public let deliveredQuantity: ExactDecimal
    public let expectedQuantity: ExactDecimal
    /// £ figures; record-only lines have zero £ and are rated on quantities.
    public let amounts: Amounts
    /// Delivered quantity per quarter, up to the period.
    public let byQuarter: [FinancialQuarter: ExactDecimal]
    public let rating: PerformanceRating

    public var varianceQuantity: ExactDecimal { deliveredQuantity - expectedQuantity }
}

public struct ContractReconciliation: Sendable, Equatable {
    public let reference: String
    public let title: String
    public let supplier: String?
    public let stage: String
    public let catalog: String
    public let lines: [MeasureReconciliation]
    public let unpledged: [ContractProjection.DeliveredFigure]
    public let lateReturns: [FinancialQuarter]
    public let amounts: Amounts
    /// Days of the commitment period elapsed by the reporting date, and its length.
    public let elapsedDays: Int
    public let spreadDays: Int

    init(_ projection: ContractProjection, period: FinancialQuarter, reportingDate: CalendarDate, reference: ReferenceData) {
        self.reference = projection.reference
        title = projection.title
        supplier = projection.supplier
        stage = projection.stage
        catalog = projection.commitmentCatalog ?? ""
        let catalogData = reference.catalog(reference: catalog)
        let spreadStart = max(projection.startDate, projection.pledgedOn ?? projection.startDate)
        spreadDays = max(1, Int(projection.endDate.daysSinceEpoch - spreadStart.daysSinceEpoch) + 1)
        elapsedDays = min(spreadDays, max(0, Int(reportingDate.daysSinceEpoch - spreadStart.daysSinceEpoch) + 1))
        let figures = projection.deliveries.filter { $0.quarter <= period }
        unpledged = figures.filter { !$0.pledged }
        var lines: [MeasureReconciliation] = []
        for line in projection.lines {
            let measure = catalogData?.measure(line.measure)
            let delivered = figures.filter { $0.pledged && $0.measure == line.measure }
            var byQuarter: [FinancialQuarter: ExactDecimal] = [:]
            for figure in delivered { byQuarter[figure.quarter, default: .zero] = byQuarter[figure.quarter, default: .zero] + figure.quantity }
            let deliveredQuantity = delivered.reduce(ExactDecimal.zero) { $0 + $1.quantity }
            let currentQuantity = line.current?.quantity ?? .zero
            let expectedQuantity = (currentQuantity * ExactDecimal(elapsedDays)).divided(by: ExactDecimal(spreadDays), decimals: 4)
            let proxy = line.current?.proxy ?? line.original?.proxy
            let currentValue = line.current?.value ?? .zero
            let amounts = Amounts(
                original: line.original?.value ?? .zero, current: currentValue,
                delivered: proxy.map { Money.lineValue(quantity: deliveredQuantity, proxy: $0) } ?? .zero,
                expected: Money.rounding((currentValue.decimal * ExactDecimal(elapsedDays)).divided(by: ExactDecimal(spreadDays), decimals: 2)))
            let recordOnly = proxy == nil
            lines.append(
                MeasureReconciliation(
                    measure: line.measure, unit: line.unit, theme: measure?.theme ?? "(unknown theme)", priorities: measure?.priorities ?? [:],
                    recordOnly: recordOnly, withdrawn: line.current == nil, originalQuantity: line.original?.quantity,
                    currentQuantity: line.current?.quantity, deliveredQuantity: deliveredQuantity, expectedQuantity: expectedQuantity,
                    amounts: amounts, byQuarter: byQuarter,
                    rating: recordOnly
                        ? PerformanceRating.rating(delivered: deliveredQuantity, expected: expectedQuantity)
                        : amounts.rating))
        }
        self.lines = lines
        amounts = lines.reduce(into: Amounts.zero) { $0.add($1.amounts) }
        lateReturns = Self.lateReturns(projection, from: spreadStart, reportingDate: reportingDate)
    }

    static func lateReturns(_ projection: ContractProjection, from start: CalendarDate, reportingDate: CalendarDate) -> [FinancialQuarter] {
        guard projection.pledgedOn != nil else { return [] }
        var late: [FinancialQuarter] = []
        var quarter = FinancialQuarter(containing: start)
        let stop = min(projection.endDate, projection.closedOn ?? projection.endDate)
        while quarter.lastDay < reportingDate, quarter.firstDay <= stop {
            if !projection.returnedQuarters.contains(quarter) { late.append(quarter) }
            quarter = quarter.next
        }
        return late
    }
}
