import LedgerValues
@testable import OpenContracting
import Testing

/// A day's start and end as the UK keeps them: an export used to write every day in UTC, so a
/// notice's `2025-07-01T00:00:00+01:00` came back as `2025-07-01T00:00:00Z`, an hour later.
@Suite("UK civil time in exports")
struct UKTimeTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(text)! }

    @Test("summer time runs from the last Sunday of March to the last Sunday of October")
    func lastSundays() {
        #expect(UKTime.lastSunday(month: 3, year: 2025) == Self.day("2025-03-30"))
        #expect(UKTime.lastSunday(month: 10, year: 2025) == Self.day("2025-10-26"))
        #expect(UKTime.lastSunday(month: 3, year: 2024) == Self.day("2024-03-31"))
        #expect(UKTime.lastSunday(month: 10, year: 2026) == Self.day("2026-10-25"))
    }

    @Test("a day's start and end carry the offset in force at that local time, the change days included")
    func offsets() {
        #expect(OCDSValue.day(Self.day("2025-01-15")) == .string("2025-01-15T00:00:00Z"))
        #expect(OCDSValue.day(Self.day("2025-07-01")) == .string("2025-07-01T00:00:00+01:00"))
        // The clocks go forward at 01:00 on 30 March 2025: its midnight is GMT, its evening BST.
        #expect(OCDSValue.day(Self.day("2025-03-30")) == .string("2025-03-30T00:00:00Z"))
        #expect(OCDSValue.endOfDay(Self.day("2025-03-30")) == .string("2025-03-30T23:59:59+01:00"))
        // They go back at 02:00 BST on 26 October 2025: its midnight is BST, its evening GMT.
        #expect(OCDSValue.day(Self.day("2025-10-26")) == .string("2025-10-26T00:00:00+01:00"))
        #expect(OCDSValue.endOfDay(Self.day("2025-10-26")) == .string("2025-10-26T23:59:59Z"))
        #expect(OCDSValue.endOfDay(Self.day("2025-06-30")) == .string("2025-06-30T23:59:59+01:00"))
        #expect(OCDSValue.endOfDay(Self.day("2026-03-31")) == .string("2026-03-31T23:59:59+01:00"))
    }
}
