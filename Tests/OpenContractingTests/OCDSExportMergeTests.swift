import OpenContracting
import SocialValue
import Testing

/// The compiled release follows the OCDS merge rules (the same as ocdsmerge's, which
/// tools/check_ocds.py compares it with on whole exports).
@Suite struct OCDSExportMergeTests {
    static func release(_ id: String, _ date: String, _ members: (String, OCDSValue?)...) -> OCDSValue {
        var all: [OCDSValue.Member] = [
            .init("ocid", .string("ocds-x-C")), .init("id", .string(id)), .init("date", .string(date)), .init("tag", .array([.string("contract")])),
        ]
        all += members.compactMap { key, value in value.map { OCDSValue.Member(key, $0) } }
        return .object(all)
    }

    static func metric(_ id: String, target: Int) -> OCDSValue {
        .object(("id", .string(id)), ("observations", .array([.object(("id", .string("target")), ("measure", .number(ExactDecimal(target))))])))
    }

    @Test func arraysOfObjectsMergeByIdAndLaterValuesWin() throws {
        let first = Self.release("a", "2025-01-01T00:00:00Z", ("contracts", .array([.object(
            ("id", .string("C")), ("agreedMetrics", .array([Self.metric("M1", target: 4), Self.metric("M2", target: 1)])))])))
        let second = Self.release("b", "2025-02-01T00:00:00Z", ("contracts", .array([.object(
            ("id", .string("C")), ("agreedMetrics", .array([Self.metric("M1", target: 6), Self.metric("M3", target: 2)])))])))
        let compiled = try #require(OCDSMerge.compiled([first, second]))
        let metrics = compiled["contracts"]?.arrayValue?.first?["agreedMetrics"]?.arrayValue ?? []
        #expect(metrics.compactMap { $0["id"]?.stringValue } == ["M1", "M2", "M3"])
        #expect(metrics.first?["observations"]?.arrayValue?.first?["measure"]?.numberValue == .init(6))
        #expect(compiled["id"]?.stringValue == "ocds-x-C-2025-02-01T00:00:00Z")
        #expect(compiled["tag"] == .array([.string("compiled")]))
    }

    @Test func wholeListArraysAreReplacedNotMerged() throws {
        let goals = { (names: [String]) in OCDSValue.object(("id", .string("C")), ("sustainability", .array(names.map { .object(("goal", .string($0))) }))) }
        let compiled = try #require(OCDSMerge.compiled([
            Self.release("a", "2025-01-01T00:00:00Z", ("tender", goals(["economic", "social"]))),
            Self.release("b", "2025-01-02T00:00:00Z", ("tender", goals(["environmental"]))),
        ]))
        #expect(compiled["tender"]?["sustainability"]?.arrayValue?.count == 1)
    }

    @Test func releasesMergeInDateOrderKeepingTheLogsOrderWithinADay() throws {
        let late = Self.release("late", "2025-03-01T00:00:00Z", ("tender", .object(("id", .string("C")), ("title", .string("late")))))
        let early = Self.release("early", "2025-01-01T00:00:00Z", ("tender", .object(("id", .string("C")), ("title", .string("early")))))
        let sameDay = Self.release("same", "2025-03-01T00:00:00Z", ("tender", .object(("id", .string("C")), ("title", .string("same day, later in the log")))))
        let ordered = OCDSMerge.ordered([late, early, sameDay])
        #expect(ordered.compactMap { $0["id"]?.stringValue } == ["early", "late", "same"])
        #expect(OCDSMerge.compiled(ordered)?["tender"]?["title"]?.stringValue == "same day, later in the log")
    }

    @Test func anEmptyObjectChangesNothing() throws {
        let compiled = try #require(OCDSMerge.compiled([
            Self.release("a", "2025-01-01T00:00:00Z", ("planning", .object(("rationale", .string("kept"))))),
            Self.release("b", "2025-01-02T00:00:00Z", ("planning", .object([]))),
        ]))
        #expect(compiled["planning"]?["rationale"]?.stringValue == "kept")
    }

    @Test func numbersAreWrittenFromTheirExactDigits() {
        let value = OCDSValue.object(("amount", .number(.init(units: 30, scale: 2))), ("currency", .string("GBP")))
        #expect(value.jsonText == #"{"amount":0.30,"currency":"GBP"}"#)
    }
}
