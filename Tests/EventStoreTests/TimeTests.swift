import EventStore
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
}
