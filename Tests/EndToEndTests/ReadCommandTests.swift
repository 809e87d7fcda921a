import EventStore
import LedgerValues
import Foundation
import Testing
import TestSupport

/// The read side through the built CLI: show, contracts, reconcile, audit and verify.
@Suite("Read commands through the CLI")
struct ReadCommandTests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-reads")


    /// One contract: pledge NT1 4 and NT10 52, returns for Q1 and Q2, nothing for Q3.
    func makePortfolio() throws {
        let head = #""actor": {"id": "r.shah", "role": "Head of Procurement"}"#
        let officer = #""actor": {"id": "a.patel", "role": "Procurement Officer"}"#
        let commands = [
            #"{"command": "policy.adopt", "builtin": "lancashire-2024-28", \#(head)}"#,
            #"{"command": "catalog.publish", "builtin": "portal-003", \#(head)}"#,
            #"{"command": "contract.register", "contract": "RC-1", \#(officer), "effectiveDate": "2025-02-01", "title": "Road safety works", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "900000", "startDate": "2025-04-01", "endDate": "2026-03-31", "areasServed": ["Wyre"], "policyId": "lancashire-2024-28"}"#,
            #"{"command": "threshold.assess", "contract": "RC-1", \#(officer), "effectiveDate": "2025-02-01"}"#,
            #"{"command": "weighting.decide", "contract": "RC-1", \#(officer), "percent": "10", "basis": "policy-minimum"}"#,
            #"{"command": "contract.award", "contract": "RC-1", \#(head), "supplier": "Safe Roads Ltd", "valueGBP": "880000", "awardDate": "2025-03-20"}"#,
            #"{"command": "pledge.record", "contract": "RC-1", \#(officer), "effectiveDate": "2025-03-20", "catalog": "portal-003", "lines": [{"measure": "NT1", "quantity": "4"}, {"measure": "NT10", "quantity": "52"}]}"#,
            #"{"command": "delivery.report", "contract": "RC-1", \#(officer), "quarter": "2025-26-Q1", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "4", "evidence": "E1"}, {"measure": "NT29", "quantity": "10", "evidence": "V1"}]}"#,
            #"{"command": "delivery.report", "contract": "RC-1", \#(officer), "quarter": "2025-26-Q2", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "4", "evidence": "E2"}, {"measure": "NT10", "quantity": "26", "evidence": "A2"}]}"#,
        ]
        try svledger(["init"])
        let file = directory.child("commands.ndjson")
        try commands.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        try svledger(["apply", file])
    }

    @Test("reconcile: text, csv and json agree, unpledged delivery apart, late returns listed")
    func reconcile() throws {
        try makePortfolio()
        let json = try JSONValue(parsing: try svledger(["reconcile", "--period", "2025-26-Q4", "--format", "json"]).stdout)
        let contract = try #require(json["contracts"]?.arrayValue?.first)
        // Delivered: NT1 (a level) 4 FTE held in two quarters, 2 FTE-years × £30,782 = £61,564.00; NT10 26 × £224.07 = £5,825.82; total £67,389.82.
        #expect(contract["amounts"]?["delivered"] == "67389.82")
        #expect(contract["amounts"]?["expected"] == "134779.64", "the whole term has elapsed by 2026-03-31")
        #expect(contract["amounts"]?["rating"] == "requires improvement", "£67,389.82 / £134,779.64 = 50%")
        #expect(contract["lateReturns"] == ["2025-26-Q3"], "Q4 ends on the reporting date, so it is not yet late")
        #expect(contract["unpledged"]?.arrayValue?.first?["measure"] == "NT29")
        #expect(json["portfolio"]?["delivered"] == "67389.82", "unpledged NT29 is never in the totals")

        let csv = try svledger(["reconcile", "--period", "2025-26-Q4", "--format", "csv", "--level", "contract"]).stdout
        let rows = csv.split(separator: "\n")
        #expect(rows.first?.hasPrefix("period,contract,title,supplier,pledged_gbp") == true)
        #expect(rows.count == 2)
        // Delivered as claimed, then validated (none here: no figure was validated).
        #expect(rows[1].contains("134779.64,134779.64,67389.82,0.00,134779.64,-67389.82,requires improvement,2025-26-Q3,1"))

        let text = try svledger(["reconcile", "--period", "2025-26-Q4"]).stdout
        #expect(text.contains("unpledged deliveries (not in the totals): NT29 10 in 2025-26-Q1"))
        // The Q1 return has no NT10 line although NT10 was pledged: that is a late return too, by measure.
        #expect(text.contains("late returns: NT10 in 2025-26-Q1, 2025-26-Q3"), "\(text)")
        let document = try svledger(["reconcile", "--period", "2025-26-Q4", "--format", "json"]).stdout
        #expect(document.contains(#""incompleteReturns":[{"measures":["NT10"],"quarter":"2025-26-Q1"}]"#), "\(document.prefix(2000))")
        let contracts = try svledger(["contracts", "--period", "2025-26-Q4", "--format", "csv"]).stdout
        #expect(contracts.contains("RC-1,Road safety works,pledged,Safe Roads Ltd,lancashire-2024-28,above,10% (the policy minimum),134779.64,67389.82,2025-26-Q4,requires improvement"))
    }

    @Test("audit: every event with who, why, what changed and its hash; as of a position")
    func audit() throws {
        try makePortfolio()
        let csv = try svledger(["audit", "RC-1", "--format", "csv"]).stdout.split(separator: "\n")
        #expect(csv.count == 1 + 7)
        #expect(csv[0] == "POSITION,RECORDED AT,EFFECTIVE,EFFECTIVE DATE GIVEN,CONTRACT,ACTOR,ROLE,REASON,EVENT,WHAT CHANGED,OLD → NEW,EVENT ID,HASH")
        #expect(csv[5].contains("pledge by Safe Roads Ltd: 2 lines worth £134,779.64"))
        let log = try svledger(["log", "--stream", "contract/RC-1", "--format", "json"]).stdout.split(separator: "\n")
        let fifth = try JSONValue(parsing: String(log[4]))
        #expect(csv[5].hasSuffix(fifth["hash"]!.stringValue!), "the audit trail carries the chain's hashes")
        let early = try svledger(["audit", "RC-1", "--at", "5", "--format", "csv"]).stdout.split(separator: "\n")
        #expect(early.count == 1 + 3, "positions 3, 4 and 5 belong to RC-1")
        let text = try svledger(["audit", "RC-1"]).stdout
        #expect(text.contains("by r.shah (Head of Procurement)"))
        #expect(text.contains("as of position 9, hash "))
    }

    @Test("show as of a position does not see what came later")
    func showAsOf() throws {
        try makePortfolio()
        let now = try svledger(["show", "RC-1"]).stdout
        #expect(now.contains("2025-26-Q2"))
        let before = try svledger(["show", "RC-1", "--at", "8"]).stdout
        #expect(before.contains("2025-26-Q1"))
        #expect(!before.contains("2025-26-Q2"))
        #expect(before.contains("as of position 8"))
        let missing = try svledger(["show", "RC-1", "--at", "2"], expectSuccess: false)
        #expect(missing.status == ErrorCategory.notFound.exitCode)
        #expect(missing.stderr.contains("no contract RC-1 at position 2"))
        let json = try JSONValue(parsing: try svledger(["show", "RC-1", "--format", "json"]).stdout)
        #expect(json["contract"]?["supplier"] == "Safe Roads Ltd")
    }

    @Test("projections an older version stored are never read, verify ignores them, and the next write drops them")
    func obsoleteProjectionsDropped() throws {
        try makePortfolio()
        let reads = [["contracts", "--format", "json"], ["show", "RC-1", "--format", "json"], ["reconcile", "--format", "json"], ["verify"]]
        let before = try reads.map { try svledger($0).stdout }
        // An edited copy beside the log changes no read: every read folds the log.
        try LedgerTampering.writeObsoleteProjection(ledger, contract: "RC-1", contents: "Safe Roads PLC")
        #expect(try reads.map { try svledger($0).stdout } == before)
        #expect(try LedgerTampering.holdsDatabase(ledger, "projection-contracts"))
        // A read-only command leaves the file alone; the first writing one drops both databases.
        try svledger(["append", "--stream", "notes-1", "--type", "NoteRecorded", "--actor", "a.auditor", "--role", "Contract Manager", "--payload", #"{"text": "n"}"#])
        #expect(try !LedgerTampering.holdsDatabase(ledger, "projection-contracts"))
        #expect(try !LedgerTampering.holdsDatabase(ledger, "projection-meta"))
        #expect(try svledger(["verify"]).status == 0)
        #expect(try svledger(["show", "RC-1"]).stdout.contains("Safe Roads Ltd"))
    }

    @Test("contracts says first which quarter it rates, and that by default it is the quarter of the day read")
    func contractsSaysItsPeriod() throws {
        try makePortfolio()
        let byDefault = try svledger(["contracts", "--as-of", "2025-11-30"]).stdout
        #expect(byDefault.hasPrefix("Rated for 2025-26-Q3, delivery up to 2025-11-30 (the quarter of the day read, by default; --period names another)"), "\(byDefault.prefix(200))")
        let chosen = try svledger(["contracts", "--period", "2025-26-Q2"]).stdout
        #expect(chosen.hasPrefix("Rated for 2025-26-Q2, delivery up to 2025-09-30\n"), "\(chosen.prefix(200))")
    }
}
