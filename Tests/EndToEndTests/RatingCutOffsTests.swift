import Foundation
import LedgerValues
import SocialValue
import Testing
import TestSupport

/// The rating cut-offs are the council's, from its policy and versioned with it (docs/rules.md
/// "Rating"): a contract is rated on its policy's, a group of contracts whose policies differ on
/// svledger's defaults, and svledger and tools/reconcile_ledger.py agree byte for byte.
@Suite("Rating cut-offs from the policy")
struct RatingCutOffsTests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-cutoffs")
    static let head = #""actor": {"id": "r.shah", "role": "Head of Procurement"}"#
    static let officer = #""actor": {"id": "a.patel", "role": "Procurement Officer"}"#
    static let supplier = #""actor": {"id": "p.okafor", "role": "Supplier"}"#

    /// Leicestershire's policy again, as version 2 from 2025-04-01, with cut-offs of its own.
    static func policyVersion2(cutOffs: String) throws -> String {
        let builtin = try #require(BuiltinReference.document(.policies, "leicestershire-2022")).canonicalText
        return builtin
            .replacingOccurrences(of: #""version":"1""#, with: #""version":"2""#)
            .replacingOccurrences(of: #""effectiveDate":"2022-04-01""#, with: #""effectiveDate":"2025-04-01""#)
            .replacingOccurrences(of: #""policyId":"#, with: #""ratingCutOffs":\#(cutOffs),"policyId":"#)
    }

    /// Two contracts delivering 92% of what was expected by 2025-09-30: LAN under Lancashire's
    /// policy (svledger's defaults: approaching target) and LEI under Leicestershire's version 2
    /// (good from 90%).
    func makeLedger() throws {
        try svledger(["init"])
        let file = directory.child("policy.json")
        try Self.policyVersion2(cutOffs: #"{"good":"0.90","approachingTarget":"0.70","requiresImprovement":"0.40","source":"Cabinet minute 2025/7"}"#)
            .write(toFile: file, atomically: true, encoding: .utf8)
        var commands = [
            #"{"command": "policy.adopt", "builtin": "lancashire-2024-28", \#(Self.head)}"#,
            #"{"command": "policy.adopt", "builtin": "leicestershire-2022", \#(Self.head)}"#,
            #"{"command": "catalog.publish", "builtin": "portal-003", \#(Self.head)}"#,
        ]
        for (contract, policy) in [("LAN", "lancashire-2024-28"), ("LEI", "leicestershire-2022")] {
            commands += [
                #"{"command": "contract.register", "contract": "\#(contract)", \#(Self.officer), "effectiveDate": "2025-02-01", "title": "Works", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "900000", "startDate": "2025-04-01", "endDate": "2026-03-31", "areasServed": ["Wyre"], "policyId": "\#(policy)", "existingSupplier": "Safe Roads Ltd"}"#,
                #"{"command": "pledge.record", "contract": "\#(contract)", \#(Self.officer), "effectiveDate": "2025-03-20", "catalog": "portal-003", "lines": [{"measure": "NT10", "quantity": "365"}]}"#,
            ]
            for quarter in ["2025-26-Q1", "2025-26-Q2"] {
                commands.append(#"{"command": "delivery.report", "contract": "\#(contract)", \#(Self.supplier), "quarter": "\#(quarter)", "attributionConfirmed": true, "lines": [{"measure": "NT10", "quantity": "84.18", "evidence": "E"}]}"#)
            }
        }
        let batch = directory.child("commands.ndjson")
        try commands.joined(separator: "\n").write(toFile: batch, atomically: true, encoding: .utf8)
        try svledger(["apply", batch])
        try svledger(["policy", "adopt", file, "--actor", "r.shah", "--role", "Head of Procurement"])
    }

    @Test("each contract is rated on its policy's cut-offs, a group of both on svledger's defaults, and both implementations agree")
    func ratedOnThePolicy() throws {
        try makeLedger()
        let json = try JSONValue(parsing: try svledger(["reconcile", "--period", "2025-26-Q2", "--format", "json"]).stdout)
        var ratings: [String: String] = [:]
        for contract in json["contracts"]?.arrayValue ?? [] {
            ratings[contract["contract"]?.stringValue ?? ""] = contract["amounts"]?["rating"]?.stringValue
        }
        // 168.36 of 183 weeks expected: £37,724.43 of £41,004.81, 92%.
        #expect(ratings == ["LAN": "approaching target", "LEI": "good"])
        #expect(json["portfolio"]?["rating"] == "approaching target", "two policies' cut-offs differ: the defaults")
        let agree = try CommandRunner.run("/usr/bin/env", [
            "python3", CommandRunner.repositoryRoot + "/tools/check_figures_agree.py", CommandRunner.svledgerPath, ledger,
            "--periods", "2024-25-Q4,2025-26-Q1,2025-26-Q2,2025-26-Q4",
        ])
        #expect(agree.status == 0, "\(agree.stdout) \(agree.stderr)")
        // The Cabinet report for Leicestershire names its own cut-offs.
        let report = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--council", "Leicestershire County Council", "--format", "md"]).stdout
        #expect(report.contains("| good | 90% or more of the value expected so far has been delivered |"), "\(report.suffix(3000))")
    }

    @Test("cut-offs out of order, or a good above 1, are refused when the policy is adopted")
    func refusedCutOffs() throws {
        try svledger(["init"])
        for (cutOffs, problem) in [
            (#"{"good":"0.80","approachingTarget":"0.90","requiresImprovement":"0.40","source":"s"}"#, "good must be more than approachingTarget"),
            (#"{"good":"1.05","approachingTarget":"0.90","requiresImprovement":"0.40","source":"s"}"#, "good must be at most 1"),
            (#"{"good":"0.95","approachingTarget":"0.80","requiresImprovement":"0","source":"s"}"#, "requiresImprovement must be more than 0"),
        ] {
            let file = directory.child("bad.json")
            try Self.policyVersion2(cutOffs: cutOffs).write(toFile: file, atomically: true, encoding: .utf8)
            let result = try svledger(["policy", "adopt", file, "--actor", "r.shah", "--role", "Head of Procurement"], expectSuccess: false)
            #expect(result.status == 65, "\(result.stderr)")
            #expect(result.stderr.contains("ratingCutOffs") && result.stderr.contains(problem), "\(result.stderr)")
        }
    }
}
