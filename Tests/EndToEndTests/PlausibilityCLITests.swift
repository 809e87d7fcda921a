import Foundation
import LedgerValues
import Testing
import TestSupport

/// What a new user met (issue 12): dates that defaulted to today, returns before the award,
/// early closure, over-delivery, and the CLI's rough edges, through the built `svledger`.
@Suite("Plausibility and rough edges through the CLI")
struct PlausibilityCLITests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-plausibility")

    static let head = ["--actor", "r.shah", "--role", "Head of Procurement"]
    static let officer = ["--actor", "a.patel", "--role", "Procurement Officer"]
    static let supplier = ["--actor", "p.okafor", "--role", "Supplier"]
    static let contract = ["--contract", "LCC-2025-014"]

    /// Policy and catalog; LCC-2025-014 registered and assessed in February 2025 and weighted.
    func prepare() throws {
        try svledger(["init"])
        try svledger(["policy", "adopt", "--builtin", "lancashire-2024-28"] + Self.head)
        try svledger(["catalog", "publish", "--builtin", "portal-003"] + Self.head)
        try svledger(["contract", "register"] + Self.contract + [
            "--title", "Highway resurfacing", "--department", "Highways", "--category", "works", "--value", "£4,250,000",
            "--start", "2025-04-01", "--end", "2028-03-31", "--area", "Preston", "--policy", "lancashire-2024-28",
            "--effective-date", "2025-02-03",
        ] + Self.officer)
        try svledger(["threshold", "assess"] + Self.contract + ["--effective-date", "2025-02-03"] + Self.officer)
        try svledger(["weighting", "decide"] + Self.contract + ["--percent", "10", "--basis", "policy-minimum", "--effective-date", "2025-02-10"] + Self.officer)
    }

    func bytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb")) }

    /// Runs a command that must be refused: its one error line, and data.mdb unchanged.
    func refused(_ arguments: [String], status: Int32 = 1, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let before = try bytes()
        let result = try svledger(arguments, expectSuccess: false)
        #expect(result.status == status, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result.stdout)", sourceLocation: sourceLocation)
        #expect(try bytes() == before, "a refused command changed data.mdb", sourceLocation: sourceLocation)
        return result.stderr
    }

    @Test("the new user's case: an award and pledge recorded today refuse the 2025 returns, and say their dates were not given")
    func awardRecordedToday() throws {
        try prepare()
        try svledger(["contract", "award"] + Self.contract + ["--supplier", "North Roads Ltd", "--value", "£4,180,000"] + Self.head)
        try svledger(["pledge", "record"] + Self.contract + ["--catalog", "portal-003@003.2", "--line", "NT1=24", "--line", "NT10=70"] + Self.officer)
        let error = try refused(["delivery", "report"] + Self.contract + ["--quarter", "2025-26-Q1", "--confirm-attribution", "--line", "NT1=6@HR-Q1"] + Self.supplier)
        #expect(error.contains("(rule: quarter-before-award)"), "\(error)")
        #expect(error.contains("--award-date, or --effective-date on the award"), "\(error)")

        let show = try svledger(["show", "LCC-2025-014"])
        #expect(show.stdout.contains("effective date not given; recorded day used: award ("), "\(show.stdout)")
        #expect(show.stdout.contains(", pledge ("), "\(show.stdout)")
        let audit = try svledger(["audit", "LCC-2025-014"])
        #expect(audit.stdout.components(separatedBy: "(effective date not given; recorded day used)").count - 1 == 2, "\(audit.stdout)")
        let json = try JSONValue(parsing: try svledger(["audit", "LCC-2025-014", "--format", "json"]).stdout)
        guard case .array(let events) = json["events"] ?? .null else { Issue.record("no events"); return }
        #expect(events.map { $0["effectiveDateDefaulted"] } == [.bool(false), .bool(false), .bool(false), .bool(true), .bool(true)])
    }

    @Test("a return for the current quarter is refused until it ends")
    func currentQuarter() throws {
        try prepare()
        try svledger(["contract", "award"] + Self.contract + ["--supplier", "North Roads Ltd", "--value", "£4,180,000", "--effective-date", "2025-03-14"] + Self.head)
        try svledger(["pledge", "record"] + Self.contract + ["--catalog", "portal-003", "--line", "NT1=24", "--effective-date", "2025-03-14"] + Self.officer)
        let today = Timestamp.now().date
        let startYear = today.month >= 4 ? today.year : today.year - 1
        let current = "\(startYear)-\(String(format: "%02d", (startYear + 1) % 100))-Q\(today.month >= 4 ? (today.month - 4) / 3 + 1 : 4)"
        let error = try refused(["delivery", "report"] + Self.contract + ["--quarter", current, "--confirm-attribution", "--line", "NT1=1@E"] + Self.supplier)
        #expect(error.contains("(rule: quarter-not-ended)"), "\(error)")
    }

    @Test("a correction by quarter and measure, an early closure that needs a reason, and over-delivery flagged in every format")
    func correctionClosureAndOverDelivery() throws {
        try prepare()
        try svledger(["contract", "award"] + Self.contract + ["--supplier", "North Roads Ltd", "--value", "£4,180,000", "--effective-date", "2025-03-14"] + Self.head)
        try svledger(["pledge", "record"] + Self.contract + ["--catalog", "portal-003", "--line", "NT1=24", "--line", "NT10=70", "--effective-date", "2025-03-14"] + Self.officer)
        // Stray spaces in a line are dropped.
        try svledger(["delivery", "report"] + Self.contract + ["--quarter", "2025-26-Q1", "--confirm-attribution", "--line", " NT1 = 30 @ HR-Q1 ", "--line", "NT10=10@APP"] + Self.supplier)

        let none = try refused(["delivery", "correct"] + Self.contract + ["--quarter", "2025-26-Q2", "--measure", "NT1", "--line", "NT1=5@HR", "--reason", "r"] + Self.supplier)
        #expect(none.contains("has no 2025-26-Q2 return for NT1"), "\(none)")
        let corrected = try svledger(["delivery", "correct"] + Self.contract + ["--quarter", "2025-26-Q1", "--measure", "NT1", "--line", "NT1=29@HR-Q1-b", "--reason", "One starter was on another contract"] + Self.supplier)
        #expect(corrected.stdout.contains("corrected the 2025-26-Q1 return"), "\(corrected.stderr)")

        let show = try JSONValue(parsing: try svledger(["show", "LCC-2025-014", "--format", "json"]).stdout)
        guard case .array(let deliveries) = show["contract"]?["deliveries"] ?? .null else { Issue.record("no deliveries"); return }
        #expect(deliveries.contains { $0["measure"] == "NT1" && $0["quantity"] == "29" && $0["evidence"] == "HR-Q1-b" })

        // 29 FTE held in Q1 (a level: 29 × ¼ = 7.25 FTE-years) against 24 × 91/1096 = 1.9927 expected by 2025-06-30; 10 weeks against 70 × 91/1096 = 5.8120.
        let text = try svledger(["reconcile", "--contract", "LCC-2025-014", "--period", "2025-26-Q1"])
        #expect(text.stdout.contains("check the evidence: LCC-2025-014 NT1 delivered 7.25 is more than twice the 1.9927 expected to date"), "\(text.stdout)")
        let csv = try svledger(["reconcile", "--contract", "LCC-2025-014", "--period", "2025-26-Q1", "--format", "csv"])
        #expect(csv.stdout.split(separator: "\n").first?.hasSuffix(",rating,evidence_check") == true)
        #expect(csv.stdout.contains(",delivered 7.25 is more than twice the 1.9927 expected to date"), "\(csv.stdout)")
        let json = try JSONValue(parsing: try svledger(["reconcile", "--contract", "LCC-2025-014", "--period", "2025-26-Q1", "--format", "json"]).stdout)
        guard case .array(let contracts) = json["contracts"] ?? .null, case .array(let lines) = contracts.first?["lines"] ?? .null else {
            Issue.record("no lines")
            return
        }
        #expect(lines.map { $0["overDelivered"] } == [JSONValue.bool(true), .bool(false)])
        #expect(lines[1]["evidenceCheck"] == .null)

        let early = try refused(["contract", "close"] + Self.contract + ["--effective-date", "2027-01-31"] + Self.officer)
        #expect(early.contains("before the term ends on 2028-03-31 (an early termination)"), "\(early)")
        #expect(early.contains("(rule: reason-required)"), "\(early)")
        try svledger(["contract", "close"] + Self.contract + ["--effective-date", "2027-01-31", "--reason", "Supplier entered administration"] + Self.officer)
        let closed = try svledger(["show", "LCC-2025-014"])
        #expect(closed.stdout.contains("stage          closed on 2027-01-31, before the end of its term (early termination: Supplier entered administration)"), "\(closed.stdout)")
    }

    @Test("a running contract takes back-dated returns only when registered as migrated, and says so")
    func migratedContract() throws {
        try prepare()
        let register = ["contract", "register", "--contract", "LCC-2023-090", "--title", "Grounds maintenance", "--department", "Property",
            "--category", "services", "--value", "£1,900,000", "--start", "2023-06-01", "--end", "2027-05-31", "--area", "South Ribble",
            "--policy", "lancashire-2024-28", "--existing-supplier", "GreenEdge", "--effective-date", "2025-04-07", "--migrated"] + Self.officer
        let noReason = try refused(register)
        #expect(noReason.contains("(rule: reason-required)"), "\(noReason)")
        try svledger(register + ["--reason", "Let in 2023; its earlier returns are entered from the supplier's reports"])
        try svledger(["pledge", "record", "--contract", "LCC-2023-090", "--catalog", "portal-003", "--line", "NT1=4", "--effective-date", "2023-06-01"] + Self.officer)
        try svledger(["delivery", "report", "--contract", "LCC-2023-090", "--quarter", "2023-24-Q2", "--confirm-attribution", "--line", "NT1=1@GE-Q2"] + Self.supplier)
        let show = try svledger(["show", "LCC-2023-090"])
        #expect(show.stdout.contains("migrated       it started before the ledger did"), "\(show.stdout)")
        let audit = try svledger(["audit", "LCC-2023-090"])
        #expect(audit.stdout.contains("migrated: it started before the ledger did"), "\(audit.stdout)")
    }

    @Test("log: an unknown stream is not found, with the stream meant; the table shows event ids")
    func logStreams() throws {
        try prepare()
        for stream in ["contract-LCC-2025-014", "LCC-2025-014"] {
            let result = try svledger(["log", "--stream", stream], expectSuccess: false)
            #expect(result.status == 66, "\(result.stderr)")
            #expect(result.stderr == "error: no stream \"\(stream)\" in the ledger (did you mean contract/LCC-2025-014?) (stream-not-found)\n")
            #expect(result.stdout.isEmpty)
        }
        let help = try svledger(["log", "--help"])
        #expect(help.stdout.contains("svledger log --stream contract/LCC-2025-014"))
        #expect(!help.stdout.contains("contract-LCC"))

        let table = try svledger(["log", "--stream", "contract/LCC-2025-014"])
        let json = try svledger(["log", "--stream", "contract/LCC-2025-014", "--format", "json"])
        let ids = try json.stdout.split(separator: "\n").map { try #require(try JSONValue(parsing: String($0))["eventId"]?.stringValue) }
        #expect(ids.count == 3)
        #expect(table.stdout.split(separator: "\n").first?.contains("EVENT ID") == true)
        for id in ids { #expect(table.stdout.contains("…" + id.suffix(12)), "\(id)") }
    }

    @Test("errors name the flags typed, not the JSON fields; an apply file keeps the JSON names")
    func flagNames() throws {
        try prepare()
        let value = try refused(["contract", "register", "--contract", "C-2", "--title", "T", "--department", "D", "--category", "works",
            "--value", "lots", "--start", "2025-04-01", "--end", "2026-03-31", "--policy", "lancashire-2024-28"] + Self.officer, status: 65)
        #expect(value.hasPrefix("error: --value: \"lots\""), "\(value)")
        #expect(!value.contains("estimatedWholeLifeValueGBP"))
        // A refusal names its fields as fields; the command line says them as its flags.
        let dates = try refused(["contract", "register", "--contract", "C-3", "--title", "T", "--department", "D", "--category", "works",
            "--value", "900000", "--start", "2026-04-01", "--end", "2025-03-31", "--policy", "lancashire-2024-28"] + Self.officer, status: 65)
        #expect(dates.contains("--end 2025-03-31 is before --start 2026-04-01"), "\(dates)")
        try svledger(["contract", "award"] + Self.contract + ["--supplier", "North Roads Ltd", "--value", "£4,180,000", "--effective-date", "2025-03-14"] + Self.head)
        try svledger(["pledge", "record"] + Self.contract + ["--catalog", "portal-003", "--line", "NT1=24", "--effective-date", "2025-03-14"] + Self.officer)
        let attribution = try refused(["delivery", "report"] + Self.contract + ["--quarter", "2025-26-Q1", "--line", "NT1=1@E"] + Self.supplier)
        #expect(attribution.contains("(--confirm-attribution)"), "\(attribution)")
        #expect(!attribution.contains("attributionConfirmed"))
        let quantity = try refused(["delivery", "report"] + Self.contract + ["--quarter", "2025-26-Q1", "--confirm-attribution", "--line", "NT1=1@E", "--line", "NT10=-2@F"] + Self.supplier, status: 65)
        #expect(quantity.hasPrefix("error: --line #2 quantity: \"-2\" must not be negative"), "\(quantity)")

        let file = directory.child("return.ndjson")
        try #"{"command": "delivery.report", "contract": "LCC-2025-014", "actor": {"id": "p", "role": "Supplier"}, "quarter": "2025-26-Q1", "lines": [{"measure": "NT1", "quantity": "1", "evidence": "E"}]}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let applied = try refused(["apply", file])
        #expect(applied.contains("(attributionConfirmed)"), "\(applied)")
    }

    @Test("a usage error found while running shows the subcommand's usage, not the root's")
    func subcommandUsage() throws {
        try prepare()
        let result = try svledger(["pledge", "record"] + Self.contract + ["--catalog", "portal-003"] + Self.officer, expectSuccess: false)
        #expect(result.status == 64)
        #expect(result.stderr.contains("error: give the pledge lines with --line or --lines\nUsage: svledger pledge record "), "\(result.stderr)")
        #expect(result.stderr.contains("See 'svledger pledge record --help'"), "\(result.stderr)")
        #expect(!result.stderr.contains("svledger <subcommand>"))
    }

    @Test("an unknown contract or measure names the closest that exists")
    func didYouMean() throws {
        try prepare()
        let command = try refused(["threshold", "assess", "--contract", "LCC-2025-14"] + Self.officer)
        #expect(command.contains("contract LCC-2025-14 is not registered (did you mean LCC-2025-014?)"), "\(command)")
        let show = try refused(["show", "LCC-2025-41"], status: 66)
        #expect(show.contains("(did you mean LCC-2025-014?)"), "\(show)")
        let audit = try refused(["audit", "lcc-2025-014"], status: 66)
        #expect(audit.contains("(did you mean LCC-2025-014?)"), "\(audit)")
        try svledger(["contract", "award"] + Self.contract + ["--supplier", "North Roads Ltd", "--value", "£4,180,000", "--effective-date", "2025-03-14"] + Self.head)
        let measure = try refused(["pledge", "record"] + Self.contract + ["--catalog", "portal-003", "--line", "NT100=24"] + Self.officer)
        #expect(measure.contains("measure NT100 is not in catalog portal-003@003.2 (did you mean NT10?)"), "\(measure)")
    }
}
