import Crypto
import LedgerValues
import Foundation
import Testing
import TestSupport

/// Both timelines and provable figures (issue 12): a period is reconciled with the commitments
/// in force then; `--on` shows how things stood on a day by effective dates; every read states
/// the digest of the figures file that `svledger figures` prints.
@Suite("Timelines and figures")
struct TimelineTests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-timelines")

    /// The schema examples: LCC-2025-014 pledged 24 NT1 and 70 NT10 effective 2025-03-20,
    /// returned for Q1 (effective 2025-07-15) and Q2 (2025-10-15), and refreshed effective
    /// 2025-11-01 (NT1 to 20, NT10 withdrawn, NT29 added).
    func makeLedger() throws {
        try svledger(["init"])
        try svledger(["apply", CommandRunner.repositoryRoot + "/Schemas/commands/examples.ndjson"])
    }

    func document(_ arguments: [String]) throws -> JSONValue {
        try JSONValue(parsing: try svledger(arguments + ["--format", "json"]).stdout)
    }

    func line(_ reconcile: JSONValue, _ measure: String) -> JSONValue? {
        reconcile["contracts"]?.arrayValue?.first?["lines"]?.arrayValue?.first { $0["measure"] == .string(measure) }
    }

    @Test("a refresh effective after a period's reporting date does not rewrite that period")
    func commitmentsInForce() throws {
        try makeLedger()
        let q2 = try document(["reconcile", "--period", "2025-26-Q2", "--contract", "LCC-2025-014"])
        #expect(line(q2, "NT1")?["currentQuantity"] == "24", "Q2 (to 2025-09-30) uses the pledge, not the refresh of 2025-11-01")
        #expect(line(q2, "NT10")?["withdrawn"] == .bool(false))
        #expect(line(q2, "NT29") == nil)
        let q3 = try document(["reconcile", "--period", "2025-26-Q3", "--contract", "LCC-2025-014"])
        #expect(line(q3, "NT1")?["currentQuantity"] == "20", "Q3 (to 2025-12-31) uses the refresh")
        #expect(line(q3, "NT10")?["withdrawn"] == .bool(true))
        #expect(line(q3, "NT29") != nil)
        // A period before the pledge took effect has nothing of this contract to reconcile.
        let early = try svledger(["reconcile", "--period", "2024-25-Q3", "--contract", "LCC-2025-014"], expectSuccess: false)
        #expect(early.status == 66 && early.stderr.contains("no commitment in force"))
    }

    @Test("--on shows how a contract stood on a day by effective dates, beside --as-of")
    func effectiveView() throws {
        try makeLedger()
        let august = try document(["show", "LCC-2025-014", "--on", "2025-08-01"])
        let quarters = Set(august["contract"]?["deliveries"]?.arrayValue?.compactMap { $0["quarter"]?.stringValue } ?? [])
        #expect(quarters == ["2025-26-Q1"], "the Q2 return took effect on 2025-10-15")
        #expect(august["figures"]?["effectiveOn"] == "2025-08-01")
        let now = try document(["show", "LCC-2025-014"])
        #expect(Set(now["contract"]?["deliveries"]?.arrayValue?.compactMap { $0["quarter"]?.stringValue } ?? []).count == 2)
        #expect(now["figures"]?["effectiveOn"] == .null)
        // Before it was registered (effective 2025-02-03), the contract did not exist.
        let before = try svledger(["show", "LCC-2025-014", "--on", "2025-01-31"], expectSuccess: false)
        #expect(before.status == 66 && before.stderr.contains("effective on 2025-01-31"))
        let text = try svledger(["contracts", "--on", "2025-08-01"]).stdout
        #expect(text.contains("as effective on 2025-08-01"))
    }

    @Test("every read states the digest of the figures file, and the file is what it digests")
    func figuresDigest() throws {
        try makeLedger()
        let file = try svledger(["figures", "--period", "2025-26-Q3"]).stdout
        let digest = "sha256:" + SHA256.hash(data: Data(file.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(try svledger(["figures", "--period", "2025-26-Q3", "--digest"]).stdout == digest + "\n")
        #expect(file.hasPrefix("svledger-figures/4\nhead,"))
        #expect(file.contains("\nperiod,2025-26-Q3,2025-12-31\n"))
        // A read of one contract states that contract's figures alone (§10, "A contract's figures").
        let contractFile = try svledger(["figures", "--period", "2025-26-Q3", "--contract", "LCC-2025-014"]).stdout
        let contractDigest = "sha256:" + SHA256.hash(data: Data(contractFile.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(contractFile.hasPrefix("svledger-figures/4\ncontract,LCC-2025-014,"))
        #expect(contractDigest != digest)
        for (read, expected) in [(["reconcile"], digest), (["contracts"], digest), (["show", "LCC-2025-014"], contractDigest), (["reconcile", "--contract", "LCC-2025-014"], contractDigest)] {
            let json = try document(read + ["--period", "2025-26-Q3"])
            #expect(json["figures"]?["digest"] == .string(expected), "\(read)")
            let text = try svledger(read + ["--period", "2025-26-Q3"]).stdout
            #expect(text.contains("figures \(expected) (svledger-figures/4, 2025-26-Q3 at 2025-12-31)"), "\(read): \(text.suffix(300))")
        }
        #expect(try document(["show", "LCC-2025-014", "--period", "2025-26-Q3"])["figures"]?["contract"] == "LCC-2025-014")
        let html = try svledger(["report", "cabinet", "--period", "2025-26-Q3"]).stdout
        #expect(html.contains(digest))
        // A figure that moves by a penny moves the digest.
        #expect(try svledger(["figures", "--period", "2025-26-Q2", "--digest"]).stdout != digest + "\n")
    }

    @Test("audit --since shows what changed after a point, old → new, who and why")
    func auditSince() throws {
        try makeLedger()
        let trail = try document(["audit", "LCC-2025-014"])
        let refresh = try #require(trail["events"]?.arrayValue?.first { $0["eventType"] == "CommitmentsRefreshed" })
        let position = try #require(refresh["position"]?.integerValue)
        let since = try svledger(["audit", "LCC-2025-014", "--since", String(position - 1)]).stdout
        #expect(since.contains("CommitmentsRefreshed"))
        #expect(since.contains("by a.patel (Procurement Officer): \"Annual review: apprenticeships achieved, volunteering added\""))
        #expect(since.contains("committed NT1: 24 (£738,768.00) → 20 (£615,640.00)"), "\(since)")
        #expect(since.contains("committed NT10: 70 ("), "\(since)")
        #expect(since.contains("→ —"), "a withdrawn line ends in none")
        #expect(!since.contains("ContractRegistered"), "nothing before the point")
        // Every contract's changes since a day; the events were all recorded today.
        let all = try document(["audit", "--since", "2025-01-01"])
        #expect(all["contract"] == .null)
        #expect(Set(all["events"]?.arrayValue?.compactMap { $0["contract"]?.stringValue } ?? []).count > 1)
        let none = try document(["audit", "--since", "2999-01-01"])
        #expect(none["events"]?.arrayValue?.isEmpty == true)
        let neither = try svledger(["audit"], expectSuccess: false)
        #expect(neither.status == 64)
    }

    @Test("a day or period at the edge of the years svledger names is refused as wrong input, never a trap", arguments: [
        ["contracts", "--on", "1000-01-01"], ["contracts", "--as-of", "1000-01-01"], ["reconcile", "--period", "9998-99-Q4"],
        ["figures", "--period", "1000-01-Q1"], ["report", "cabinet", "--on", "9999-12-31"], ["show", "LCC-2025-014", "--as-of", "9999-01-01"],
    ])
    func edgesOfTime(_ arguments: [String]) throws {
        try makeLedger()
        let result = try svledger(arguments, expectSuccess: false)
        #expect(!result.wasSignalled && result.status == 65, "\(arguments): \(result.status) \(result.stderr.prefix(200))")
        #expect(result.stderr.contains("within the financial years 1001-02 to 9997-98"), "\(result.stderr.prefix(300))")
        #expect(result.stderr.contains("(invalid-date)") || result.stderr.contains("(invalid-period)"), "\(result.stderr.prefix(300))")
        #expect(!result.stderr.contains("Usage:"), "a wrong value is not a wrong command line: \(result.stderr.prefix(300))")
    }
}
