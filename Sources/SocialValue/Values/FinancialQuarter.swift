import LedgerValues

/// A quarter of the UK financial year, written `2025-26-Q1` (April–June 2025).
/// Q1 is April–June, Q2 July–September, Q3 October–December, Q4 January–March.
public struct FinancialQuarter: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The start year and number in one number, `startYear << 2 | (number − 1)`: ordered as the
    /// quarters are, and four bytes where two `Int`s took sixteen (every delivered figure has one).
    private let packed: UInt32

    /// The calendar year in which the financial year starts (2025 for 2025-26).
    public var startYear: Int { Int(packed >> 2) }
    /// 1…4.
    public var number: Int { Int(packed & 3) + 1 }

    /// The days whose quarter, and the quarters either side of it, svledger can name: 1 April
    /// 1001 to 31 March 9998. A contract's term and a read's day stay within them, so that no
    /// quarter worked out from one falls outside the years a date holds.
    public static let namedDays = CalendarDate(year: 1001, month: 4, day: 1)!...CalendarDate(year: 9998, month: 3, day: 31)!

    public init?(startYear: Int, number: Int) {
        guard (1000...9998).contains(startYear), (1...4).contains(number) else { return nil }
        packed = UInt32(startYear) << 2 | UInt32(number - 1)
    }

    /// Parses `YYYY-YY-QN`, checking that the second year follows the first.
    public init?(_ text: String) {
        guard let parsed = text.utf8.withContiguousStorageIfAvailable({ FinancialQuarter(utf8: $0) })
            ?? Array(text.utf8).withUnsafeBufferPointer({ FinancialQuarter(utf8: $0) })
        else { return nil }
        self = parsed
    }

    /// Byte by byte, from the string's own storage, or from stored bytes: every stored return
    /// and correction names its quarter, so replay parses many of them.
    init?(utf8: UnsafeBufferPointer<UInt8>) {
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"), utf8[8] == UInt8(ascii: "Q") else { return nil }
        // Each digit's value, past 9 for any other byte (the subtraction wraps), read straight
        // from its place: through a loop over slices, a quarter cost 200 instructions.
        func digit(_ offset: Int) -> UInt { UInt(utf8[offset]) &- UInt(UInt8(ascii: "0")) }
        let y0 = digit(0), y1 = digit(1), y2 = digit(2), y3 = digit(3), n0 = digit(5), n1 = digit(6), number = digit(9)
        guard y0 < 10, y1 < 10, y2 < 10, y3 < 10, n0 < 10, n1 < 10, number < 10 else { return nil }
        let year = Int(y0 * 1000 + y1 * 100 + y2 * 10 + y3)
        guard Int(n0 * 10 + n1) == (year + 1) % 100 else { return nil }
        self.init(startYear: year, number: Int(number))
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

    public static func < (lhs: FinancialQuarter, rhs: FinancialQuarter) -> Bool { lhs.packed < rhs.packed }
}
