import ArgumentParser
import EventStore
import LedgerValues
import Ledger
import Projections

/// `--as-of DATE` and `--at POSITION`: every read can look at the past.
struct AsOfOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read what the ledger held at the end of this day (UTC).", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(help: ArgumentHelp("Read what the ledger held at this position.", valueName: "position"))
    var at: UInt64?

    func validate() throws {
        if asOf != nil, at != nil { throw ValidationError("give --as-of or --at, not both") }
        if let asOf, CalendarDate(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, got \(DisplayText.quoted(asOf))") }
    }

    /// The date given by --as-of, if any.
    var date: CalendarDate? { asOf.flatMap(CalendarDate.init) }

    /// The position to read at; `nil` for the head.
    func position(in ledger: Ledger) throws -> UInt64? {
        if let at { return at }
        if let date { return try Snapshot.position(asOf: date, store: ledger.store) }
        return nil
    }

    func snapshot(_ ledger: Ledger) throws -> Snapshot { try ledger.snapshot(at: try position(in: ledger)) }

    /// The snapshot, with stored projections checked against a replay of the log: what reads
    /// of figures use, so that an edited projection is caught, never shown.
    func checkedSnapshot(_ ledger: Ledger) throws -> Snapshot {
        try Snapshot.load(store: ledger.store, projections: ledger.projections, at: try position(in: ledger), checkedAgainstLog: true)
    }
}

/// The line every read ends with, so that an answer can be checked against the chain later.
func headFooter(_ snapshot: Snapshot) -> String { headFooter(snapshot.head) }
