import EventStore
import LedgerValues
import Ledger
import Projections
import SocialValue

/// Where a read looks, the same for every front end: the ledger as it was at a position
/// (`at`) or at the end of a day by recorded time (`asOf`), and, for reads of figures, how
/// things stood on a day by effective time (`on`). The CLI fills it from `--as-of`, `--at`
/// and `--on`; the server from the `as-of`, `at` and `on` query parameters.
public struct ReadPoint: Sendable, Equatable {
    public var asOf: CalendarDate?
    public var at: UInt64?
    public var on: CalendarDate?

    public init(asOf: CalendarDate? = nil, at: UInt64? = nil, on: CalendarDate? = nil) {
        self.asOf = asOf
        self.at = at
        self.on = on
    }

    /// The position to read at; `nil` for the head.
    public func position(in ledger: Ledger) throws -> UInt64? {
        if let at { return at }
        if let asOf { return try Snapshot.position(asOf: asOf, store: ledger.store) }
        return nil
    }

    /// The day a default period and a reporting date are taken from: `on`, else `asOf`.
    public var day: CalendarDate? { on ?? asOf }
}

/// The reporting period of a read of figures: a financial quarter, by default the one of the
/// read's day (`on`, else `asOf`) or of today, reported up to its last day or that day if earlier.
public enum ReportingPeriod {
    /// `today` is the caller's (the CLI's clock, a server's injected one): nothing here reads a clock.
    public static func quarter(_ given: FinancialQuarter?, asOf: CalendarDate?, today: CalendarDate) -> FinancialQuarter {
        given ?? FinancialQuarter(containing: asOf ?? today)
    }

    /// The last day of the period, or the as-of date (or today) if that comes first.
    public static func reportingDate(_ quarter: FinancialQuarter, asOf: CalendarDate?, today: CalendarDate) -> CalendarDate {
        min(quarter.lastDay, asOf ?? today)
    }
}

/// The days and periods a read may name: the financial years 1001-02 to 9997-98. A read looks
/// at neighbouring quarters (the next one to find a period's last day, the same quarter a year
/// before for a trend), and those must stay within the years 1000 to 9999 that svledger's dates
/// hold. Outside, a read is refused as bad input instead of trapping.
public enum ReadRange {
    public static let firstDay = FinancialQuarter.namedDays.lowerBound
    public static let lastDay = FinancialQuarter.namedDays.upperBound

    public static func contains(_ day: CalendarDate) -> Bool { firstDay <= day && day <= lastDay }

    public static func contains(_ quarter: FinancialQuarter) -> Bool { (1001...9997).contains(quarter.startYear) }

    /// How an error says the range.
    public static let described = "within the financial years 1001-02 to 9997-98 (1001-04-01 to 9998-03-31)"
}
