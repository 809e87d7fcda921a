import ArgumentParser
import LedgerValues
import Ledger
import Projections
import Reports
import SocialValue

/// `--on DATE`: the effective-time view, beside `--as-of` (recorded time).
struct EffectiveOptions: ParsableArguments {
    @Option(
        name: .customLong("on"),
        help: ArgumentHelp(
            "How things stood on this day by the events' effective dates, as the ledger knows it at the head (or at --as-of / --at): events effective later are left out.",
            valueName: "YYYY-MM-DD"))
    var on: String?

    func validate() throws {
        if let on, CalendarDate(on) == nil { throw ValidationError("--on must be a date YYYY-MM-DD, got \"\(on)\"") }
    }

    var date: CalendarDate? { on.flatMap(CalendarDate.init) }
}

/// What a read of figures looks at, worked out once for every read and report: the ledger at a
/// position (`--as-of`/`--at`), as it stood on a day (`--on`), reconciled for a period at its
/// reporting date with the commitments in force then, and the digest of those figures
/// (Schemas/README.md §10).
struct FigureView {
    /// The contracts as read (at the position, as effective on the `--on` day when given).
    let snapshot: Snapshot
    let period: FinancialQuarter
    let reportingDate: CalendarDate
    let effectiveOn: CalendarDate?
    /// The reconciliation the read shows (filtered to a contract or supplier when asked).
    let reconciliation: Reconciliation
    /// The whole portfolio's figures, which the digest covers whatever the filter.
    let figures: FiguresFile

    init(_ ledger: Ledger, asOf: AsOfOptions, effective: EffectiveOptions, period: String?, contract: String? = nil, supplier: String? = nil) throws {
        let read = try asOf.checkedSnapshot(ledger)
        effectiveOn = effective.date
        let day = effective.date ?? asOf.date
        self.period = try PeriodOption.quarter(period, asOf: day)
        reportingDate = PeriodOption.reportingDate(self.period, asOf: day)
        snapshot = try effectiveOn.map { try read.limited(.effective(on: $0), store: ledger.store) } ?? read
        let inForce = try snapshot.limited(.commitmentsInForce(on: reportingDate), store: ledger.store)
        let whole = Reconciliation.compute(inForce, period: self.period, reportingDate: reportingDate)
        figures = FiguresFile(whole)
        reconciliation = contract == nil && supplier == nil
            ? whole : Reconciliation.compute(inForce, period: self.period, reportingDate: reportingDate, contract: contract, supplier: supplier)
    }

    /// The lines every text read of figures ends with: the head, the figures' digest, and the
    /// effective day when the view is one.
    var footer: [String] {
        var lines = [headFooter(snapshot), figures.footer]
        if let effectiveOn { lines.append("as effective on \(effectiveOn): events with a later effective date are left out") }
        return lines
    }

    func printFooter() { for line in footer { Terminal.print(line) } }
}

extension FigureView {
    /// A read's JSON document with the `figures` member that states the digest.
    func stating(_ document: JSONValue) -> JSONValue {
        guard case .object(var members) = document else { return document }
        members["figures"] = figures.json(effectiveOn: effectiveOn)
        return .object(members)
    }
}
