#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A UTC instant with millisecond precision, written `YYYY-MM-DDTHH:MM:SS.mmmZ`.
///
/// The text form has a fixed width, so comparing two texts compares the instants.
/// Formatting is done by hand: Foundation's formatters are slow on the append path.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    /// The instants the 24-character form can hold: the years 1000 to 9999, as for dates.
    public static let recordable = Timestamp(millisecondsSinceEpoch: -30_610_224_000_000)...Timestamp(millisecondsSinceEpoch: 253_402_300_799_999)

    /// The current time from the system's real-time clock.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(millisecondsSinceEpoch: Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    /// Parses the 24-character form. Returns `nil` for anything else.
    public init?(_ text: String) { self.init(utf8: Array(text.utf8)) }

    // Inlinable, so that the log's decoder gets it specialised for its byte slices: across the
    // module boundary a generic call costs protocol witnesses and metadata look-ups per byte.
    @inlinable
    package init?<Text: RandomAccessCollection<UInt8>>(utf8: Text) where Text.Index == Int {
        let at = utf8.startIndex
        guard utf8.count == 24, utf8[at + 10] == UInt8(ascii: "T"), utf8[at + 13] == UInt8(ascii: ":"),
            utf8[at + 16] == UInt8(ascii: ":"), utf8[at + 19] == UInt8(ascii: "."), utf8[at + 23] == UInt8(ascii: "Z"),
            let date = CalendarDate(utf8: utf8[at..<at + 10]),
            let hour = Digits.parse(utf8[at + 11..<at + 13]), hour < 24,
            let minute = Digits.parse(utf8[at + 14..<at + 16]), minute < 60,
            let second = Digits.parse(utf8[at + 17..<at + 19]), second < 60,
            let millis = Digits.parse(utf8[at + 20..<at + 23])
        else { return nil }
        let seconds = date.daysSinceEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.millisecondsSinceEpoch = seconds * 1000 + Int64(millis)
    }

    /// The calendar date (UTC) of this instant.
    public var date: CalendarDate {
        CalendarDate(daysSinceEpoch: Int64((Double(millisecondsSinceEpoch) / 86_400_000).rounded(.down)))
    }

    /// The first instant of the day after `date`: "as of the end of `date`" means before this.
    public static func endOf(_ date: CalendarDate) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: (date.daysSinceEpoch + 1) * 86_400_000)
    }

    public var description: String {
        let millisOfDay = Int(((millisecondsSinceEpoch % 86_400_000) + 86_400_000) % 86_400_000)
        let date = self.date
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var writer = Digits.Writer(buffer: buffer)
            writer.date(date)
            writer.put("T", millisOfDay / 3_600_000, 2)
            writer.put(":", millisOfDay / 60_000 % 60, 2)
            writer.put(":", millisOfDay / 1000 % 60, 2)
            writer.put(".", millisOfDay % 1000, 3)
            writer.put("Z")
            return writer.index
        }
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }
}

/// A date without a time or zone, written `YYYY-MM-DD` (years 1000–9999).
public struct CalendarDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The year, month and day in one number, `year << 9 | month << 5 | day`: ordered as the
    /// dates are, and eight bytes where three `Int`s took twenty-four. A portfolio holds a few
    /// dates for every delivered figure, which each fold and reconciliation walks.
    private let packed: Int64

    public var year: Int { Int(packed >> 9) }
    public var month: Int { Int(packed >> 5 & 0xF) }
    public var day: Int { Int(packed & 0x1F) }

    /// A valid date, or `nil` (29 February only in leap years).
    public init?(year: Int, month: Int, day: Int) {
        guard (1000...9999).contains(year), (1...12).contains(month),
            (1...CalendarDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.init(checked: year, month: month, day: day)
    }

    /// A date already known to be one (a month of 1…12, a day of 1…31).
    private init(checked year: Int, month: Int, day: Int) {
        packed = Int64(year) &<< 9 | Int64(month) << 5 | Int64(day)
    }

    /// Parses `YYYY-MM-DD`. Returns `nil` for anything else, including 2025-02-29.
    public init?(_ text: String) { self.init(utf8: Array(text.utf8)) }

    // Inlinable, so that the log's decoder gets it specialised for its byte slices: across the
    // module boundary a generic call costs protocol witnesses and metadata look-ups per byte.
    @inlinable
    package init?<Text: RandomAccessCollection<UInt8>>(utf8: Text) where Text.Index == Int {
        let at = utf8.startIndex
        guard utf8.count == 10, utf8[at + 4] == UInt8(ascii: "-"), utf8[at + 7] == UInt8(ascii: "-") else { return nil }
        // Each digit's value, past 9 for any other byte (the subtraction wraps), read straight
        // from its place: through `Digits.parse` of three slices, a date cost 300 instructions.
        func digit(_ offset: Int) -> UInt { UInt(utf8[at + offset]) &- UInt(UInt8(ascii: "0")) }
        let y0 = digit(0), y1 = digit(1), y2 = digit(2), y3 = digit(3), m0 = digit(5), m1 = digit(6), d0 = digit(8), d1 = digit(9)
        guard y0 < 10, y1 < 10, y2 < 10, y3 < 10, m0 < 10, m1 < 10, d0 < 10, d1 < 10 else { return nil }
        self.init(year: Int(y0 * 1000 + y1 * 100 + y2 * 10 + y3), month: Int(m0 * 10 + m1), day: Int(d0 * 10 + d1))
    }

    /// Days since 1970-01-01 (civil calendar arithmetic, proleptic Gregorian).
    public var daysSinceEpoch: Int64 {
        let shiftedYear = Int64(month <= 2 ? year - 1 : year)
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public init(daysSinceEpoch: Int64) {
        let shifted = daysSinceEpoch + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        self.init(checked: Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0)), month: Int(month), day: Int(day))
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(daysSinceEpoch: daysSinceEpoch + Int64(days)) }

    /// The same day `months` later, or the month's last day when it has no such day (31 January
    /// and one month: 28 or 29 February).
    public func adding(months: Int) -> CalendarDate {
        let total = year * 12 + (month - 1) + months
        let (newYear, newMonth) = (total / 12, total % 12 + 1)
        return CalendarDate(year: newYear, month: newMonth, day: min(day, Self.daysIn(month: newMonth, year: newYear)))!
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var description: String {
        String(unsafeUninitializedCapacity: 10) { buffer in
            var writer = Digits.Writer(buffer: buffer)
            writer.date(self)
            return writer.index
        }
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.packed < rhs.packed }
}

/// Fixed-width decimal digits, for the date and time forms.
@usableFromInline
package enum Digits {
    @inlinable
    package static func parse<Text: Collection<UInt8>>(_ utf8: Text) -> Int? {
        var value = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return utf8.isEmpty ? nil : value
    }

    /// Writes fixed-width text into a string's uninitialised buffer (no intermediate strings:
    /// every event's canonical form holds a date and a time).
    package struct Writer {
        package let buffer: UnsafeMutableBufferPointer<UInt8>
        package var index = 0

        package mutating func put(_ separator: Unicode.Scalar) {
            buffer[index] = UInt8(ascii: separator)
            index += 1
        }

        package mutating func put(_ separator: Unicode.Scalar? = nil, _ value: Int, _ width: Int) {
            if let separator { put(separator) }
            var rest = value
            for offset in stride(from: width - 1, through: 0, by: -1) {
                buffer[index + offset] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            index += width
        }

        package mutating func date(_ date: CalendarDate) {
            put(nil, date.year, 4)
            put("-", date.month, 2)
            put("-", date.day, 2)
        }
    }
}
