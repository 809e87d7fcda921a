import LedgerValues
import Projections
import SocialValue

/// The figures of one council (or directorate) at one period: the reconciliation's contracts in
/// the scope, summed again for the scope, with what the Cabinet report adds to them: the capped
/// headline, the windows (quarter, year to date, to date), each quarter of the year, the themes
/// in the council's own words, outcomes as counts, areas and evidence.
///
/// Every £ figure comes from the reconciliation's lines: to-date figures are its figures summed,
/// so that a council's totals are the reconciliation's whenever the council is the whole ledger.
public struct CabinetFigures: Sendable {
    public let period: FinancialQuarter
    public let reportingDate: CalendarDate
    /// The contracts in scope with a commitment in force, worst rated first (the reconciliation's order).
    public let contracts: [ContractReconciliation]
    /// Their sums: equal to `Reconciliation.portfolio` when the scope is the whole ledger.
    public let portfolio: Amounts
    /// Delivered to date with each commitment line counted at most at its expected to date.
    public let capped: Money
    /// The cut-offs every rating of the report is worked on: those of its contracts' policies, or
    /// svledger's defaults when they differ.
    public var cutOffs: RatingCutOffs { portfolio.cutOffs.cutOffs }
    /// The quarter, the financial year to date, and to date.
    public let windows: [CabinetWindow]
    /// The four quarters of the period's financial year.
    public let quarters: [CabinetQuarter]
    public let themes: [CabinetTheme]
    /// "framework: priority" roll-ups (a line counts in full under each priority of its measure).
    public let priorities: [CabinetRollup]
    /// Quantities delivered, grouped by unit (people FTE, weeks, £ spent, hours, …).
    public let outcomes: [CabinetOutcome]
    /// Quantities by measure, for the detail.
    public let measures: [CabinetMeasureOutcome]
    public let areas: [CabinetArea]
    public let evidence: CabinetEvidence

    /// Contracts per rating, in the order good, approaching target, requires improvement, inadequate, not yet due.
    public let ratingCounts: [(rating: PerformanceRating, count: Int)]

    public static let ratingOrder: [PerformanceRating] = [.good, .approachingTarget, .requiresImprovement, .inadequate, .notYetDue]

    public func window(_ kind: CabinetWindow.Kind) -> CabinetWindow { windows.first { $0.kind == kind }! }

    /// - Parameters:
    ///   - reconciliation: the whole ledger's reconciliation at the period.
    ///   - scope: what the report covers.
    ///   - reference: the reference data, for the measures' descriptions.
    ///   - detail: false for the trend's figures (``CabinetComparison``), which shows an earlier
    ///     quarter's contracts, ratings, windows and outcomes alone: its quarters of the year,
    ///     themes, priorities, measures, areas and evidence are left empty, as nothing shows
    ///     them and each is a walk of the whole portfolio.
    init(_ reconciliation: Reconciliation, scope: CabinetScope, reference: ReferenceData, detail: Bool = true) {
        let period = reconciliation.period, date = reconciliation.reportingDate
        // The reconciliation's own array when the scope covers every contract, as a council's
        // whole report does: a filtered array copied each contract, a retain of each of its fields.
        let all = reconciliation.contracts
        let covered = all.indices.filter { scope.covers(all[$0].reference) }
        let contracts = covered.count == all.count ? all : covered.map { all[$0] }
        // Each contract's projection read in place where it is in the scope: a dictionary of
        // projections copied one out, each string and array retained, at every look-up.
        let projections = scope.contracts
        let place = Dictionary(projections.indices.map { (projections[$0].reference, $0) }, uniquingKeysWith: { $1 })
        let found = contracts.indices.map { place[contracts[$0].reference] }
        // Every £ figure of a quarter the report shows is of the period's financial year, up to the period.
        let yearStart = FinancialQuarter(startYear: period.startYear, number: 1)!
        let lines = ScopedLines(contracts, spreads: found.map { at in
            at.map { CommitmentSpread(termStart: projections[$0].startDate, termEnd: projections[$0].endDate, pledgedOn: projections[$0].pledgedOn) }
        }, pricing: yearStart...period)
        // The outcomes are the largest part and depend on nothing else here: worked out on
        // another core while this one does the rest.
        let outcomesLater = Later { Self.outcomes(lines, period: period, reference: reference, scope: scope, measures: detail) }
        let portfolio = contracts.reduce(into: Amounts.zero) { $0.add($1.amounts) }
        let capped = portfolio.capped
        let cutOffs = portfolio.cutOffs.cutOffs

        let yearQuarters = [yearStart, yearStart.next, yearStart.next.next, yearStart.next.next.next]
        quarters = !detail ? [] : yearQuarters.map { quarter in
            guard quarter <= period else {
                return CabinetQuarter(quarter: quarter, reached: false, delivered: .zero, expected: .zero, capped: .zero)
            }
            let sums = Self.window(lines, quarters: [quarter], from: quarter.firstDay, to: min(quarter.lastDay, date))
            return CabinetQuarter(quarter: quarter, reached: true, delivered: sums.delivered, expected: sums.expected, capped: sums.capped)
        }
        func window(_ kind: CabinetWindow.Kind, from first: CalendarDate, quarters: [FinancialQuarter]) -> CabinetWindow {
            let sums = Self.window(lines, quarters: quarters, from: first, to: date)
            var running = 0, pledged = Money.zero
            for index in contracts.indices {
                guard let at = found[index] else { continue }
                let start = max(projections[at].startDate, projections[at].pledgedOn ?? projections[at].startDate)
                let end = min(projections[at].endDate, projections[at].closedOn ?? projections[at].endDate)
                if start <= date && end >= first { running += 1 }
                if let day = projections[at].pledgedOn, day >= first && day <= date { pledged += contracts[index].amounts.original }
            }
            return CabinetWindow(
                kind: kind, firstDay: first, lastDay: date, contractsInScope: running, pledged: pledged,
                delivered: sums.delivered, expected: sums.expected, capped: sums.capped, cutOffs: cutOffs)
        }
        windows = [
            window(.period, from: period.firstDay, quarters: [period]),
            window(.yearToDate, from: yearStart.firstDay, quarters: yearQuarters.filter { $0 <= period }),
            CabinetWindow(
                kind: .toDate, firstDay: nil, lastDay: date, contractsInScope: contracts.count, pledged: portfolio.original,
                delivered: portfolio.delivered, expected: portfolio.expected, capped: capped, cutOffs: cutOffs),
        ]

        self.period = period
        reportingDate = date
        self.contracts = contracts
        // Counted once, by index (each contract read in place): every renderer asks for them.
        var counts: [PerformanceRating: Int] = [:]
        for index in contracts.indices { counts[contracts[index].amounts.rating, default: 0] += 1 }
        ratingCounts = Self.ratingOrder.map { ($0, counts[$0] ?? 0) }
        self.portfolio = portfolio
        self.capped = capped
        guard detail else {
            (themes, priorities, areas, evidence) = ([], [], [], CabinetEvidence([], projections: [], at: [], period: period))
            (outcomes, measures) = (outcomesLater.wait().0, [])
            return
        }

        // The lines' amounts summed by measure first (its code, then among that code's few
        // catalogs), with its theme and priorities, which are the measure's: each theme looked
        // up, and each "framework: priority" key made, once per measure instead of once per line
        // (a hash, a new string and another hash per line were most of these sums). Measures in
        // the order first met, so that every sum adds its lines in the order the lines come.
        var byMeasure: [(theme: String, priorities: [String: [String]], amounts: Amounts)] = []
        var measurePlaces: [String: [(catalog: String, place: Int)]] = [:]
        for entry in lines.entries {
            let catalog = contracts[entry.contract].catalog
            lines.withLine(entry) { line in
                let code = line.pointee.measure
                if let place = measurePlaces[code]?.first(where: { $0.catalog == catalog })?.place {
                    byMeasure[place].amounts.add(line.pointee.amounts)
                } else {
                    measurePlaces[code, default: []].append((catalog, byMeasure.count))
                    byMeasure.append((line.pointee.theme, line.pointee.priorities, line.pointee.amounts))
                }
            }
        }
        // Themes, in the council's own words.
        var themeSums: [String: CabinetTheme.Sums] = [:]
        for measure in byMeasure {
            let (name, mapped) = scope.theme(measure.theme)
            themeSums[name, default: .init(mapped: mapped)].add(measure.amounts, theme: measure.theme)
        }
        themes = scope.themeOrder(Array(themeSums.keys)).map { name in
            let sums = themeSums[name]!
            return CabinetTheme(name: name, amounts: sums.amounts, mapped: sums.mapped, catalogThemes: sums.catalogThemes.sorted())
        }
        var prioritySums: [String: Amounts] = [:]
        for measure in byMeasure {
            for (framework, names) in measure.priorities {
                for name in names { prioritySums["\(framework): \(name)", default: .zero].add(measure.amounts) }
            }
        }
        priorities = prioritySums.keys.sorted().map { CabinetRollup(key: $0, amounts: prioritySums[$0]!) }
        areas = Self.areas(contracts, projections: projections, at: found)
        evidence = CabinetEvidence(contracts, projections: projections, at: found, period: period)
        (outcomes, measures) = outcomesLater.wait()
    }

    /// Delivered, expected and capped £ over `quarters`, expected counted from `from` to `to`.
    static func window(_ lines: ScopedLines, quarters: [FinancialQuarter], from: CalendarDate, to: CalendarDate) -> (delivered: Money, expected: Money, capped: Money) {
        var delivered = Money.zero, expected = Money.zero, capped = Money.zero
        // The days of each contract's spread elapsed by the day before `from` and by `to`,
        // worked out once for its lines (which follow one another).
        let before = from.adding(days: -1)
        var contract = -1, elapsed = (before: 0, to: 0)
        for entry in lines.entries {
            if entry.contract != contract {
                contract = entry.contract
                elapsed = (entry.spread.elapsedDays(by: before), entry.spread.elapsedDays(by: to))
            }
            let d = lines.delivered(entry, in: quarters), e = lines.expected(entry, elapsedBefore: elapsed.before, elapsedTo: elapsed.to)
            delivered += d
            expected += e
            // What is rated is the delivery the contract's policy counts: claimed, or validated.
            capped += Self.cap(entry.rated == .validated ? lines.validated(entry, in: quarters) : d, at: e)
        }
        return (delivered, expected, capped)
    }

    /// `delivered`, but no more than `expected` (and nothing when nothing was expected).
    static func cap(_ delivered: Money, at expected: Money) -> Money {
        max(.zero, min(delivered, expected))
    }

    /// - Parameter measures: false to leave the measures out (the trend shows none).
    /// - Precondition: `lines` come grouped by contract (``ScopedLines/entries`` are).
    static func outcomes(
        _ lines: ScopedLines, period: FinancialQuarter, reference: ReferenceData, scope: CabinetScope, measures withMeasures: Bool = true
    ) -> ([CabinetOutcome], [CabinetMeasureOutcome]) {
        var groups: [CabinetOutcome] = [], groupPlaces: [String: Int] = [:]
        var measures: [CabinetMeasureOutcome] = [], measurePlaces: [Pair: Int] = [:]
        var catalogs: [String: Catalog?] = [:]
        // Where each line of a catalog, measure and unit goes, with the measure's description,
        // worked out the first time: one look-up a line, by its short measure code, then among
        // the few catalogs and units of that code (hashing all three strings of every line was
        // a third of the outcomes' cost).
        typealias Place = (description: String, group: Int?, measure: Int)
        var places: [String: [(catalog: String, unit: String, place: Place)]] = [:]
        let contracts = lines.contracts
        for entry in lines.entries {
            let contract = entry.contract
            let (quantities, measureCode, unit) = lines.withLine(entry) { line in
                // The period's own figure (the first of that quarter, zero when none) found in
                // the same walk: a method called on the line copied it whole.
                var inYear = ExactDecimal.zero, inPeriod: ExactDecimal?
                for figure in line.pointee.deliveredPerQuarter where figure.quarter.startYear == period.startYear && figure.quarter <= period {
                    inYear = inYear + figure.quantity
                    if figure.quarter == period, inPeriod == nil { inPeriod = figure.quantity }
                }
                let quantities = CabinetQuantities(
                    committed: line.pointee.currentQuantity ?? .zero, expected: line.pointee.expectedQuantity, delivered: line.pointee.deliveredQuantity,
                    inPeriod: inPeriod ?? .zero, inYear: inYear)
                return (quantities, line.pointee.measure, line.pointee.unit)
            }
            let place: Place
            if let known = places[measureCode]?.first(where: { $0.catalog == contracts[contract].catalog && $0.unit == unit }) {
                place = known.place
            } else {
                if catalogs.index(forKey: contracts[contract].catalog) == nil { catalogs[contracts[contract].catalog] = .some(reference.catalog(reference: contracts[contract].catalog)) }
                let description = catalogs[contracts[contract].catalog]??.measure(measureCode)?.description ?? "(not in the catalog)"
                var group: Int?
                if CabinetOutcome.counts(unit: unit) {
                    // Each £ measure counts a different spend (local, regional, with small firms): never added together.
                    let measure = CabinetOutcome.isMoney(unit: unit) ? measureCode : nil
                    let outcome = CabinetOutcome(unit: unit, measure: measure, description: measure == nil ? nil : description)
                    group = groupPlaces[outcome.key] ?? {
                        groups.append(outcome)
                        groupPlaces[outcome.key] = groups.count - 1
                        return groups.count - 1
                    }()
                }
                let measureKey = Pair(measureCode, unit)
                let measure = measurePlaces[measureKey] ?? {
                    measures.append(CabinetMeasureOutcome(
                        measure: measureCode, unit: contracts[contract].lines[entry.line].accrual.accruedUnit(unit), description: description,
                        theme: scope.theme(contracts[contract].lines[entry.line].theme).name))
                    measurePlaces[measureKey] = measures.count - 1
                    return measures.count - 1
                }()
                place = (description, group, measure)
                places[measureCode, default: []].append((contracts[contract].catalog, unit, place))
            }
            if let group = place.group { groups[group].add(quantities, measure: measureCode) }
            if withMeasures { measures[place.measure].add(quantities, contract: contracts[contract].reference) }
        }
        // By kind; £ measures of one kind by the largest commitment first.
        let outcomes = groups.sorted {
            ($0.rank, $1.quantities.committed, $0.key) < ($1.rank, $0.quantities.committed, $1.key)
        }
        let themeOrder = scope.themeOrder(Array(Set(measures.map(\.theme))))
        let sortedMeasures = !withMeasures ? [] : measures.sorted {
            (themeOrder.firstIndex(of: $0.theme) ?? 0, $0.measure, $0.unit) < (themeOrder.firstIndex(of: $1.theme) ?? 0, $1.measure, $1.unit)
        }
        return (outcomes, sortedMeasures)
    }

    /// Two strings as one key, without joining them into a new string for every line.
    struct Pair: Hashable {
        let first: String, second: String
        init(_ first: String, _ second: String) {
            self.first = first
            self.second = second
        }
    }

    /// - Parameter found: where each of `contracts` is in `projections` (nil: not there).
    static func areas(_ contracts: [ContractReconciliation], projections: [ContractProjection], at found: [Int?]) -> [CabinetArea] {
        var areas: [String: CabinetArea] = [:]
        // By index: each contract and projection read in place.
        for index in contracts.indices {
            guard let at = found[index] else { continue }
            var seen: Set<String> = []
            for area in projections[at].areasServed {
                let key = Council.key(area)
                if seen.insert(key).inserted { areas[key, default: CabinetArea(name: area)].add(contracts[index]) }
            }
        }
        return areas.values.sorted { ($0.name.lowercased(), $0.name) < ($1.name.lowercased(), $1.name) }
    }
}

/// A roll-up of the scope's lines under one key ("framework: priority").
public struct CabinetRollup: Sendable, Equatable {
    public let key: String
    public let amounts: Amounts
}

/// The commitment lines of the contracts in scope, each read in place in its contract, with
/// the spread its expected figures follow and its quarters priced once.
///
/// The report walks every line several times (each window, each quarter, themes, outcomes).
/// A line is reached through its contract and place, never copied out: an object or a struct
/// holding a copy of each ``MeasureReconciliation`` cost a copy of every line's fields, with a
/// retain of each string and array, and a fresh allocation per line, three times over with the
/// trend (a tenth of the report's time at 1M events).
struct ScopedLines {
    struct Entry {
        /// The place of the line's contract in ``ScopedLines/contracts``, and of the line in it.
        let contract: Int
        let line: Int
        let spread: CommitmentSpread
        /// Which delivery the contract's policy rates.
        let rated: RatedDelivery
        /// The line's quarters in ``ScopedLines/priced``.
        let priced: Range<Int>
    }

    /// A reported quarter's delivered and validated £: the quarter's quantity priced at the
    /// line's proxy and rounded once (none for a record-only line, which has no £).
    struct PricedQuarter {
        let quarter: FinancialQuarter
        let delivered: Money
        let validated: Money
    }

    let contracts: [ContractReconciliation]
    /// Contract by contract, each contract's lines in order.
    private(set) var entries: [Entry] = []
    private(set) var priced: [PricedQuarter] = []

    /// - Parameters:
    ///   - spreads: each contract's spread; a contract without one (not in the scope's
    ///     projections) has no line here.
    ///   - pricing: the quarters whose delivered £ is asked for (``delivered(_:in:)``): only
    ///     they are priced.
    init(_ contracts: [ContractReconciliation], spreads: [CommitmentSpread?], pricing: ClosedRange<FinancialQuarter>) {
        self.contracts = contracts
        // In slices of the contracts side by side (reading each line's quarters is mostly
        // waiting on memory), then joined in order, each slice's quarters placed after the last's.
        let slices = min(16, max(1, contracts.count / 64))
        let parts = ConcurrentMap.map(slices, minimum: 2) { slice in
            var entries: [Entry] = [], priced: [PricedQuarter] = []
            for index in (contracts.count * slice / slices)..<(contracts.count * (slice + 1) / slices) {
                guard let spread = spreads[index] else { continue }
                for place in contracts[index].lines.indices {
                    let first = priced.count
                    if let proxy = contracts[index].lines[place].proxy {
                        for figure in contracts[index].lines[place].deliveredPerQuarter where pricing.contains(figure.quarter) {
                            priced.append(PricedQuarter(
                                quarter: figure.quarter, delivered: Money.lineValue(quantity: figure.quantity, proxy: proxy),
                                // Nothing validated is worth nothing: most figures are not validated yet.
                                validated: figure.validatedQuantity.isZero ? .zero : Money.lineValue(quantity: figure.validatedQuantity, proxy: proxy)))
                        }
                    }
                    entries.append(Entry(contract: index, line: place, spread: spread, rated: contracts[index].ratedDelivery, priced: first..<priced.count))
                }
            }
            return (entries: entries, priced: priced)
        }
        entries.reserveCapacity(parts.reduce(0) { $0 + $1.entries.count })
        priced.reserveCapacity(parts.reduce(0) { $0 + $1.priced.count })
        for part in parts {
            let offset = priced.count
            for entry in part.entries {
                entries.append(Entry(
                    contract: entry.contract, line: entry.line, spread: entry.spread, rated: entry.rated,
                    priced: (entry.priced.lowerBound + offset)..<(entry.priced.upperBound + offset)))
            }
            priced += part.priced
        }
    }

    /// `body` given a pointer to the entry's line where it is, in its contract, to read the
    /// fields it needs: a line handed to a closure, even `borrowing`, even from a buffer or a
    /// pointer's `pointee`, was copied whole first (a retain and a release of each of its
    /// strings and arrays, by `perf record`).
    func withLine<T>(_ entry: Entry, _ body: (UnsafePointer<MeasureReconciliation>) -> T) -> T {
        contracts.withUnsafeBufferPointer { contracts in
            (contracts.baseAddress! + entry.contract).pointee.lines.withUnsafeBufferPointer { lines in body(lines.baseAddress! + entry.line) }
        }
    }


    /// Delivered £ in `quarters` (of the quarters priced), each quarter priced and rounded on its own.
    func delivered(_ entry: Entry, in quarters: [FinancialQuarter]) -> Money {
        var sum = Money.zero
        for index in entry.priced where quarters.contains(priced[index].quarter) { sum += priced[index].delivered }
        return sum
    }

    /// Validated £ in `quarters`, priced as ``delivered(_:in:)`` is.
    func validated(_ entry: Entry, in quarters: [FinancialQuarter]) -> Money {
        var sum = Money.zero
        for index in entry.priced where quarters.contains(priced[index].quarter) { sum += priced[index].validated }
        return sum
    }

    /// Expected £ over a window of days: the expected to date at its last day less that at the
    /// day before its first, given as the days of the entry's spread elapsed by each, the
    /// current commitment spread as the reconciliation spreads it.
    func expected(_ entry: Entry, elapsedBefore: Int, elapsedTo: Int) -> Money {
        let value = contracts[entry.contract].lines[entry.line].amounts.current
        return entry.spread.expected(value, elapsedDays: elapsedTo) - entry.spread.expected(value, elapsedDays: elapsedBefore)
    }
}

/// One column of the headline: a window of days up to the reporting date.
public struct CabinetWindow: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Delivered in the period's quarter.
        case period
        /// Delivered in the financial year's quarters up to and including the period.
        case yearToDate = "year_to_date"
        /// Every quarter up to the period since each commitment began: `svledger reconcile`'s figures.
        case toDate = "to_date"
    }

    public let kind: Kind
    public let firstDay: CalendarDate?
    public let lastDay: CalendarDate
    /// Contracts with a commitment running in the window (every reconciled contract, to date).
    public let contractsInScope: Int
    /// Original pledges dated in the window (every pledge, to date).
    public let pledged: Money
    public let delivered: Money
    public let expected: Money
    /// Delivered with each line counted at most at what was expected of it in the window.
    public let capped: Money
    /// The cut-offs the window is rated on: its contracts' (``CabinetFigures/cutOffs``).
    public let cutOffs: RatingCutOffs

    public var variance: Money { delivered - expected }
    /// The rating: of the capped figures, as every rating is (docs/rules.md "Rating").
    public var rating: PerformanceRating { PerformanceRating.rating(delivered: capped.decimal, expected: expected.decimal, cutOffs: cutOffs) }

    /// Whether two windows show the same figures (the year to date and to date, when every
    /// commitment began this year): contracts, expected, delivered and capped (pledges, which
    /// the summary does not show, may have been dated before the year).
    func sameFigures(as other: CabinetWindow) -> Bool {
        (contractsInScope, delivered, expected, capped) == (other.contractsInScope, other.delivered, other.expected, other.capped)
    }
}

/// One quarter of the financial year.
public struct CabinetQuarter: Sendable, Equatable {
    public let quarter: FinancialQuarter
    /// False for quarters after the period: nothing is reported for them.
    public let reached: Bool
    public let delivered: Money
    public let expected: Money
    public let capped: Money
}

/// One of the themes the report shows: a council theme (with the catalog themes it takes), or a
/// catalog theme the council's themes do not take (`mapped` false).
public struct CabinetTheme: Sendable, Equatable {
    public let name: String
    public let amounts: Amounts
    /// Delivered to date, each line at most at its expected (the figures carry it).
    public var capped: Money { amounts.capped }
    public let mapped: Bool
    /// The catalog themes whose measures count here.
    public let catalogThemes: [String]

    struct Sums {
        var amounts = Amounts.zero
        var mapped: Bool
        var catalogThemes: Set<String> = []

        init(mapped: Bool) { self.mapped = mapped }

        mutating func add(_ line: Amounts, theme: String) {
            amounts.add(line)
            catalogThemes.insert(theme)
        }
    }
}

/// Committed, expected, delivered to date and delivered in the period, as quantities.
public struct CabinetQuantities: Sendable, Equatable {
    public var committed: ExactDecimal
    public var expected: ExactDecimal
    public var delivered: ExactDecimal
    public var inPeriod: ExactDecimal
    /// Delivered in the financial year's quarters up to the period.
    public var inYear: ExactDecimal

    public static let zero = CabinetQuantities(committed: .zero, expected: .zero, delivered: .zero, inPeriod: .zero, inYear: .zero)

    mutating func add(_ other: CabinetQuantities) {
        committed = committed + other.committed
        expected = expected + other.expected
        delivered = delivered + other.delivered
        inPeriod = inPeriod + other.inPeriod
        inYear = inYear + other.inYear
    }
}

/// Outcomes as counts: the quantities of every measure reported in one unit, added up (jobs,
/// weeks, hours), or, for a £ unit, one measure's (each counts a different spend: in the local
/// supply chain, in the county's, with small firms, so they are never added together). Measures
/// in one unit can count the same thing twice (a local employee who was also long-term
/// unemployed is counted under both), as priorities do; the measures are named.
public struct CabinetOutcome: Sendable, Equatable {
    public let unit: String
    /// The one measure of a £ outcome; `nil` for a unit's sum.
    public let measure: String?
    /// The measure's description, for a £ outcome.
    public let description: String?
    public private(set) var quantities = CabinetQuantities.zero
    public private(set) var measures: [String] = []

    init(unit: String, measure: String? = nil, description: String? = nil) {
        self.unit = unit
        self.measure = measure
        self.description = description
    }

    mutating func add(_ other: CabinetQuantities, measure: String) {
        quantities.add(other)
        if !measures.contains(measure) { measures.append(measure) }
    }

    /// The outcome's key in the CSV and the trend: the unit, and for a £ outcome its measure.
    public var key: String { measure.map { "\(unit) \($0)" } ?? unit }

    /// What is counted, in words ("Jobs (full-time equivalent years of employment)", "£ spent (NT18)"); an
    /// unknown unit as it is.
    public var label: String {
        if let measure, let own = Self.moneyLabels[measure] { return "\(own) (\(measure))" }
        let base = Self.labels[unit]?.label ?? unit
        return measure.map { "\(base) (\($0))" } ?? base
    }

    /// Whether the label says what a £ outcome counts (a known National TOMs measure), so the
    /// one-page summary needs no description under it.
    public var hasOwnLabel: Bool { measure.map { Self.moneyLabels[$0] != nil } ?? true }

    /// The National TOMs £ measures in words (their codes mean the same in every catalog).
    static let moneyLabels: [String: String] = [
        "NT14": "£ spent with voluntary and community organisations",
        "NT18": "£ spent in the local supply chain",
        "NT19": "£ spent with local small and medium firms",
        "NT28": "£ donated or given in kind to local community projects",
        "NT67": "£ given to environmental initiatives",
        "NT85": "£ of resources for green spaces",
    ]
    var rank: Int { Self.labels[unit]?.rank ?? 99 }

    /// Units whose quantities may be added up: every unit but percentages.
    static func counts(unit: String) -> Bool {
        // Asked for every line: trim only when the unit has spaces at either end.
        let ends = (unit.utf8.first, unit.utf8.last)
        if let first = ends.0, let last = ends.1, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return unit != "%" }
        return unit.trimmingSpaces != "%"
    }

    /// Units that are sums of money spent or given: one outcome per measure.
    static func isMoney(unit: String) -> Bool { unit.hasPrefix("£") }

    /// The units of the shipped catalogs in words, in the order a summary lists them. FTE and
    /// access to wellbeing support are levels held over a year (docs/rules.md "Levels and flows"),
    /// so what adds up, and what these count, is years held.
    static let labels: [String: (label: String, rank: Int)] = [
        "no. people FTE": ("Jobs (full-time equivalent years of employment)", 0),
        "no. weeks": ("Apprenticeship, training and placement weeks", 1),
        "£": ("£ spent", 2),
        "£ value": ("£ donated or given in kind", 3),
        "no. staff volunteering hours": ("Volunteering hours", 4),
        "no. staff hours": ("Staff hours with schools and colleges", 5),
        "no. staff expert hours": ("Expert advice hours", 6),
        "no. hours": ("Hours of support and training", 7),
        "no. employees provided access": ("Employee-years of access to wellbeing support", 8),
        "no. initiatives": ("Initiatives", 9),
        "tonnes CO2e": ("Carbon saved (tonnes CO2e)", 10),
        "tonnes": ("Waste reduced or diverted (tonnes)", 11),
        "miles saved": ("Car miles saved", 12),
        "miles driven": ("Miles driven in low or no emission vehicles", 13),
    ]
}

/// The quantities of one measure across the contracts in scope.
public struct CabinetMeasureOutcome: Sendable, Equatable {
    public let measure: String
    public let unit: String
    public let description: String
    public let theme: String
    public private(set) var quantities = CabinetQuantities.zero
    /// In the order first added.
    public private(set) var contracts: [String] = []

    init(measure: String, unit: String, description: String, theme: String) {
        self.measure = measure
        self.unit = unit
        self.description = description
        self.theme = theme
    }

    /// - Precondition: a contract's lines are added one after another (``CabinetFigures``
    ///   adds them contract by contract), so "already counted?" asks the last contract alone.
    mutating func add(_ other: CabinetQuantities, contract: String) {
        quantities.add(other)
        if contracts.last != contract { contracts.append(contract) }
    }
}

/// The contracts serving one area (a contract serving several counts in full under each).
public struct CabinetArea: Sendable, Equatable {
    public let name: String
    public private(set) var contracts: [String] = []
    public private(set) var amounts = Amounts.zero
    /// Delivered to date, each line at most at its expected (the figures carry it).
    public var capped: Money { amounts.capped }
    /// Contracts rated requires improvement or inadequate.
    public private(set) var underDelivering = 0

    init(name: String) { self.name = name }

    mutating func add(_ contract: ContractReconciliation) {
        contracts.append(contract.reference)
        amounts.add(contract.amounts)
        if CabinetExceptions.isUnderDelivering(contract.amounts.rating) { underDelivering += 1 }
    }
}

/// What stands behind the delivered figures: returns made and missed, evidence references,
/// corrections, and figures against measures never pledged.
public struct CabinetEvidence: Sendable, Equatable {
    public struct Counts: Sendable, Equatable {
        /// Quarterly returns made for quarters up to the period.
        public var returns = 0
        /// Quarters ended before the reporting date with no return.
        public var lateReturns = 0
        /// Delivery figures (a quarter's quantity for a pledged measure) up to the period.
        public var figures = 0
        /// Of those, figures that cite an evidence reference.
        public var withEvidence = 0
        /// Of those, figures replaced by a correction.
        public var corrected = 0
        /// Figures against measures not pledged, kept apart from the totals.
        public var unpledged = 0
        /// Commitment lines that delivered more than twice their expected quantity to date:
        /// accepted, with their evidence to be checked (`MeasureReconciliation.overDelivered`).
        public var overDelivered = 0

        public var withoutEvidence: Int { figures - withEvidence }

        mutating func add(_ other: Counts) {
            returns += other.returns
            lateReturns += other.lateReturns
            figures += other.figures
            withEvidence += other.withEvidence
            corrected += other.corrected
            unpledged += other.unpledged
            overDelivered += other.overDelivered
        }
    }

    public let total: Counts
    /// By contract, in the order of the contracts (worst rated first).
    public let contracts: [(reference: String, counts: Counts)]

    public static func == (lhs: CabinetEvidence, rhs: CabinetEvidence) -> Bool {
        lhs.total == rhs.total && lhs.contracts.map(\.reference) == rhs.contracts.map(\.reference)
            && lhs.contracts.map(\.counts) == rhs.contracts.map(\.counts)
    }

    /// - Parameter found: where each of `contracts` is in `projections` (nil: not there).
    init(_ contracts: [ContractReconciliation], projections: [ContractProjection], at found: [Int?], period: FinancialQuarter) {
        var total = Counts(), rows: [(String, Counts)] = []
        // By index: each contract and projection read in place.
        for index in contracts.indices {
            let contract = contracts[index].reference
            var counts = Counts()
            if let at = found[index] {
                counts.returns = projections[at].returnedQuarters.count { $0 <= period }
                // Field by field: a copy of each figure (its strings and arrays) cost more than the count.
                let deliveries = projections[at].deliveries
                for index in deliveries.indices where deliveries[index].quarter <= period {
                    guard deliveries[index].pledged else { counts.unpledged += 1; continue }
                    counts.figures += 1
                    if !deliveries[index].evidence.isBlank { counts.withEvidence += 1 }
                    if deliveries[index].corrected { counts.corrected += 1 }
                }
            }
            counts.lateReturns = contracts[index].lateReturnCount
            counts.overDelivered = contracts[index].lines.count(where: \.overDelivered)
            total.add(counts)
            rows.append((contract, counts))
        }
        self.total = total
        self.contracts = rows
    }
}
