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

    /// The day given by --on, if any; a value that is not a day is `invalid-date` (DateOption).
    var date: CalendarDate? { get throws { try DateOption.day(on, flag: "--on", readable: true) } }
}

/// The shared ``FigureView`` (module Queries), from the command line's options.
extension FigureView {
    /// The view a command reads until it ends, so never freed (``LeftToExit``).
    /// - Parameter only: a read of one contract, which folds its stream alone and states its figures.
    init(
        _ ledger: Ledger, asOf: AsOfOptions, effective: EffectiveOptions, period: String?, contract: String? = nil, supplier: String? = nil,
        only: String? = nil, trend: Bool = false
    ) throws {
        let point = try asOf.point(on: try effective.date)
        // The command line's clock is read here, at the edge, and passed in: `--period` absent
        // means the quarter of --as-of, or of today.
        try self.init(
            ledger, at: point, period: try period.map { try DateOption.quarter($0) }, today: Timestamp.now().date, contract: contract, supplier: supplier,
            only: only, trend: trend)
        LeftToExit.keep(self)
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
