import Foundation
import LedgerValues
import Testing
import TestSupport

/// A quarter's return is due days after the quarter ends (docs/calendar.md): the policy's
/// returnDueDays, 30 when it states none, or the contract's own (reporting.arrange); a return
/// is late only once that day has passed.
@Suite("Returns due after their quarter")
struct ReturnDueTests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-due")

    func makeLedger() throws {
        try svledger(["init"])
        let commands = [
            #"{"command": "policy.adopt", "builtin": "lancashire-2024-28", \#(RatingCutOffsTests.head)}"#,
            #"{"command": "catalog.publish", "builtin": "portal-003", \#(RatingCutOffsTests.head)}"#,
            #"{"command": "contract.register", "contract": "LAN", \#(RatingCutOffsTests.officer), "effectiveDate": "2025-02-01", "title": "Works", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "900000", "startDate": "2025-04-01", "endDate": "2026-03-31", "areasServed": ["Wyre"], "policyId": "lancashire-2024-28", "existingSupplier": "Safe Roads Ltd"}"#,
            #"{"command": "pledge.record", "contract": "LAN", \#(RatingCutOffsTests.officer), "effectiveDate": "2025-03-20", "catalog": "portal-003", "lines": [{"measure": "NT10", "quantity": "365"}]}"#,
        ]
        let batch = directory.child("commands.ndjson")
        try commands.joined(separator: "\n").write(toFile: batch, atomically: true, encoding: .utf8)
        try svledger(["apply", batch])
    }

    func late(on day: String) throws -> [String] {
        let json = try JSONValue(parsing: try svledger(["reconcile", "--period", "2025-26-Q2", "--on", day, "--format", "json"]).stdout)
        return json["contracts"]?.arrayValue?.first?["lateReturns"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    @Test("the policy's 30 days, then the contract's own 10")
    func dueDays() throws {
        try makeLedger()
        #expect(try late(on: "2025-07-30") == [], "Q1's return is due on 30 July")
        #expect(try late(on: "2025-07-31") == ["2025-26-Q1"])
        try svledger(["contract", "arrange-reporting", "--contract", "LAN", "--due-days", "10", "--manager", "J. Owusu", "--effective-date", "2025-03-01",
                      "--actor", "a.patel", "--role", "Procurement Officer"])
        #expect(try late(on: "2025-07-10") == [])
        #expect(try late(on: "2025-07-11") == ["2025-26-Q1"], "ten days after 30 June")
        let refused = try svledger(["contract", "arrange-reporting", "--contract", "LAN", "--due-days", "367", "--actor", "a.patel", "--role", "Procurement Officer"], expectSuccess: false)
        #expect(refused.status == 65 && refused.stderr.contains("--due-days"))
    }

    @Test("svledger due lists overdue, due and the next upcoming by the same rule, by supplier or manager, and as an iCalendar feed")
    func dueList() throws {
        try makeLedger()
        try svledger(["contract", "arrange-reporting", "--contract", "LAN", "--manager", "J. Owusu", "--effective-date", "2025-03-01",
                      "--actor", "a.patel", "--role", "Procurement Officer"])
        // On 2025-10-15: Q1 (due 30 July) overdue, Q2 (ended 30 September, due 30 October) due,
        // Q3 (running) upcoming, and no later quarter without --all.
        let json = try JSONValue(parsing: try svledger(["due", "--today", "2025-10-15", "--format", "json"]).stdout)
        let returns = json["returns"]?.arrayValue ?? []
        #expect(returns.map { "\($0["quarter"]?.stringValue ?? "") \($0["status"]?.stringValue ?? "")" } == ["2025-26-Q1 overdue", "2025-26-Q2 due", "2025-26-Q3 upcoming"])
        #expect(returns.first?["daysLeft"] == .integer(-77) && returns.first?["contractManager"] == "J. Owusu")
        let late = try late(on: "2025-10-15")
        #expect(late == ["2025-26-Q1"], "the reconciliation's late returns are the overdue ones")
        let all = try JSONValue(parsing: try svledger(["due", "--today", "2025-10-15", "--all", "--format", "json"]).stdout)
        #expect(all["counts"]?["upcoming"] == .integer(2), "Q3 and Q4")
        let text = try svledger(["due", "--today", "2025-10-15", "--by", "manager"]).stdout
        #expect(text.contains("Contract manager: J. Owusu") && text.contains("77 days late"), "\(text)")
        #expect(try svledger(["due", "--today", "2025-10-15", "--supplier", "Nobody Ltd", "--format", "json"]).stdout.contains(#""returns":[]"#))

        let ics = try svledger(["due", "--today", "2025-10-15", "--supplier", "Safe Roads Ltd", "--format", "ics"]).stdout
        let lines = ics.components(separatedBy: "\r\n")
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.dropLast().last == "END:VCALENDAR" && lines.last == "", "CRLF line ends")
        #expect(lines.allSatisfy { $0.utf8.count <= 75 }, "folded at 75 octets")
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 4, "every quarter still owed")
        #expect(lines.contains("DTSTART;VALUE=DATE:20251030") && lines.contains("UID:LAN-2025-26-Q2@svledger"))
        #expect(lines.contains("SUMMARY:Social value return due: LAN\\, 2025-26-Q1 (overdue)"), "commas escaped")
        let bad = try svledger(["due", "--today", "2025-13-40"], expectSuccess: false)
        #expect(bad.status != 0 && bad.stderr.contains("--today"))
    }

    @Test("a return that left a committed measure out is overdue for it, as the reconciliation counts it late")
    func incompleteReturn() throws {
        try makeLedger()
        // A second contract commits two measures and returns one.
        let commands = [
            #"{"command": "contract.register", "contract": "TWO", \#(RatingCutOffsTests.officer), "effectiveDate": "2025-02-01", "title": "Works", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "900000", "startDate": "2025-04-01", "endDate": "2026-03-31", "areasServed": ["Wyre"], "policyId": "lancashire-2024-28", "existingSupplier": "Safe Roads Ltd"}"#,
            #"{"command": "pledge.record", "contract": "TWO", \#(RatingCutOffsTests.officer), "effectiveDate": "2025-03-20", "catalog": "portal-003", "lines": [{"measure": "NT10", "quantity": "365"}, {"measure": "NT1", "quantity": "2"}]}"#,
            #"{"command": "delivery.report", "contract": "TWO", \#(RatingCutOffsTests.supplier), "quarter": "2025-26-Q1", "effectiveDate": "2025-07-10", "attributionConfirmed": true, "lines": [{"measure": "NT10", "quantity": "80", "evidence": "E"}]}"#,
        ]
        let batch = directory.child("two.ndjson")
        try commands.joined(separator: "\n").write(toFile: batch, atomically: true, encoding: .utf8)
        try svledger(["apply", batch])
        let json = try JSONValue(parsing: try svledger(["due", "--today", "2025-08-15", "--supplier", "Safe Roads Ltd", "--format", "json"]).stdout)
        let two = json["returns"]?.arrayValue?.filter { $0["contract"] == "TWO" } ?? []
        #expect(two.first?["status"] == "overdue" && two.first?["quarter"] == "2025-26-Q1" && two.first?["missingMeasures"] == .array(["NT1"]), "\(two)")
        let reconciled = try JSONValue(parsing: try svledger(["reconcile", "--period", "2025-26-Q2", "--on", "2025-08-15", "--contract", "TWO", "--format", "json"]).stdout)
        #expect(reconciled["contracts"]?.arrayValue?.first?["incompleteReturns"]?.arrayValue?.first?["measures"] == .array(["NT1"]), "the same late measure")
    }
}
