import EventStore
import LedgerValues
import SocialValue
import Transparency

/// Pledged against delivered social value at a reporting date: per measure and quarter, per
/// contract, and rolled up by theme, council priority, supplier and the whole portfolio.
///
/// The definitions are the domain's (SocialValue: ``Amounts``, ``CommitmentSpread``,
/// ``PerformanceRating``; docs/rules.md "Reconciliation"); this folds a snapshot's projections
/// through them:
/// - delivered to date: the figures of every quarter up to the period, corrections replacing
///   what they correct, priced at the current commitment's proxy (one rounding per line);
/// - unpledged deliveries are listed apart and never added to the totals.
public struct Reconciliation: Sendable {
    public let period: FinancialQuarter
    public let reportingDate: CalendarDate
    public let position: UInt64
    public let hash: ChainHash
    /// The tree root at `position`, from the snapshot reconciled (``Snapshot/treeRoot``).
    public let treeRoot: TreeHash?
    public let contracts: [ContractReconciliation]
    public let byTheme: [Rollup]
    public let byPriority: [Rollup]
    public let bySupplier: [Rollup]
    public let portfolio: Rollup
    /// Every contract's KPIs whose assessment is overdue at the reporting date, pledged or not
    /// (docs/kpis.md): an exception whether or not the contract has commitments to reconcile.
    public let kpiAssessmentsOverdue: [KPIException]

    public struct KPIException: Sendable, Equatable {
        public let contract: String
        public let kpi: String
        public let why: String
    }

    /// Reconciles the contracts of `snapshot` that have a commitment, optionally filtered.
    /// - Parameters:
    ///   - rollUp: false leaves the theme, priority and supplier roll-ups empty: for a
    ///     reconciliation read for its contracts and their lines alone (the Cabinet report's trend).
    ///   - exceptions: false leaves every contract's late returns and overdue KPI assessments,
    ///     and the reconciliation's, empty: the trend shows none.
    public static func compute(
        _ snapshot: Snapshot, period: FinancialQuarter, reportingDate: CalendarDate? = nil,
        contract: String? = nil, supplier: String? = nil, rollUp: Bool = true, exceptions: Bool = true
    ) -> Reconciliation {
        let date = min(reportingDate ?? period.lastDay, period.lastDay)
        let all = snapshot.contracts
        let chosen = all.indices.filter { index in
            (contract == nil || all[index].reference == contract) && (supplier == nil || all[index].supplier.sameBytes(as: supplier))
                && all[index].commitmentCatalog != nil
        }
        // Each catalog and policy looked up once, before the contracts are reconciled side by
        // side: a policy's look-up copies the policy, and a portfolio has few.
        let measures = CatalogLookup.measures(of: Set(chosen.map { all[$0].commitmentCatalog! }), in: snapshot.reference)
        let policies = Dictionary(Set(chosen.map { all[$0].policyId }).map { id in
            let reference = snapshot.reference
            return (id, (reference.ratingCutOffs(policy: id, on: date), reference.ratedDelivery(policy: id, on: date), reference.returnDueDays(policy: id, on: date)))
        }, uniquingKeysWith: { first, _ in first })
        // A contract's reconciliation reads its own projection and the reference data alone.
        var contracts = ConcurrentMap.map(chosen.count) { slot in
            // Read where it is (bound to a constant, each projection was copied: a retain of
            // each of its strings and arrays, for every contract of every reconciliation).
            let at = chosen[slot]
            let (cutOffs, rated, dueDays) = policies[all[at].policyId]!
            return ContractReconciliation(
                all[at], measures: measures[all[at].commitmentCatalog!], cutOffs: cutOffs, rated: rated,
                dueDays: all[at].returnDueDays ?? dueDays, period: period, reportingDate: date, exceptions: exceptions)
        }
        // By index throughout: each contract read in place, where a loop over the array copies
        // it out, with a retain of each of its strings and arrays. The roll-ups are summed in
        // slices side by side, then added together (pence add exactly, in any order).
        var portfolio = Amounts.zero
        for index in contracts.indices { portfolio.add(contracts[index].amounts) }
        var sums = RollupSums()
        if rollUp {
            let slices = 8
            let partial = ConcurrentMap.map(slices, minimum: 2) { [contracts] slice in
                var sums = RollupSums()
                for index in (contracts.count * slice / slices)..<(contracts.count * (slice + 1) / slices) { sums.add(contracts[index]) }
                return sums
            }
            for part in partial { sums.add(part) }
        }
        let ratings = contracts.indices.map { contracts[$0].amounts.rating }
        // Worst rated first. Each rating is worked out once, not at every comparison of the sort,
        // and the contracts are put in that order where they are, by swaps: copied into a new
        // array, each was retained field by field, and then released with the old one.
        let order = contracts.indices.sorted { (ratings[$0], contracts[$0].reference) < (ratings[$1], contracts[$1].reference) }
        for place in order.indices {
            // What belongs here was at `order[place]`, unless a swap before moved it on: follow it.
            var from = order[place]
            while from < place { from = order[from] }
            contracts.swapAt(place, from)
        }
        let ranked = contracts
        var overdue: [KPIException] = []
        for index in all.indices
        where exceptions && (contract == nil || all[index].reference == contract) && (supplier == nil || all[index].supplier.sameBytes(as: supplier)) {
            // A method called on the array's element copies the whole projection first (each of
            // its strings and arrays retained, then released): called only where there are KPIs.
            guard !all[index].kpis.isEmpty else { continue }
            // The reference taken first: read inside the closure, the whole projection was copied.
            let reference = all[index].reference
            overdue += all[index].kpiAssessmentsOverdue(on: date).map { KPIException(contract: reference, kpi: $0.kpi.id, why: $0.why) }
        }
        return Reconciliation(
            period: period, reportingDate: date, position: snapshot.position, hash: snapshot.hash, treeRoot: snapshot.treeRoot,
            contracts: ranked, byTheme: sums.byTheme, byPriority: sums.byPriority, bySupplier: sums.bySupplier,
            portfolio: Rollup(key: "portfolio", amounts: portfolio), kpiAssessmentsOverdue: overdue)
    }

    /// `snapshot` reconciled at the end of `quarter` for its contracts and their lines alone,
    /// with no roll-up, late return or overdue KPI assessment: what the Cabinet report's trend
    /// shows of an earlier quarter.
    public static func linesAlone(_ snapshot: Snapshot, at quarter: FinancialQuarter) -> Reconciliation {
        compute(snapshot, period: quarter, reportingDate: quarter.lastDay, rollUp: false, exceptions: false)
    }

    /// The whole portfolio's expected to date at each of `dates`: for each date, the
    /// `portfolio.amounts.expected` that `compute` gives with that reporting date, without
    /// reconciling any delivery. The Cabinet report needs it at the end of every quarter of a year.
    public static func portfolioExpected(_ snapshot: Snapshot, at dates: [CalendarDate]) -> [Money] {
        var totals = [Money](repeating: .zero, count: dates.count)
        for projection in snapshot.contracts where projection.commitmentCatalog != nil {
            let spread = CommitmentSpread(projection)
            let elapsed = dates.map { spread.elapsedDays(by: $0) }
            for line in projection.lines {
                let current = line.current?.value ?? .zero
                for index in totals.indices { totals[index] += spread.expected(current, elapsedDays: elapsed[index]) }
            }
        }
        return totals
    }
}

public struct Rollup: Sendable, Equatable {
    public let key: String
    public let amounts: Amounts
}

public struct MeasureReconciliation: Sendable, Equatable {
    /// The quantity delivered against a measure in one quarter.
    public struct QuarterFigure: Sendable, Equatable {
        public let quarter: FinancialQuarter
        public internal(set) var quantity: ExactDecimal
        /// The part of `quantity` a Contract Manager validated: all of it or none.
        public internal(set) var validatedQuantity: ExactDecimal = .zero
    }

    public let measure: String
    public let unit: String
    public let theme: String
    public let priorities: [String: [String]]
    public let recordOnly: Bool
    public let withdrawn: Bool
    /// Whether the measure's returns add up or state a level; quantities here are the delivery
    /// they add up to, in ``Accrual/accruedUnit(_:)``.
    public let accrual: Accrual
    public let originalQuantity: ExactDecimal?
    public let currentQuantity: ExactDecimal?
    public let deliveredQuantity: ExactDecimal
    /// The part of ``deliveredQuantity`` validated (docs/validation.md).
    public let validatedQuantity: ExactDecimal
    public let expectedQuantity: ExactDecimal
    /// The £ per unit the line is priced at: the current commitment's proxy (`nil` when it is
    /// record-only), or the pledged one once the line is withdrawn (`nil` for a line added at
    /// a review and withdrawn since: it was never pledged, so its delivery is valued at £0).
    public let proxy: ExactDecimal?
    /// £ figures; record-only lines have zero £ and are rated on quantities.
    public let amounts: Amounts
    /// Delivered quantity per quarter (for a level, the delivery its return stands for), up to
    /// the period, in the order the quarters were reported.
    public let deliveredPerQuarter: [QuarterFigure]
    public let rating: PerformanceRating
    /// Delivered more than twice the quantity expected to date on a line still committed: the
    /// delivery is accepted, but its evidence should be checked (docs/rules.md "Over-delivery").
    public let overDelivered: Bool

    /// How many times the expected quantity to date a line may deliver before it is flagged.
    public static let overDeliveryFactor = ExactDecimal(2)

    /// Why the evidence should be checked, for a line that ``overDelivered``; `nil` otherwise.
    public var evidenceCheck: String? {
        guard overDelivered else { return nil }
        return "delivered \(deliveredQuantity.normalized) is more than twice the \(expectedQuantity.normalized) expected to date"
    }

    /// Delivered quantity per quarter, up to the period.
    public var byQuarter: [FinancialQuarter: ExactDecimal] {
        Dictionary(uniqueKeysWithValues: deliveredPerQuarter.map { ($0.quarter, $0.quantity) })
    }

    public var varianceQuantity: ExactDecimal { deliveredQuantity - expectedQuantity }

    /// A projection holds one figure per quarter and measure, so `figures` is normally its own
    /// per-quarter list; should a quarter come twice, its quantities are summed.
    static func perQuarter(_ figures: [QuarterFigure]) -> [QuarterFigure] {
        var quarters = figures
        var index = 0
        while index < quarters.count {
            if let first = (0..<index).first(where: { quarters[$0].quarter == quarters[index].quarter }) {
                quarters[first].quantity = quarters[first].quantity + quarters[index].quantity
                quarters[first].validatedQuantity = quarters[first].validatedQuantity + quarters[index].validatedQuantity
                quarters.remove(at: index)
            } else {
                index += 1
            }
        }
        return quarters
    }

    /// - Parameters:
    ///   - figures: the pledged figures of `line`'s measure up to the period, in the order recorded.
    ///   - rated: which delivery the contract's policy rates.
    init(
        _ line: borrowing ContractProjection.CommitmentLine, measure: CatalogMeasure?, figures: [QuarterFigure], spread: CommitmentSpread, elapsedDays: Int,
        cutOffs: RatingCutOffs, rated: RatedDelivery
    ) {
        self.measure = line.measure
        unit = line.unit
        theme = measure?.theme ?? "(unknown theme)"
        priorities = measure?.priorities ?? [:]
        withdrawn = line.current == nil
        originalQuantity = line.original?.quantity
        currentQuantity = line.current?.quantity
        // A level's return is turned into delivery quarter by quarter, so that every figure
        // below (to date, per quarter, year to date) adds up (docs/rules.md "Levels and flows").
        let accrual = measure?.accrual ?? .addsUp
        self.accrual = accrual
        let accrued = accrual == .addsUp ? figures : figures.map {
            QuarterFigure(
                quarter: $0.quarter, quantity: accrual.delivered($0.quantity, in: $0.quarter, spread: spread),
                validatedQuantity: accrual.delivered($0.validatedQuantity, in: $0.quarter, spread: spread))
        }
        let delivered = accrued.reduce(ExactDecimal.zero) { $0 + $1.quantity }
        let validated = accrued.reduce(ExactDecimal.zero) { $0 + $1.validatedQuantity }
        deliveredQuantity = delivered
        validatedQuantity = validated
        deliveredPerQuarter = Self.perQuarter(accrued)
        expectedQuantity = spread.expected(quantity: line.current?.quantity ?? .zero, elapsedDays: elapsedDays)
        // A current line is priced at its own proxy (none: record-only, even if it was priced
        // before); a withdrawn line at the pledged one (docs/rules.md).
        proxy = line.current.map { $0.proxy } ?? line.original?.proxy
        let currentValue = line.current?.value ?? .zero
        amounts = Amounts(
            original: line.original?.value ?? .zero, current: currentValue,
            delivered: proxy.map { Money.lineValue(quantity: delivered, proxy: $0) } ?? .zero,
            validated: proxy.map { Money.lineValue(quantity: validated, proxy: $0) } ?? .zero,
            expected: spread.expected(currentValue, elapsedDays: elapsedDays), cutOffs: cutOffs, rated: rated)
        recordOnly = proxy == nil
        let ratedQuantity = rated == .validated ? validated : delivered
        rating = recordOnly
            ? PerformanceRating.rating(delivered: min(ratedQuantity, expectedQuantity), expected: expectedQuantity, cutOffs: cutOffs) : amounts.rating
        overDelivered = line.current != nil && delivered > Self.overDeliveryFactor * expectedQuantity
    }
}

public struct ContractReconciliation: Sendable, Equatable {
    public let reference: String
    public let title: String
    public let supplier: String?
    public let stage: Stage
    public let catalog: String
    public let lines: [MeasureReconciliation]
    public let unpledged: [ContractProjection.DeliveredFigure]
    public let lateReturns: [FinancialQuarter]
    /// Returns made that leave out a committed measure: late returns too, measure by measure.
    public let incompleteReturns: [IncompleteReturn]
    /// KPIs whose assessment is overdue at the reporting date (docs/kpis.md), each with why.
    public let kpiAssessmentsOverdue: [OverdueKPIAssessment]

    public struct OverdueKPIAssessment: Sendable, Equatable {
        public let kpi: String
        public let why: String
    }
    public let amounts: Amounts
    /// The cut-offs of the contract's policy (the version in force on the reporting date).
    public let cutOffs: RatingCutOffs
    /// Which delivery that policy rates: claimed or validated.
    public let ratedDelivery: RatedDelivery
    /// Days after a quarter ends that its return is due: the contract's own, or its policy's.
    public let returnDueDays: Int
    /// Days of the commitment period elapsed by the reporting date, and its length.
    public let elapsedDays: Int
    public let spreadDays: Int

    /// `projection` is borrowed, as are the projection and line that the initializers below
    /// take: an initializer takes its arguments owned unless told, so every caller copied a
    /// projection to hand it over, a retain of each of its strings and arrays (`perf record`).
    ///
    /// - Parameters:
    ///   - measures: the measures of the contract's catalog, `nil` if it is not known.
    ///   - exceptions: false leaves the late returns and overdue KPI assessments empty.
    init(
        _ projection: borrowing ContractProjection, measures: [String: CatalogMeasure]?, cutOffs: RatingCutOffs, rated: RatedDelivery, dueDays: Int,
        period: FinancialQuarter, reportingDate: CalendarDate, exceptions: Bool = true
    ) {
        reference = projection.reference
        title = projection.title
        supplier = projection.supplier
        stage = projection.stage
        catalog = projection.commitmentCatalog ?? ""
        let spread = CommitmentSpread(projection)
        let elapsed = spread.elapsedDays(by: reportingDate)
        spreadDays = spread.days
        elapsedDays = elapsed
        let figures = ContractFigures(projection, period: period)
        unpledged = figures.unpledged
        // The lines taken first: a closure that reads `projection` copies all of it.
        let pledged = projection.lines
        lines = pledged.indices.map { index in
            MeasureReconciliation(
                pledged[index], measure: measures?[pledged[index].measure], figures: figures.byLine[index], spread: spread,
                elapsedDays: elapsed, cutOffs: cutOffs, rated: rated)
        }
        self.cutOffs = cutOffs
        ratedDelivery = rated
        var amounts = Amounts.zero
        // By index: a line copied out retains each of its strings.
        for index in lines.indices { amounts.add(lines[index].amounts) }
        self.amounts = amounts
        returnDueDays = dueDays
        guard exceptions else {
            (lateReturns, incompleteReturns, kpiAssessmentsOverdue) = ([], [], [])
            return
        }
        lateReturns = spread.lateReturns(
            pledged: projection.pledgedOn != nil, termEnd: projection.endDate, closedOn: projection.closedOn,
            returned: projection.returnedQuarters, reportingDate: reportingDate, dueDays: dueDays)
        incompleteReturns = IncompleteReturn.find(in: projection, reportingDate: reportingDate, dueDays: dueDays)
        kpiAssessmentsOverdue = projection.kpiAssessmentsOverdue(on: reportingDate).map { OverdueKPIAssessment(kpi: $0.kpi.id, why: $0.why) }
    }

    /// Late returns counted as a reader counts them: each quarter with no return at all, and
    /// each measure a return left out.
    public var lateReturnCount: Int { lateReturns.count + incompleteReturns.reduce(0) { $0 + $1.measures.count } }

    /// The late returns in words: "2025-26-Q3", "NT10 in 2025-26-Q2", by quarter.
    public var lateReturnLabels: [String] {
        let whole = lateReturns.map { ($0, $0.description) }
        let partial = incompleteReturns.map { ($0.quarter, "\($0.measures.joined(separator: " and ")) in \($0.quarter)") }
        return (whole + partial).sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Whether any return is late, whole or measure by measure.
    public var hasLateReturns: Bool { !lateReturns.isEmpty || !incompleteReturns.isEmpty }

}

extension CommitmentSpread {
    init(_ projection: borrowing ContractProjection) {
        self.init(termStart: projection.startDate, termEnd: projection.endDate, pledgedOn: projection.pledgedOn)
    }
}

/// What a reconciled line takes from its catalog's measure.
struct CatalogMeasure {
    let theme: String
    let priorities: [String: [String]]
    let accrual: Accrual
}

/// The measures of each catalog a contract is priced with, looked up once per reconciliation:
/// `ReferenceData.catalog(reference:)` parses its argument at every call, and a line needs only
/// three fields of its measure. A catalog the reference data lacks has none.
private enum CatalogLookup {
    static func measures(of catalogs: Set<String>, in reference: ReferenceData) -> [String: [String: CatalogMeasure]] {
        catalogs.reduce(into: [:]) { found, catalog in
            found[catalog] = reference.catalog(reference: catalog)?.measures.mapValues { CatalogMeasure(theme: $0.theme, priorities: $0.priorities, accrual: $0.accrual) }
        }
    }
}

/// A contract's figures up to the period: the pledged ones by commitment line, the others apart.
private struct ContractFigures {
    /// For each commitment line, the pledged figures of its measure in the order recorded.
    private(set) var byLine: [[MeasureReconciliation.QuarterFigure]]
    private(set) var unpledged: [ContractProjection.DeliveredFigure]

    init(_ projection: borrowing ContractProjection, period: FinancialQuarter) {
        var lines = CommitmentLineFinder(projection.lines)
        var unpledged: [ContractProjection.DeliveredFigure] = []
        var byLine = [[MeasureReconciliation.QuarterFigure]](repeating: [], count: projection.lines.count)
        // Read in place: a figure copied whole retains its every string, and a portfolio has
        // about a hundred figures a contract.
        projection.deliveries.withUnsafeBufferPointer { deliveries in
            // Each figure's line found first, then each line's array made at its size and filled:
            // the figures gathered into one array first made as much memory again, fresh, for
            // every contract of every reconciliation.
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: deliveries.count) { lineOf in
                var counts = [Int](repeating: 0, count: byLine.count)
                for index in deliveries.indices {
                    lineOf[index] = -1
                    guard deliveries[index].quarter <= period else { continue }
                    guard deliveries[index].pledged else { unpledged.append(deliveries[index]); continue }
                    guard let line = lines.line(of: deliveries[index].measure) else { continue }
                    lineOf[index] = Int32(line)
                    counts[line] += 1
                }
                for line in byLine.indices { byLine[line].reserveCapacity(counts[line]) }
                for index in deliveries.indices where lineOf[index] >= 0 {
                    let quantity = deliveries[index].quantity, validated = deliveries[index].status == .validated
                    byLine[Int(lineOf[index])].append(.init(quarter: deliveries[index].quarter, quantity: quantity, validatedQuantity: validated ? quantity : .zero))
                }
            }
        }
        self.unpledged = unpledged
        self.byLine = projection.lines.indices.map { byLine[lines.first[$0]] }
    }
}

/// Finds the commitment line of a figure's measure. A return lists its lines in the order of
/// the pledge, so looking from just after the last line found is one or two comparisons of
/// short codes per figure: cheaper than hashing each code.
struct CommitmentLineFinder {
    let lines: [ContractProjection.CommitmentLine]
    /// For each line, the first line of its measure. A measure is committed once per contract
    /// (decide refuses a repeat); were it not, every line of a measure gets all its figures, as
    /// a filter by measure would give.
    let first: [Int]
    private var next = 0

    init(_ lines: [ContractProjection.CommitmentLine]) {
        self.lines = lines
        first = lines.indices.map { index in (0..<index).first { lines[$0].measure == lines[index].measure } ?? index }
    }

    /// The first line committing `measure`, or `nil` when none does.
    mutating func line(of measure: String) -> Int? {
        for offset in 0..<lines.count {
            let index = (next + offset) % lines.count
            if lines[index].measure == measure {
                next = index + 1
                return first[index]
            }
        }
        return nil
    }
}

/// The sums behind the theme, priority and supplier roll-ups. Lines are first summed per catalog
/// measure, and each measure's sum then goes to its theme and each of its priorities: the same
/// totals (pence add exactly, in any order), with lookups of a short measure code per line
/// instead of a "framework: priority" key built and hashed for every line and priority.
private struct RollupSums: Sendable {
    /// A measure's theme and priorities (the same for every line of one catalog's measure) and its lines' sum.
    struct MeasureSum {
        let theme: String
        let priorities: [String: [String]]
        var amounts: Amounts
    }

    /// Catalog reference → measure code → sum.
    private var measures: [String: [String: MeasureSum]] = [:]
    private var suppliers: [GroupKey: Amounts] = [:]

    mutating func add(_ contract: ContractReconciliation) {
        suppliers[GroupKey(contract.supplier ?? "(no supplier)"), default: .zero].add(contract.amounts)
        Self.add(contract.lines, to: &measures[contract.catalog, default: [:]])
    }

    private static func add(_ lines: [MeasureReconciliation], to sums: inout [String: MeasureSum]) {
        for index in lines.indices {
            // One look-up of the measure once it is there (a contract's lines are mostly measures seen before).
            if let place = sums.index(forKey: lines[index].measure) {
                sums.values[place].amounts.add(lines[index].amounts)
            } else {
                sums[lines[index].measure] = MeasureSum(theme: lines[index].theme, priorities: lines[index].priorities, amounts: lines[index].amounts)
            }
        }
    }

    /// Adds the sums of other contracts to these. A measure's theme and priorities are its
    /// catalog's, so the same on both sides.
    mutating func add(_ other: RollupSums) {
        for (catalog, others) in other.measures {
            for (measure, sum) in others {
                if let place = measures[catalog]?.index(forKey: measure) {
                    measures[catalog]!.values[place].amounts.add(sum.amounts)
                } else {
                    measures[catalog, default: [:]][measure] = sum
                }
            }
        }
        for (key, amounts) in other.suppliers { suppliers[key, default: .zero].add(amounts) }
    }

    var byTheme: [Rollup] {
        var themes: [GroupKey: Amounts] = [:]
        for sum in measures.values.lazy.flatMap(\.values) { themes[GroupKey(sum.theme), default: .zero].add(sum.amounts) }
        return Self.sorted(themes)
    }

    var byPriority: [Rollup] {
        var priorities: [GroupKey: Amounts] = [:]
        for sum in measures.values.lazy.flatMap(\.values) {
            for (framework, names) in sum.priorities {
                for name in names { priorities[GroupKey("\(framework): \(name)"), default: .zero].add(sum.amounts) }
            }
        }
        return Self.sorted(priorities)
    }

    var bySupplier: [Rollup] { Self.sorted(suppliers) }

    private static func sorted(_ groups: [GroupKey: Amounts]) -> [Rollup] {
        groups.keys.sorted().map { Rollup(key: $0.text, amounts: groups[$0]!) }
    }
}

/// A roll-up's name as the figures define it (Schemas/README.md §10): its UTF-8 bytes, equal
/// only when the bytes are and ordered by them. Swift's `String` equality is canonical
/// equivalence, which would sum a supplier spelt with "é" (U+00E9) and one spelt with "e" and a
/// combining accent into one row, under whichever spelling came first; the figures file, and
/// every other implementation of it, keep them apart.
private struct GroupKey: Hashable, Comparable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (left: GroupKey, right: GroupKey) -> Bool { left.text.sameBytes(as: right.text) }

    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }

    static func < (left: GroupKey, right: GroupKey) -> Bool { JSONObject.precedes(left.text, right.text) }
}
