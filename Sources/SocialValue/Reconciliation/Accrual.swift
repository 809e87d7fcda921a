import LedgerValues

/// How a measure's quarterly returns make up a figure for a longer period (docs/rules.md,
/// "Levels and flows"). Weeks of training, hours, pounds spent and tonnes saved are flows: each
/// quarter's return is new delivery, and returns add up. People employed (FTE) or a percentage of
/// staff paid the Real Living Wage are levels: each quarter's return says what was held during
/// the quarter, and the same six people employed all year are six people, never twenty-four.
///
/// A level is turned into delivery by the share of its unit's period that the quarter covers, so
/// that the quarters of a period add up to the level held over it:
/// - per year (an FTE "hired or retained … for one year"): a quarter delivers the level × ¼;
/// - over the term (a rate to keep for the whole contract): a quarter delivers the level × the
///   quarter's days in the commitment's spread ÷ the spread's days, to four decimals, as the
///   expected quantity is worked.
public enum Accrual: String, Sendable, Equatable, CaseIterable {
    /// Returns add up (the default: what every catalog published before this field meant).
    case addsUp = "add-up"
    /// A level held through the quarter; a pledge counts unit-years.
    case levelPerYear = "level-per-year"
    /// A level to hold for the whole commitment, such as a percentage.
    case levelOverTerm = "level-over-term"

    /// Whether a return states a level rather than new delivery.
    public var isLevel: Bool { self != .addsUp }

    /// The delivery a quarter's returned `quantity` stands for, in the unit the pledge counts.
    public func delivered(_ quantity: ExactDecimal, in quarter: FinancialQuarter, spread: CommitmentSpread) -> ExactDecimal {
        switch self {
        case .addsUp: quantity
        case .levelPerYear: quantity * Self.quarterOfAYear
        case .levelOverTerm:
            (quantity * ExactDecimal(spread.days(of: quarter))).divided(by: ExactDecimal(spread.days), decimals: 4)
        }
    }

    /// The words a report puts after a unit for the figure that adds up: "no. people FTE, years held".
    public func accruedUnit(_ unit: String) -> String {
        switch self {
        case .addsUp: unit
        case .levelPerYear: "\(unit), years held"
        case .levelOverTerm: "\(unit), share of the term held"
        }
    }

    private static let quarterOfAYear = ExactDecimal(units: 25, scale: 2)
}

extension CommitmentSpread {
    /// The days of `quarter` inside the spread, 0…92.
    public func days(of quarter: FinancialQuarter) -> Int {
        let first = max(quarter.firstDay.daysSinceEpoch, start.daysSinceEpoch)
        let last = min(quarter.lastDay.daysSinceEpoch, start.daysSinceEpoch + Int64(days) - 1)
        return max(0, Int(last - first) + 1)
    }
}
