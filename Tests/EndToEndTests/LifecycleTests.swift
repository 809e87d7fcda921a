import EventStore
import LedgerValues
import Foundation
import Testing
import TestSupport

/// A whole contract life through the built CLI, as the README walks a new user through it.
@Suite("Contract lifecycle through the CLI")
struct LifecycleTests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-lifecycle")


    static let officer = ["--actor", "a.patel", "--role", "Procurement Officer"]
    static let head = ["--actor", "r.shah", "--role", "Head of Procurement"]
    static let supplier = ["--actor", "p.okafor", "--role", "Supplier Social Value Lead"]

    func headLine() throws -> String {
        try #require(try svledger(["verify"]).stdout.split(separator: "\n").last.map(String.init))
    }

    @Test("register, assess, weight, award, pledge, report two quarters, correct one, refresh, close, verify")
    func wholeLife() throws {
        try svledger(["init"])
        try svledger(["policy", "adopt", "--builtin", "lancashire-2024-28", "--reason", "Cabinet approval 8 Feb 2024"] + Self.head)
        try svledger(["catalog", "publish", "--builtin", "portal-003"] + Self.head)
        let contract = ["--contract", "LCC-2025-014"]
        try svledger(["contract", "register"] + contract + [
            "--title", "Highway resurfacing", "--department", "Highways", "--category", "works", "--value", "£4,250,000",
            "--start", "2025-04-01", "--end", "2028-03-31", "--area", "Preston", "--policy", "lancashire-2024-28",
            "--effective-date", "2025-02-03",
        ] + Self.officer)
        let assessed = try svledger(["threshold", "assess"] + contract + ["--effective-date", "2025-02-03"] + Self.officer)
        #expect(assessed.stdout.contains("at or above the £100,000.00 threshold"))
        try svledger(["weighting", "decide"] + contract + ["--percent", "10", "--basis", "policy-minimum"] + Self.officer)
        try svledger(["contract", "award"] + contract + ["--supplier", "North Roads Ltd", "--value", "£4,180,000", "--effective-date", "2025-03-14"] + Self.head)
        let pledge = try svledger(["pledge", "record"] + contract + ["--catalog", "portal-003@003.2", "--line", "NT1=24", "--line", "NT10=70", "--line", "CBC5 RBC1=840000"] + Self.officer)
        // 24 × 30,782 = 738,768.00; 70 × 224.07 = 15,684.90; CBC5 RBC1 is record-only.
        #expect(pledge.stdout.contains("3 lines worth £754,452.90"))
        #expect(pledge.stdout.contains("(1 record-only)"))
        try svledger(["delivery", "report"] + contract + ["--quarter", "2025-26-Q1", "--line", "NT1=6@HR-Q1", "--line", "NT10=13@APP-Q1", "--confirm-attribution"] + Self.supplier)
        try svledger(["delivery", "report"] + contract + ["--quarter", "2025-26-Q2", "--line", "NT1=6@HR-Q2", "--confirm-attribution"] + Self.supplier)

        let log = try svledger(["log", "--stream", "contract/LCC-2025-014", "--format", "json"])
        let q1Return = try #require(log.stdout.split(separator: "\n").compactMap { try? JSONValue(parsing: String($0)) }
            .first { $0["eventType"] == "DeliveryReported" && $0["payload"]?["quarter"] == "2025-26-Q1" })
        let q1Id = try #require(q1Return["eventId"]?.stringValue)
        try svledger(["delivery", "correct"] + contract + ["--corrects", q1Id, "--line", "NT1=5@HR-Q1-rev", "--reason", "One starter was on another contract"] + Self.supplier)
        try svledger(["review", "refresh"] + contract + ["--revise", "NT1=20", "--add", "NT29=32", "--reason", "Annual review"] + Self.officer)
        try svledger(["contract", "close"] + contract + ["--effective-date", "2028-04-30", "--reason", "End of term"] + Self.officer)

        let verify = try svledger(["verify"])
        #expect(verify.stdout.contains("verified 12 events in 3 streams"))
        let python = try CommandRunner.pythonVerifier([ledger])
        #expect(python.stdout == verify.stdout)

        // After closure, only a correction is accepted; the refusal names the rule and writes nothing.
        let headBefore = try headLine()
        let refused = try svledger(["delivery", "report"] + contract + ["--quarter", "2025-26-Q3", "--line", "NT1=1@X", "--confirm-attribution"] + Self.supplier, expectSuccess: false)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("rule: closed-contract"))
        #expect(try headLine() == headBefore)
    }

    @Test("every bad input is a clear error naming the rule or field, and the head hash stays the same")
    func rejectedCommandsChangeNothing() throws {
        try svledger(["init"])
        try svledger(["policy", "adopt", "--builtin", "lancashire-2024-28"] + Self.head)
        try svledger(["catalog", "publish", "--builtin", "portal-003"] + Self.head)
        try svledger(["contract", "register", "--contract", "C-9", "--title", "Catering", "--department", "Schools", "--category", "services",
                      "--value", "250000", "--start", "2025-04-01", "--end", "2026-03-31", "--policy", "lancashire-2024-28", "--effective-date", "2025-01-10"] + Self.officer)
        try svledger(["threshold", "assess", "--contract", "C-9", "--effective-date", "2025-01-10"] + Self.officer)
        let headBefore = try headLine()
        let bytesBefore = try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb"))
        let attempts: [([String], String)] = [
            (["weighting", "decide", "--contract", "C-9", "--percent", "9.99", "--basis", "policy-minimum"] + Self.officer, "rule: weighting-below-minimum"),
            (["pledge", "record", "--contract", "C-9", "--catalog", "portal-003", "--line", "NT1=2"] + Self.officer, "rule: lifecycle-order"),
            (["pledge", "record", "--contract", "C-9", "--catalog", "portal-003", "--line", "NT1=-5"] + Self.officer, "must not be negative"),
            (["exemption", "decide", "--contract", "C-9", "--granted", "--business-case", "BC"] + Self.officer, "rule: lifecycle-order"),
            (["threshold", "assess", "--contract", "NOPE"] + Self.officer, "rule: unknown-contract"),
            (["contract", "register", "--contract", "C-10", "--title", "T", "--department", "D", "--category", "food", "--value", "1", "--start", "2025-04-01", "--end", "2026-03-31", "--policy", "lancashire-2024-28"] + Self.officer, "category"),
            (["contract", "register", "--contract", "C-10", "--title", "T", "--department", "D", "--category", "goods", "--value", "1.2.3", "--start", "2025-04-01", "--end", "2026-03-31", "--policy", "lancashire-2024-28"] + Self.officer, "more than one decimal point"),
            (["weighting", "decide", "--contract", "C-9", "--percent", "10", "--basis", "policy-minimum"], "--actor"),
        ]
        for (arguments, expected) in attempts {
            let result = try svledger(arguments, expectSuccess: false)
            #expect(result.status != 0, "\(arguments.prefix(2)) was accepted")
            #expect(!result.wasSignalled)
            #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
            #expect(result.stderr.contains(expected), "\(arguments.prefix(2)): \(result.stderr)")
        }
        #expect(try headLine() == headBefore)
        #expect(try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb")) == bytesBefore)
    }

    @Test("the same life through `svledger apply`: all commands, or none")
    func apply() throws {
        try svledger(["init"])
        let actor = #""actor": {"id": "a.patel", "role": "Procurement Officer"}"#
        let head = #""actor": {"id": "r.shah", "role": "Head of Procurement"}"#
        let commands = [
            #"{"command": "policy.adopt", "builtin": "leicestershire-2022", \#(head)}"#,
            #"{"command": "catalog.publish", "builtin": "portal-003", \#(head)}"#,
            #"{"command": "contract.register", "contract": "LEI-77", \#(actor), "effectiveDate": "2025-01-15", "title": "Home care", "buyerDepartment": "Adults and Communities", "category": "services", "estimatedWholeLifeValueGBP": "180000", "startDate": "2025-04-01", "endDate": "2026-03-31", "areasServed": ["Melton"], "policyId": "leicestershire-2022"}"#,
            #"{"command": "threshold.assess", "contract": "LEI-77", \#(actor), "effectiveDate": "2025-01-15"}"#,
            #"{"command": "weighting.decide", "contract": "LEI-77", \#(actor), "percent": "10", "basis": "policy-minimum"}"#,
            #"{"command": "contract.award", "contract": "LEI-77", \#(head), "supplier": "Carewell CIC", "valueGBP": "178500.00", "awardDate": "2025-03-01"}"#,
            #"{"command": "pledge.record", "contract": "LEI-77", \#(actor), "catalog": "portal-003", "lines": [{"measure": "NT4", "quantity": "1"}, {"measure": "NT29", "quantity": "40"}]}"#,
            #"{"command": "delivery.report", "contract": "LEI-77", \#(actor), "quarter": "2025-26-Q1", "attributionConfirmed": true, "lines": [{"measure": "NT29", "quantity": "12", "evidence": "VOL-Q1"}]}"#,
        ]
        let file = directory.child("commands.ndjson")
        // A refused last line must stop the whole batch.
        try (commands + [#"{"command": "contract.close", "contract": "NOPE", \#(actor)}"#]).joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try svledger(["apply", file], expectSuccess: false)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("command 9 of 9 refused, so none was recorded"))
        #expect(try svledger(["stats", "--format", "json"]).stdout.contains(#""events":0"#))

        try commands.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let applied = try svledger(["apply", file])
        #expect(applied.stdout.components(separatedBy: "recorded ").count - 1 == 8)
        #expect(try svledger(["verify"]).stdout.contains("verified 8 events in 3 streams"))
    }
}
