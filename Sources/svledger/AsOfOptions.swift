import ArgumentParser
import EventStore
import LedgerValues
import Ledger
import Projections
import Queries

/// `--as-of DATE` and `--at POSITION`: every read can look at the past.
struct AsOfOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Read what the ledger held at the end of this day (UTC).", valueName: "YYYY-MM-DD"))
    var asOf: String?

    @Option(help: ArgumentHelp("Read what the ledger held at this position.", valueName: "position"))
    var at: UInt64?

    func validate() throws {
        if asOf != nil, at != nil { throw ValidationError("give --as-of or --at, not both") }
    }

    /// The date given by --as-of, if any; a value that is not a day is `invalid-date` (DateOption).
    var date: CalendarDate? { get throws { try DateOption.day(asOf, flag: "--as-of", readable: true) } }

    /// The shared read point (module Queries), with `--on` when the read takes it.
    func point(on: CalendarDate? = nil) throws -> ReadPoint { ReadPoint(asOf: try date, at: at, on: on) }

    /// The position to read at; `nil` for the head.
    func position(in ledger: Ledger) throws -> UInt64? { try point().position(in: ledger) }

}

/// The line every read ends with, so that an answer can be checked against the chain later.
func headFooter(_ snapshot: Snapshot) -> String { headFooter(snapshot.head) }
