import Foundation
import LedgerValues
import Testing
import TestSupport

/// Evidence files through the real executable: sent with a return, listed, fetched, checked by
/// verify (a changed file and a missing one told apart), erased by an administrator only; and
/// every refusal leaves data.mdb byte for byte as it was.
@Suite("Evidence files through the CLI")
struct EvidenceCLITests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-evidence")
    static let head = ["--actor", "r.shah", "--role", "Head of Procurement"]
    static let supplier = ["--actor", "p.okafor", "--role", "Supplier"]
    static let admin = ["--actor", "d.okoro", "--role", "Administrator"]
    let c = ["--contract", "EV-1"]

    func prepared() throws {
        try svledger(["init"])
        try svledger(["policy", "adopt", "--builtin", "lancashire-2024-28"] + Self.head)
        try svledger(["catalog", "publish", "--builtin", "portal-003"] + Self.head)
        try svledger(["contract", "register"] + c + [
            "--title", "Roads", "--department", "Highways", "--category", "works", "--value", "£250,000", "--start", "2025-04-01",
            "--end", "2027-03-31", "--area", "Preston", "--policy", "lancashire-2024-28", "--effective-date", "2025-02-03"] + Self.head)
        try svledger(["threshold", "assess"] + c + ["--effective-date", "2025-02-03"] + Self.head)
        try svledger(["weighting", "decide"] + c + ["--percent", "10", "--basis", "policy-minimum", "--effective-date", "2025-02-04"] + Self.head)
        try svledger(["contract", "award"] + c + ["--supplier", "North Roads Ltd", "--value", "£240,000", "--effective-date", "2025-03-01"] + Self.head)
        try svledger(["pledge", "record"] + c + ["--catalog", "portal-003", "--line", "NT1=4", "--effective-date", "2025-03-01"] + Self.head)
    }

    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = directory.child(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func dataFile() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb")) }

    func report(_ quarter: String, _ evidence: String) -> [String] {
        ["delivery", "report"] + c + ["--quarter", quarter, "--line", "NT1=1@HR-1", "--evidence-file", evidence, "--confirm-attribution"] + Self.supplier
    }

    @Test("a PDF sent with a return is listed, fetched byte for byte, and verified; the refusals write nothing")
    func sendListFetchVerify() throws {
        try prepared()
        let pdf = Array("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".utf8)
        let before = try dataFile()
        // Refused, each naming its fault: a renamed ZIP, a measure no line has, a file that is not there.
        let zip = try file("timesheet.xlsx", [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18))
        let renamed = try svledger(report("2025-26-Q1", "NT1=\(zip)"), expectSuccess: false)
        #expect(renamed.status == 1 && renamed.stderr.contains("rule: evidence-file"), "\(renamed.stderr)")
        let path = try file("starters q1.pdf", pdf)
        let noLine = try svledger(report("2025-26-Q1", "NT10=\(path)"), expectSuccess: false)
        #expect(noLine.status == 65 && noLine.stderr.contains("no --line is for measure NT10"))
        #expect(try svledger(report("2025-26-Q1", "NT1=\(directory.child("absent.pdf"))"), expectSuccess: false).status == 66)
        #expect(try dataFile() == before)

        let sent = try svledger(report("2025-26-Q1", "NT1=\(path)"))
        #expect(sent.stdout.contains("NT1 1 (evidence: starters q1.pdf)"))
        let listed = try JSONValue(parsing: try svledger(["evidence", "list", "--format", "json"]).stdout)
        let entry = try #require(listed["files"]?.arrayValue?.first)
        #expect(entry["status"] == .string("kept") && entry["file"]?["name"] == .string("starters q1.pdf"))
        let sha = try #require(entry["file"]?["sha256"]?.stringValue)
        let out = directory.child("back.pdf")
        try svledger(["evidence", "get"] + c + ["--sha256", sha, "--out", out])
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data(pdf))
        #expect(try svledger(["verify"]).stdout.contains("evidence: 1 file citation kept intact, 0 erased"))
        #expect(try svledger(["evidence", "list", "--format", "csv"]).stdout.hasPrefix("contract,quarter,measure,name,mediaType,size,sha256,status,position"))
    }

    @Test("apply reads each line's files by name from --evidence-dir; a name not there, or one with a path, is refused and nothing is written")
    func applyWithFiles() throws {
        try prepared()
        let folder = directory.child("returns")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("measure,quantity\nNT1,2\n".utf8).write(to: URL(fileURLWithPath: folder + "/rota.csv"))
        func batch(_ name: String) throws -> String {
            try file("batch-\(abs(name.hashValue)).ndjson", Array(#"{"command": "delivery.report", "contract": "EV-1", "actor": {"id": "p.okafor", "role": "Supplier"}, "quarter": "2025-26-Q1", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "2", "evidence": "ROTA-1", "evidenceFiles": [{"name": "\#(name)"}]}]}"#.utf8))
        }
        let before = try dataFile()
        let missing = try svledger(["apply", try batch("absent.csv"), "--evidence-dir", folder], expectSuccess: false)
        #expect(missing.status == 1 && missing.stderr.contains("is not among the files sent"), "\(missing.stderr)")
        let escaping = try svledger(["apply", try batch("../rota.csv"), "--evidence-dir", folder], expectSuccess: false)
        #expect(escaping.stderr.contains("directory separator"), "\(escaping.stderr)")
        #expect(try svledger(["apply", try batch("rota.csv")], expectSuccess: false).status == 65, "without --evidence-dir a file must give its hash, size and type")
        #expect(try dataFile() == before)
        try svledger(["apply", try batch("rota.csv"), "--evidence-dir", folder])
        let listed = try JSONValue(parsing: try svledger(["evidence", "list", "--format", "json"]).stdout)
        #expect(listed["files"]?.arrayValue?.first?["file"]?["mediaType"] == .string("text/csv"))
    }

    @Test("verify fails on a changed file and on a missing one (exit 3), names which, and the erasure of a file is the administrator's alone")
    func tamperAndErase() throws {
        try prepared()
        let path = try file("payslip.pdf", Array("%PDF-1.4\npayslip\n".utf8))
        try svledger(report("2025-26-Q1", "NT1=\(path)"))
        let sha = try #require(try JSONValue(parsing: try svledger(["evidence", "list", "--format", "json"]).stdout)["files"]?.arrayValue?.first?["file"]?["sha256"]?.stringValue)

        let copy = directory.child("copy")
        try svledger(["backup", copy])
        try LedgerTampering.alterEvidence(copy)
        let changed = try CommandRunner.svledger(["verify", "--ledger", copy])
        #expect(changed.status == 3 && changed.stderr.contains("has changed"), "\(changed.stderr)")
        try LedgerTampering.alterEvidence(copy, remove: true)
        let missing = try CommandRunner.svledger(["verify", "--ledger", copy])
        #expect(missing.status == 3 && missing.stderr.contains("is missing"), "\(missing.stderr)")

        let before = try dataFile()
        let byOfficer = try svledger(["evidence", "erase"] + c + ["--sha256", sha, "--reason", "asked"] + Self.head, expectSuccess: false)
        #expect(byOfficer.status == 1 && byOfficer.stderr.contains("rule: erasure-authority"))
        #expect(try svledger(["evidence", "erase"] + c + ["--sha256", sha] + Self.admin, expectSuccess: false).stderr.contains("rule: reason-required"))
        #expect(try dataFile() == before)
        try svledger(["evidence", "erase"] + c + ["--sha256", sha, "--reason", "Retention period ended"] + Self.admin)
        let verified = try svledger(["verify"]).stdout
        #expect(verified.contains("evidence: 0 file citations kept intact, 1 erased") && verified.contains("erased by event"), "\(verified)")
        let gone = try svledger(["evidence", "get"] + c + ["--sha256", sha, "--out", directory.child("gone.pdf")], expectSuccess: false)
        #expect(gone.status == 66 && gone.stderr.contains("evidence-erased"))
        #expect(try svledger(["audit", "EV-1"]).stdout.contains("Retention period ended"))
    }
}
