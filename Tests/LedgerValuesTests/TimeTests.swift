import Foundation
import LedgerValues
import Testing

@Suite("Dates and timestamps")
struct TimeTests {
    @Test("timestamps print in fixed width and parse back", arguments: [
        "1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z", "2026-03-31T12:00:00.5Z".replacingOccurrences(of: ".5Z", with: ".500Z"),
        "1969-12-31T23:59:59.999Z",
    ])
    func timestampRoundTrip(text: String) throws {
        let timestamp = try #require(Timestamp(text))
        #expect(timestamp.description == text)
    }

    @Test("dates validate the calendar, leap years included")
    func dates() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2025-02-29") == nil)
        #expect(CalendarDate("1900-02-29") == nil)
        #expect(CalendarDate("2000-02-29") != nil)
        #expect(CalendarDate("2025-04-31") == nil)
        #expect(CalendarDate("2025-4-1") == nil)
        #expect(CalendarDate("2026-03-31")!.adding(days: 1).description == "2026-04-01")
        #expect(CalendarDate(daysSinceEpoch: 0).description == "1970-01-01")
    }

    @Test("a date with any byte but a digit where a digit goes is refused, and each digit counts in its place")
    func datesRefuseOtherBytes() {
        let text = Array("2025-06-15".utf8)
        var accepted: [String] = []
        for place in [0, 1, 2, 3, 5, 6, 8, 9] {
            for byte in UInt8.min...UInt8.max where !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                var bytes = text
                bytes[place] = byte
                if CalendarDate(utf8: bytes) != nil { accepted.append("\(place): \(byte)") }
            }
        }
        #expect(accepted.isEmpty)
        #expect(CalendarDate("2025-06-15").map { [$0.year, $0.month, $0.day] } == [2025, 6, 15])
        #expect(CalendarDate("1987-12-03").map { [$0.year, $0.month, $0.day] } == [1987, 12, 3])
    }

    @Test("a date reads back its fields, text and day count, and orders as the calendar does, near each end of its years and for a century")
    func datesAcrossTheirYears() {
        // Held in one number (year, month, day from the high bits down): every day in these
        // walks must follow the one before in order, by one day, with its own fields.
        var wrong: [String] = []
        for (start, count) in [("1000-01-01", 1_500), ("1999-12-01", 37_000), ("9995-12-01", 1_491)] {
            var day = CalendarDate(start)!
            for _ in 0..<count {
                let next = day.adding(days: 1)
                if !(day < next), !wrong.contains("\(day) < \(next)") { wrong.append("\(day) < \(next)") }
                if next.daysSinceEpoch != day.daysSinceEpoch + 1 || CalendarDate(year: next.year, month: next.month, day: next.day) != next
                    || CalendarDate(next.description) != next || next == day {
                    wrong.append(next.description)
                }
                day = next
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
        #expect(CalendarDate("9999-12-31")!.description == "9999-12-31")
        #expect(CalendarDate("2025-12-31")! < CalendarDate("2026-01-01")!)
        #expect(CalendarDate("2026-01-31")! < CalendarDate("2026-02-01")!)
        #expect(!(CalendarDate("2026-02-01")! < CalendarDate("2026-02-01")!))
        let date = CalendarDate("2026-09-30")!
        #expect((date.year, date.month, date.day) == (2026, 9, 30))
    }

    @Test("the end of a day is the first instant of the next")
    func endOfDay() {
        #expect(Timestamp.endOf(CalendarDate("2025-03-31")!).description == "2025-04-01T00:00:00.000Z")
    }

    @Test("new event ids are UUIDv7, ordered by time, and print in 8-4-4-4-12 form")
    func eventIds() throws {
        let early = EventID.version7(millisecondsSinceEpoch: 1_000), late = EventID.version7(millisecondsSinceEpoch: 2_000)
        #expect(early < late)
        #expect(early.description.count == 36)
        #expect(Array(early.description)[14] == "7")
        #expect(EventID(early.description) == early)
        #expect(EventID("not-a-uuid") == nil)
    }

    @Test("an event id reads back from its text and its 16 bytes, in either case, and refuses near misses")
    func eventIdForms() throws {
        let text = "0190f3a2-7b1c-7def-8123-456789abcdef"
        let id = try #require(EventID(text))
        #expect(id.description == text)
        #expect(EventID(text.uppercased()) == id)
        #expect(id.bytes == [0x01, 0x90, 0xf3, 0xa2, 0x7b, 0x1c, 0x7d, 0xef, 0x81, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef])
        #expect(EventID(bytes: id.bytes) == id)
        #expect(EventID(bytes: Array(id.bytes.dropLast())) == nil)
        for bad in ["0190f3a2-7b1c-7def-8123-456789abcde", "0190f3a2-7b1c-7def-8123-456789abcdeg",
                    "0190f3a27b1c-7def-8123-456789abcdef0", "0190f3a2-7b1c-7def-8123_456789abcdef"] {
            #expect(EventID(bad) == nil, "\(bad)")
        }
        // Ordering follows the bytes, so ids order like the keys of the event-ids index.
        let later = try #require(EventID("0190f3a2-7b1c-7def-8123-456789abcdf0"))
        #expect(id < later && !(later < id))
    }
}
