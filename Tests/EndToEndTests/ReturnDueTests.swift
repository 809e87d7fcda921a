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
}
