import EventStore

/// A quarter of the UK financial year, written `2025-26-Q1` (April–June 2025).
/// Q1 is April–June, Q2 July–September, Q3 October–December, Q4 January–March.
public struct FinancialQuarter: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The calendar year in which the financial year starts (2025 for 2025-26).
    public let startYear: Int
    /// 1…4.
    public let number: Int

    public init?(startYear: Int, number: Int) {
        guard (1000...9998).contains(startYear), (1...4).contains(number) else { return nil }
        self.startYear = startYear
        self.number = number
    }

    /// Parses `YYYY-YY-QN`, checking that the second year follows the first.
    public init?(_ text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            (parts[0] + parts[1] + parts[2].dropFirst()).allSatisfy({ $0.isASCII && $0.isNumber }),
            parts[2].first == "Q", let year = Int(parts[0]), let next = Int(parts[1]),
            next == (year + 1) % 100, let number = Int(parts[2].dropFirst())
        else { return nil }
        self.init(startYear: year, number: number)
    }

    /// The quarter containing `date`.
    public init(containing date: CalendarDate) {
        let startYear = date.month >= 4 ? date.year : date.year - 1
        let monthsIntoYear = (date.month + 8) % 12  // April → 0 … March → 11
        self.init(startYear: startYear, number: monthsIntoYear / 3 + 1)!
    }

    public var firstDay: CalendarDate {
        let month = [4, 7, 10, 1][number - 1]
        return CalendarDate(year: number == 4 ? startYear + 1 : startYear, month: month, day: 1)!
    }

    public var lastDay: CalendarDate { next.firstDay.adding(days: -1) }

    public var next: FinancialQuarter {
        number == 4 ? FinancialQuarter(startYear: startYear + 1, number: 1)! : FinancialQuarter(startYear: startYear, number: number + 1)!
    }

    /// The financial year, e.g. `2025-26`.
    public var financialYear: String {
        let next = (startYear + 1) % 100
        return "\(startYear)-\(next < 10 ? "0" : "")\(next)"
    }

    public var description: String { "\(financialYear)-Q\(number)" }

    public static func < (lhs: FinancialQuarter, rhs: FinancialQuarter) -> Bool {
        (lhs.startYear, lhs.number) < (rhs.startYear, rhs.number)
    }
}
