import ArgumentParser
import LedgerValues
import Ledger
import Projections
import Queries
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
        if let day = on.flatMap(CalendarDate.init), !ReadRange.contains(day) { throw ValidationError("--on must be \(ReadRange.described), got \(day)") }
    }

    var date: CalendarDate? { on.flatMap(CalendarDate.init) }
}

/// The shared ``FigureView`` (module Queries), from the command line's options.
extension FigureView {
    init(_ ledger: Ledger, asOf: AsOfOptions, effective: EffectiveOptions, period: String?, contract: String? = nil, supplier: String? = nil) throws {
        let point = asOf.point(on: effective.date)
        try self.init(ledger, at: point, period: try period.map { try PeriodOption.quarter($0, asOf: nil) }, contract: contract, supplier: supplier)
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

/// The line every read ends with, for a read made without a snapshot (the audit trail).
func headFooter(_ head: LedgerHead) -> String {
    "as of position \(head.position), hash \(head.hash.hex)"
}
