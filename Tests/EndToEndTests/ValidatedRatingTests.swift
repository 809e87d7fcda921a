import Foundation
import LedgerValues
import SocialValue
import Testing
import TestSupport

/// A policy that rates validated delivery (docs/validation.md): every rating of the contract
/// counts validated delivery only, in the reconciliation and in each of the Cabinet report's
/// windows, while claimed delivery is shown beside it; both implementations of the figures agree.
@Suite("Ratings on validated delivery")
struct ValidatedRatingTests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-validated")
    static let head = RatingCutOffsTests.head, officer = RatingCutOffsTests.officer, supplier = RatingCutOffsTests.supplier
    static let manager = #""actor": {"id": "j.owusu", "role": "Contract Manager"}"#

    /// Leicestershire's policy as version 2 from 2025-04-01, rating validated delivery; LEI under
    /// it returns two quarters, of which a Contract Manager validates the first.
    func makeLedger() throws {
        try svledger(["init"])
        let builtin = try #require(BuiltinReference.document(.policies, "leicestershire-2022")).canonicalText
        let file = directory.child("policy.json")
        try builtin.replacingOccurrences(of: #""version":"1""#, with: #""version":"2""#)
            .replacingOccurrences(of: #""effectiveDate":"2022-04-01""#, with: #""effectiveDate":"2025-04-01""#)
            .replacingOccurrences(of: #""policyId":"#, with: #""ratedDelivery":"validated","policyId":"#)
            .write(toFile: file, atomically: true, encoding: .utf8)
        var commands = [
            #"{"command": "policy.adopt", "builtin": "leicestershire-2022", \#(Self.head)}"#,
            #"{"command": "catalog.publish", "builtin": "portal-003", \#(Self.head)}"#,
            #"{"command": "contract.register", "contract": "LEI", \#(Self.officer), "effectiveDate": "2025-02-01", "title": "Works", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "900000", "startDate": "2025-04-01", "endDate": "2026-03-31", "areasServed": ["Wyre"], "policyId": "leicestershire-2022", "existingSupplier": "Safe Roads Ltd"}"#,
            #"{"command": "pledge.record", "contract": "LEI", \#(Self.officer), "effectiveDate": "2025-03-20", "catalog": "portal-003", "lines": [{"measure": "NT10", "quantity": "365"}]}"#,
        ]
        for quarter in ["2025-26-Q1", "2025-26-Q2"] {
            commands.append(#"{"command": "delivery.report", "contract": "LEI", \#(Self.supplier), "quarter": "\#(quarter)", "effectiveDate": "2025-10-05", "attributionConfirmed": true, "lines": [{"measure": "NT10", "quantity": "84.18", "evidence": "E"}]}"#)
        }
        commands.append(#"{"command": "delivery.validate", "contract": "LEI", \#(Self.manager), "effectiveDate": "2025-10-06", "quarter": "2025-26-Q1", "reason": "Timesheets checked"}"#)
        let batch = directory.child("commands.ndjson")
        try commands.joined(separator: "\n").write(toFile: batch, atomically: true, encoding: .utf8)
        try svledger(["policy", "adopt", file, "--actor", "r.shah", "--role", "Head of Procurement"])
        try svledger(["apply", batch])
    }

    @Test("the reconciliation and every window of the Cabinet report rate validated delivery, with claimed beside it")
    func everyWindowRatesValidated() throws {
        try makeLedger()
        let json = try JSONValue(parsing: try svledger(["reconcile", "--period", "2025-26-Q2", "--format", "json"]).stdout)
        let contract = try #require(json["contracts"]?.arrayValue?.first)
        #expect(contract["ratedDelivery"] == "validated")
        // 84.18 of 183 weeks expected to date validated (46%, inadequate: below the defaults'
        // 0.50), while 168.36 were claimed (92%).
        #expect(contract["amounts"]?["delivered"] == "37724.43" && contract["amounts"]?["validated"] == "18862.21", "\(contract)")
        #expect(contract["amounts"]?["rating"] == "inadequate")

        let csv = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--council", "Leicestershire County Council", "--format", "csv"]).stdout
        func cell(_ section: String, _ key: String, _ metric: String) -> String? {
            csv.split(separator: "\n").first { $0.hasPrefix("\(section),\(key),\(metric),") }.map { String($0.split(separator: ",").last!) }
        }
        // The quarter itself (Q2) has nothing validated: its capped delivery is nothing, though
        // 84.18 weeks were claimed in it; the year to date and to date count Q1's validated weeks.
        #expect(cell("headline", "period", "capped_delivered_gbp") == "0.00", "\(csv.prefix(1500))")
        #expect(cell("headline", "period", "delivered_gbp") == "18862.21")
        #expect(cell("headline", "year_to_date", "capped_delivered_gbp") == cell("headline", "to_date", "capped_delivered_gbp"))
        #expect(cell("contract", "LEI", "validated_gbp") == "18862.21")
        #expect(cell("contract", "LEI", "rated_delivery") == "validated")

        let agree = try CommandRunner.run("/usr/bin/env", [
            "python3", CommandRunner.repositoryRoot + "/tools/check_figures_agree.py", CommandRunner.svledgerPath, ledger,
            "--periods", "2025-26-Q1,2025-26-Q2,2025-26-Q4", "--on", "2025-10-05",
        ])
        #expect(agree.status == 0, "\(agree.stdout) \(agree.stderr)")
    }

    @Test("a refused answer carrying a corrected line writes neither the correction nor the answer")
    func refusedAnswerWritesNothing() throws {
        try makeLedger()
        let before = try svledger(["stats"]).stdout.split(separator: "\n").first { $0.hasPrefix("head") }
        let refused = try svledger(
            ["delivery", "answer", "--contract", "LEI", "--quarter", "2025-26-Q2", "--measure", "NT10", "--answer", "Fewer weeks",
             "--line", "NT10=80@E2", "--actor", "p.okafor", "--role", "Supplier"], expectSuccess: false)
        #expect(refused.status != 0 && refused.stderr.contains("validation-state"), "not queried: \(refused.stderr)")
        #expect(try svledger(["stats"]).stdout.split(separator: "\n").first { $0.hasPrefix("head") } == before)
    }
}
