import LedgerValues

/// The UK's civil time, in which a council's days begin and end: GMT, and British Summer Time
/// (GMT + 1) from 01:00 GMT on the last Sunday of March to 01:00 GMT on the last Sunday of
/// October (the rule since 1996). An export writes a day's start and end in it, so that an
/// instant published as `2025-07-01T00:00:00+01:00` comes back as that instant, not as the
/// same clock time in UTC, an hour later.
enum UKTime {
    /// `Z` or `+01:00`: the offset of `hour`:00 local time on `date` (0 for the day's start,
    /// 23 for its end).
    static func offset(_ date: CalendarDate, hour: Int) -> String {
        isSummerTime(date, hour: hour) ? "+01:00" : "Z"
    }

    /// Whether `hour`:00 local time on `date` is in summer time. The clocks change at 01:00
    /// GMT: 01:00 local on the spring Sunday, 02:00 local on the autumn one.
    static func isSummerTime(_ date: CalendarDate, hour: Int) -> Bool {
        let starts = lastSunday(month: 3, year: date.year), ends = lastSunday(month: 10, year: date.year)
        let afterStart = date > starts || (date == starts && hour >= 1)
        let beforeEnd = date < ends || (date == ends && hour < 2)
        return afterStart && beforeEnd
    }

    static func lastSunday(month: Int, year: Int) -> CalendarDate {
        let last = CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))!
        // 1970-01-01 was a Thursday: day 0 of the epoch is weekday 4, counting Sunday as 0.
        let weekday = Int(((last.daysSinceEpoch + 4) % 7 + 7) % 7)
        return last.adding(days: -weekday)
    }
}
