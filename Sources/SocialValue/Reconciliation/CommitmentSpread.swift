import LedgerValues

/// Expected to date, by definition: a contract's current commitment spread evenly over the
/// days from the later of the term start and the pledge to the term end, counted up to the
/// reporting date (docs/rules.md, "Reconciliation"). Late returns are counted over the same
/// days.
public struct CommitmentSpread: Sendable {
    /// The first day of the spread.
    public let start: CalendarDate
    /// The length of the spread in days, at least 1.
    public let days: Int
    private let startDay: Int64

    public init(termStart: CalendarDate, termEnd: CalendarDate, pledgedOn: CalendarDate?) {
        start = max(termStart, pledgedOn ?? termStart)
        startDay = start.daysSinceEpoch
        days = max(1, Int(termEnd.daysSinceEpoch - startDay) + 1)
    }

    /// Days of the spread elapsed by the end of `date`, 0…``days``.
    public func elapsedDays(by date: CalendarDate) -> Int { min(days, max(0, Int(date.daysSinceEpoch - startDay) + 1)) }

    /// £ expected after `elapsedDays`: `value × elapsed ÷ days`, rounded to the penny, halves
    /// away from zero. Exactly `Money.rounding((value.decimal × elapsed).divided(by: days,
    /// decimals: 2))`, worked in 64-bit pence with a 128-bit product, because the report needs
    /// it for every line at five dates.
    public func expected(_ value: Money, elapsedDays: Int) -> Money {
        let divisor = Int64(days)
        let (quotient, remainder) = divisor.dividingFullWidth(value.pence.multipliedFullWidth(by: Int64(elapsedDays)))
        // The quotient is truncated towards zero; a remainder of half the divisor or more rounds away.
        let away = remainder.magnitude * 2 >= divisor.magnitude
        return Money(pence: away ? quotient + (value.pence < 0 ? -1 : 1) : quotient)
    }

    /// A quantity expected after `elapsedDays`: `quantity × elapsed ÷ days` to four decimals.
    public func expected(quantity: ExactDecimal, elapsedDays: Int) -> ExactDecimal {
        (quantity * ExactDecimal(elapsedDays)).divided(by: ExactDecimal(days), decimals: 4)
    }

    /// The quarters of the commitment whose return was due before `reportingDate` and was not
    /// made: from the quarter holding the spread's start to the one holding the term end or the
    /// closure, whichever is earlier. A quarter's return is due `dueDays` after it ends
    /// (docs/calendar.md). Nothing is late before a pledge.
    public func lateReturns(
        pledged: Bool, termEnd: CalendarDate, closedOn: CalendarDate?, returned: [FinancialQuarter], reportingDate: CalendarDate, dueDays: Int
    ) -> [FinancialQuarter] {
        guard pledged else { return [] }
        return quarters(termEnd: termEnd, closedOn: closedOn).prefix { Self.due($0, dueDays: dueDays) < reportingDate }.filter { !returned.contains($0) }
    }

    /// The quarters a return is made for: from the quarter holding the spread's start to the one
    /// holding the term end or the closure, whichever is earlier.
    public func quarters(termEnd: CalendarDate, closedOn: CalendarDate?) -> [FinancialQuarter] {
        var quarters: [FinancialQuarter] = []
        var quarter = FinancialQuarter(containing: start)
        let stop = min(termEnd, closedOn ?? termEnd)
        while quarter.firstDay <= stop {
            quarters.append(quarter)
            quarter = quarter.next
        }
        return quarters
    }

    /// The day a quarter's return is due: `dueDays` after the quarter's last day.
    public static func due(_ quarter: FinancialQuarter, dueDays: Int) -> CalendarDate { quarter.lastDay.adding(days: dueDays) }
}
