import EventStore
import LedgerValues
import Foundation
import Testing
import TestSupport

@Suite("Import, export and backup through the CLI")
struct ImportExportTests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-import")
    static let seed003 = CommandRunner.repositoryRoot + "/tools/demo-data/seed-003-pledge-table.txt"
    static let head = ["--actor", "r.shah", "--role", "Head of Procurement"]
    static let officer = ["--actor", "a.patel", "--role", "Contract Manager"]


    /// A ledger with one awarded contract, ready for a pledge.
    func awardedContract() throws {
        try svledger(["init"])
        try svledger(["policy", "adopt", "--builtin", "lancashire-2024-28"] + Self.head)
        try svledger(["catalog", "publish", "--builtin", "portal-003"] + Self.head)
        try svledger(["contract", "register", "--contract", "IMP-1", "--title", "Regeneration", "--department", "Growth", "--category", "works",
                      "--value", "£20,000,000", "--start", "2025-04-01", "--end", "2029-03-31", "--policy", "lancashire-2024-28", "--effective-date", "2025-01-10"] + Self.officer)
        try svledger(["threshold", "assess", "--contract", "IMP-1", "--effective-date", "2025-01-10"] + Self.officer)
        try svledger(["weighting", "decide", "--contract", "IMP-1", "--percent", "10", "--basis", "policy-minimum"] + Self.officer)
        try svledger(["contract", "award", "--contract", "IMP-1", "--supplier", "Regen Partners", "--value", "£19,500,000"] + Self.head)
    }

    func fileBytes() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb")) }

    @Test("seed 003: dry run writes nothing; a plain import is refused; --use-computed records computed values and keeps the stated ones")
    func seedImport() throws {
        try awardedContract()
        let before = try fileBytes()
        let dry = try svledger(["import", "portal", Self.seed003, "--contract", "IMP-1", "--catalog", "portal-003", "--dry-run"])
        #expect(dry.stdout.contains("line 25: value-disagrees: stated £6,264,776.71 but 650000 × 0.963812 = £626,477.80"))
        #expect(dry.stdout.contains("recomputed total £2,822,946.49; stated lines add up to £8,461,245.35; printed total £8,461,245.35"))
        #expect(try fileBytes() == before)

        let refused = try svledger(["import", "portal", Self.seed003, "--contract", "IMP-1", "--catalog", "portal-003"] + Self.officer, expectSuccess: false)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("import refused, nothing written: 1 line(s) with value-disagrees"))
        #expect(try fileBytes() == before)

        let imported = try svledger(["import", "portal", Self.seed003, "--contract", "IMP-1", "--catalog", "portal-003", "--use-computed", "--effective-date", "2025-03-20"] + Self.officer)
        #expect(imported.stdout.contains("pledge by Regen Partners: 21 lines worth £2,822,946.49"))
        let log = try svledger(["log", "--stream", "contract/IMP-1", "--format", "json"]).stdout.split(separator: "\n")
        let pledge = try JSONValue(parsing: String(log.last!))
        #expect(pledge["payload"]?["statedValues"]?["NT18"] == "£ 6,264,776.71", "the stated value stays in the event for the audit trail")
        #expect(pledge["payload"]?["totalGBP"] == "2822946.49")
        #expect(try svledger(["verify"]).status == 0)
    }

    @Test("seed 003 with its total printed as a row, labelled with cells dropped or unlabelled with cells kept: set against the lines, never counted as one", arguments: [
        "TOTAL\t\t\t\t\t\t£8,461,245.35", "\t\t\t\t\t\t£ 8,461,245.35\t\t",
    ])
    func seedWithTotalRow(row: String) throws {
        try awardedContract()
        let seed = try String(contentsOfFile: Self.seed003, encoding: .utf8)
        let file = directory.child("total-row.tsv")
        try (seed[..<seed.range(of: "**Total SV Pledge")!.lowerBound] + row + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let dry = try svledger(["import", "portal", file, "--contract", "IMP-1", "--catalog", "portal-003", "--dry-run"])
        #expect(dry.stdout.contains("recomputed total £2,822,946.49; stated lines add up to £8,461,245.35; printed total £8,461,245.35"), "\(dry.stdout)")
        #expect(!dry.stdout.contains("unknown-measure"))
        #expect(!dry.stdout.contains("total-differs"))
        let imported = try svledger(["import", "portal", file, "--contract", "IMP-1", "--catalog", "portal-003", "--use-computed"] + Self.officer)
        #expect(imported.stdout.contains("21 lines worth £2,822,946.49"))
    }

    @Test("an unknown measure is added to a new catalog version only with --add-measures")
    func addMeasures() throws {
        try awardedContract()
        let file = directory.child("local.csv")
        try """
            Theme,Reference,Question,Units,Proxy Value,Answer,Pledged Social Value,CWB Priority
            Jobs,NT1,Local staff,no. people FTE,30782,2,"£ 61,564.00",Advancing Fairer Employment
            Growth,LCL7,Spend with Lancashire social enterprises,£,0.5,10000,"£ 5,000.00",Progressive Procurement
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try svledger(["import", "portal", file, "--contract", "IMP-1", "--catalog", "portal-003"] + Self.officer, expectSuccess: false)
        #expect(refused.stderr.contains("unknown-measure"))
        let imported = try svledger(["import", "portal", file, "--contract", "IMP-1", "--catalog", "portal-003", "--add-measures"] + Self.officer)
        #expect(imported.stdout.contains("recorded CatalogPublished"))
        #expect(imported.stdout.contains("2 lines worth £66,564.00"))
        #expect(try svledger(["catalog", "list"]).stdout.contains("portal-003@003.2+import-"))
    }

    @Test("malformed files are refused with a clear error and the ledger is unchanged", arguments: ["empty", "header", "semicolons", "ragged", "latin1", "huge"])
    func malformed(kind: String) throws {
        try awardedContract()
        let before = try fileBytes()
        let file = directory.child("bad-\(kind).txt")
        let header = "Theme\tReference\tQuestion\tUnits\tProxy Value\tAnswer\tPledged Social Value\n"
        let bytes: [UInt8]
        switch kind {
        case "empty": bytes = []
        case "header": bytes = Array(header.utf8)
        case "semicolons": bytes = Array(header.replacingOccurrences(of: "\t", with: ";").utf8) + Array("Jobs;NT1;q;u;1;2;£ 2.00\n".utf8)
        case "ragged": bytes = Array((header + "Jobs\tNT1\tq\tu\t1\n").utf8)
        case "latin1": bytes = Array(header.utf8) + Array("Jobs\tNT1\tq\t".utf8) + [0xA3] + Array("\t1\t2\t2\n".utf8)
        default: bytes = Array(header.utf8) + [UInt8](repeating: 0x41, count: 10 * 1024 * 1024) + [0x0A]
        }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let result = try svledger(["import", "portal", file, "--contract", "IMP-1", "--catalog", "portal-003"] + Self.officer, expectSuccess: false)
        #expect(result.status == ErrorCategory.input.exitCode)
        #expect(!result.wasSignalled)
        #expect(result.stderr.hasPrefix("error: \(file): "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try fileBytes() == before)
    }

    @Test("the NDJSON export verifies with the Python verifier from the file alone, and a changed character is caught")
    func exportNDJSON() throws {
        try awardedContract()
        let file = directory.child("log.ndjson")
        let exported = try svledger(["export", "ndjson", "--out", file])
        #expect(exported.stdout.contains("exported 6 events"))
        let head = try svledger(["verify"]).stdout
        let python = try CommandRunner.pythonVerifier(["--ndjson", file])
        #expect(python.status == 0, "\(python.stderr)")
        #expect(python.stdout == head)
        var text = try String(contentsOfFile: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "Regen Partners", with: "Regen Partnerz")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let tampered = try CommandRunner.pythonVerifier(["--ndjson", file])
        #expect(tampered.status == 1)
        #expect(tampered.stderr.contains("FAIL position 6"))
    }

    @Test("a hot backup is a verified, usable ledger")
    func backup() throws {
        try awardedContract()
        let copy = directory.child("backup")
        let result = try svledger(["backup", copy])
        #expect(result.stdout.contains("backed up and verified 6 events in 3 streams"))
        let original = try svledger(["verify"]).stdout
        #expect(try CommandRunner.svledger(["verify", "--ledger", copy]).stdout == original)
        #expect(try CommandRunner.pythonVerifier([copy]).stdout == original)
        let again = try svledger(["backup", copy], expectSuccess: false)
        #expect(again.stderr.contains("is not empty"))
    }
}
