import EventStore
import LedgerValues
import Ledger
import Projections
import Reports
import SocialValue

/// What a read of figures looks at, worked out once for every read and report, by the CLI and
/// the server alike: the ledger at a position (`asOf`/`at`), as it stood on a day (`on`),
/// reconciled for a period at its reporting date with the commitments in force then, and the
/// digest of those figures (Schemas/README.md §10).
public struct FigureView: Sendable {
    /// The contracts as read (at the position, as effective on the `on` day when given).
    public let snapshot: Snapshot
    public let period: FinancialQuarter
    public let reportingDate: CalendarDate
    public let effectiveOn: CalendarDate?
    /// The reconciliation the read shows (filtered to a contract or supplier when asked).
    public let reconciliation: Reconciliation
    /// The whole portfolio's figures, which the digest covers whatever the filter.
    public let figures: FiguresFile
    /// The contracts with the commitments in force at the reporting date: what is reconciled.
    public let inForce: Snapshot
    /// With `trend`, the whole snapshot reconciled at the quarters the Cabinet report compares
    /// with (``CabinetReportModel/comparedQuarters(_:)``), each with the commitments in force on
    /// its last day, for their contracts and lines (the trend shows no roll-up or late return, so they have
    /// none); empty otherwise.
    public let comparisons: [Reconciliation]

    /// - Parameters:
    ///   - today: the day a default period and reporting date come from (never read from a clock here).
    ///   - only: a read of one contract: its stream alone is folded, and ``figures`` are that
    ///     contract's (Schemas/README.md §10, "A contract's figures"), not the portfolio's.
    ///   - trend: also reconcile at the quarters the Cabinet report compares with (``comparisons``).
    public init(
        _ ledger: Ledger, at point: ReadPoint, period: FinancialQuarter?, today: CalendarDate, contract: String? = nil, supplier: String? = nil,
        only: String? = nil, trend: Bool = false
    ) throws {
        let position = try point.position(in: ledger)
        if only == nil, point.on == nil {
            // The whole portfolio at its head or a position: one pass gives the contracts and
            // the commitments in force at the reporting date (and at the trend's quarters).
            let quarter = ReportingPeriod.quarter(period, asOf: point.day, today: today)
            let trendQuarters = trend ? Self.trendQuarters(quarter) : []
            let (read, inForce) = try Snapshot.foldedWithCommitments(
                store: ledger.store, at: position, inForceOn: [ReportingPeriod.reportingDate(quarter, asOf: point.day, today: today)] + trendQuarters.map(\.lastDay))
            self.init(
                read: read, inForce: inForce[0], trend: Array(zip(trendQuarters, inForce.dropFirst())), at: point, period: period, today: today,
                contract: contract, supplier: supplier)
            return
        }
        let read = try only.map { try Snapshot.folded(store: ledger.store, at: position, contract: $0) } ?? Snapshot.folded(store: ledger.store, at: position)
        try self.init(read: read, store: ledger.store, at: point, period: period, today: today, contract: contract, supplier: supplier, trend: trend)
    }

    /// The view of `read`, a snapshot already folded (by a server that holds the fold at the
    /// head, or by the initializer above): of one contract when `read` is of one.
    public init(
        read: Snapshot, store: EventStore, at point: ReadPoint, period: FinancialQuarter?, today: CalendarDate, contract: String? = nil,
        supplier: String? = nil, trend: Bool = false
    ) throws {
        let quarter = ReportingPeriod.quarter(period, asOf: point.day, today: today)
        let snapshot = try point.on.map { try read.limited(.effective(on: $0), store: store) } ?? read
        let inForce = try snapshot.limited(.commitmentsInForce(on: ReportingPeriod.reportingDate(quarter, asOf: point.day, today: today)), store: store)
        let earlier = try (trend ? Self.trendQuarters(quarter) : []).map { ($0, try snapshot.limited(.commitmentsInForce(on: $0.lastDay), store: store)) }
        self.init(read: snapshot, inForce: inForce, trend: earlier, at: point, period: period, today: today, contract: contract, supplier: supplier)
    }

    /// The trend's quarters: the one before, and the same quarter a year before.
    public static func trendQuarters(_ quarter: FinancialQuarter) -> [FinancialQuarter] {
        let (lastYear, previous) = CabinetReportModel.comparedQuarters(quarter)
        return [previous, lastYear]
    }

    /// The days a view at `point` needs the commitments in force on: its reporting date, then
    /// with `trend` each trend quarter's last day (what ``init(read:inForce:trend:at:period:today:contract:supplier:)`` takes).
    public static func inForceDays(at point: ReadPoint, period: FinancialQuarter?, today: CalendarDate, trend: Bool) -> (reportingDate: CalendarDate, trend: [FinancialQuarter]) {
        let quarter = ReportingPeriod.quarter(period, asOf: point.day, today: today)
        return (ReportingPeriod.reportingDate(quarter, asOf: point.day, today: today), trend ? trendQuarters(quarter) : [])
    }

    /// The view of `read` (already limited to the `on` day when there is one) whose commitments
    /// in force at the reporting date are `inForce`, and at each trend quarter's last day its own:
    /// what a reader holding those folds already (``LiveFold``) makes without folding the log.
    public init(
        read snapshot: Snapshot, inForce: Snapshot, trend: [(FinancialQuarter, Snapshot)], at point: ReadPoint, period: FinancialQuarter?, today: CalendarDate,
        contract: String?, supplier: String?
    ) {
        // The trend's quarters are reconciled on another core while this one reconciles the period.
        let earlier = trend.isEmpty ? nil : Later { trend.map { quarter, inForce in Reconciliation.linesAlone(inForce, at: quarter) } }
        effectiveOn = point.on
        let day = point.day
        self.period = ReportingPeriod.quarter(period, asOf: day, today: today)
        reportingDate = ReportingPeriod.reportingDate(self.period, asOf: day, today: today)
        self.snapshot = snapshot
        self.inForce = inForce
        let whole = Reconciliation.compute(inForce, period: self.period, reportingDate: reportingDate)
        if let only = snapshot.only {
            figures = FiguresFile(whole, contract: only, version: snapshot.contract(only)?.version ?? 0)
        } else {
            figures = FiguresFile(whole)
        }
        reconciliation = contract == nil && supplier == nil
            ? whole : Reconciliation.compute(inForce, period: self.period, reportingDate: reportingDate, contract: contract, supplier: supplier)
        comparisons = earlier?.wait() ?? []
    }

    private init(_ whole: FigureView, reconciliation: Reconciliation) {
        comparisons = whole.comparisons
        snapshot = whole.snapshot
        period = whole.period
        reportingDate = whole.reportingDate
        effectiveOn = whole.effectiveOn
        figures = whole.figures
        inForce = whole.inForce
        self.reconciliation = reconciliation
    }

    /// The same view with its reconciliation filtered to a contract or a supplier: what a
    /// server answers from one whole-portfolio view, checked and reconciled once.
    public func narrowed(contract: String?, supplier: String?) -> FigureView {
        guard contract != nil || supplier != nil else { return self }
        return FigureView(self, reconciliation: Reconciliation.compute(inForce, period: period, reportingDate: reportingDate, contract: contract, supplier: supplier))
    }

    /// The figures file of one supplier's contracts alone, stating the supplier and its
    /// streams' versions instead of the ledger's head (Schemas/README.md §10): what a server
    /// gives a supplier, and `svledger figures --supplier` prints.
    public func figures(ofSupplier supplier: String) -> FiguresFile {
        FiguresFile(narrowed(contract: nil, supplier: supplier).reconciliation, supplier: supplier, versions: versions(ofSupplier: supplier))
    }

    /// The stream version of each contract of `supplier` in the view, by reference.
    public func versions(ofSupplier supplier: String) -> [String: UInt64] {
        var versions: [String: UInt64] = [:]
        for contract in snapshot.contracts where contract.supplier.sameBytes(as: supplier) { versions[contract.reference] = contract.version }
        return versions
    }

    /// What a read of this view states it was read at (``ReadProof``), for `supplier`'s eyes
    /// when one is given: the head and this view's figures, or, for a supplier, the versions
    /// of its own contracts' streams and its own figures (this view's, when it is of one
    /// contract, which the route has already found to be the supplier's).
    public func proof(for supplier: String? = nil) -> ReadProof {
        guard let supplier else { return .ledger(snapshot.head, figures: figures, effectiveOn: effectiveOn) }
        if let contract = figures.contract {
            return .supplier(streams: [ContractEvent.stream(contract: contract): snapshot.contract(contract)?.version ?? 0], figures: figures, effectiveOn: effectiveOn)
        }
        var streams: [String: UInt64] = [:]
        for (reference, version) in versions(ofSupplier: supplier) { streams[ContractEvent.stream(contract: reference)] = version }
        return .supplier(streams: streams, figures: figures(ofSupplier: supplier), effectiveOn: effectiveOn)
    }
}
