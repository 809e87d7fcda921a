import Crypto
import EventStore
import LedgerValues
import Foundation
import Testing
import TestSupport

/// `svledger report cabinet` and `svledger council` as a user runs them, on the demo portfolio
/// (two councils: Lancashire and Leicestershire).
@Suite("Cabinet report through the CLI")
struct CabinetReportE2ETests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-cabinet-e2e")

    static let narrative = "\(CommandRunner.repositoryRoot)/tools/demo-data/cabinet-narrative.md"

    /// The ledger of tools/demo-data/portfolio.ndjson, with the policy and catalog it assumes.
    func makePortfolio() throws {
        let head = ["--actor", "r.shah", "--role", "Head of Procurement"]
        try svledger(["init"])
        try svledger(["policy", "adopt", "--builtin", "lancashire-2024-28"] + head)
        try svledger(["catalog", "publish", "--builtin", "portal-003"] + head)
        try svledger(["apply", "\(CommandRunner.repositoryRoot)/tools/demo-data/portfolio.ndjson"])
    }

    /// The value of one `section,key,metric,value` row whose fields need no quoting.
    func csvValue(_ csv: String, _ prefix: String) -> String? {
        csv.split(separator: "\n").first { $0.hasPrefix(prefix + ",") }.map { String($0.dropFirst(prefix.count + 1)) }
    }

    func dataFile() throws -> Data { try Data(contentsOf: URL(fileURLWithPath: ledger + "/data.mdb")) }

    @Test("Lancashire's report in html, md and csv: its contracts only, each and their sum equal to reconcile's; the digest is the ledger's")
    func threeFormats() throws {
        try makePortfolio()
        let lancashire = ["--council", "lancashire", "--meeting", "2025-11-13", "--narrative", Self.narrative]
        for format in ["html", "md", "csv"] {
            let out = directory.child("cabinet.\(format)")
            let result = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--format", format, "--out", out] + lancashire)
            #expect(result.stdout.contains("wrote \(out) (\(format), Lancashire County Council,"))
            #expect(FileManager.default.fileExists(atPath: out))
        }
        let html = try String(contentsOfFile: directory.child("cabinet.html"), encoding: .utf8)
        let markdown = try String(contentsOfFile: directory.child("cabinet.md"), encoding: .utf8)
        let csv = try String(contentsOfFile: directory.child("cabinet.csv"), encoding: .utf8)

        let reconcile = try JSONValue(parsing: try svledger(["reconcile", "--period", "2025-26-Q2", "--format", "json"]).stdout)
        var delivered = 0 as Int64, expected = 0 as Int64, references: [String] = []
        for contract in reconcile["contracts"]?.arrayValue ?? [] {
            let reference = contract["contract"]?.stringValue ?? ""
            let value = contract["amounts"]?["delivered"]?.stringValue
            guard reference.hasPrefix("LCC-") else {
                #expect(csvValue(csv, "contract,\(reference),delivered_gbp") == nil, "\(reference) is Leicestershire's")
                continue
            }
            references.append(reference)
            #expect(csvValue(csv, "contract,\(reference),delivered_gbp") == value)
            #expect(csvValue(csv, "contract,\(reference),expected_gbp") == contract["amounts"]?["expected"]?.stringValue)
            delivered += Self.pence(value)
            expected += Self.pence(contract["amounts"]?["expected"]?.stringValue)
        }
        #expect(references.count == 4, "LCC-2023-090, LCC-2024-018, LCC-2025-033 and LCC-2025-041 (tools/demo adds two more)")
        #expect(csvValue(csv, "portfolio,portfolio,delivered_gbp") == Self.pounds(delivered))
        #expect(csvValue(csv, "headline,to_date,delivered_gbp") == Self.pounds(delivered))
        #expect(csvValue(csv, "headline,to_date,expected_gbp") == Self.pounds(expected))
        #expect(csvValue(csv, "head,ledger,hash") == reconcile["head"]?["hash"]?.stringValue)
        #expect(csvValue(csv, "head,ledger,figures_digest") == reconcile["figures"]?["digest"]?.stringValue)
        #expect(csvValue(csv, "report,council,name") == "Lancashire County Council")
        #expect(csvValue(csv, "report,front,meeting_date") == "2025-11-13")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.narrative))
        #expect(csvValue(csv, "narrative,file,sha256") == "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        // The trend reconciles each earlier quarter with the commitments in force at its end: a year
        // before, only the street lighting contract (pledged in May 2024) had one.
        #expect(csvValue(csv, "trend,2024-25-Q2,contracts") == "1")
        #expect(csvValue(csv, "trend,2025-26-Q1,contracts") == "4")

        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>Social value report 2025-26-Q2: Lancashire County Council</title>"))
        #expect(html.contains("Meeting to be held on Thursday, 13 November 2025"))
        #expect(html.contains("Report of the Director of Finance"))
        #expect(!html.contains("LEI-2025"))
        #expect(html.contains("counter(page)"), "page numbers in the printed margin")
        #expect(!html.lowercased().contains("http") && !html.contains("//") && !html.lowercased().contains("<script"))
        #expect(markdown.hasPrefix("# Social value report 2025-26-Q2: Lancashire County Council"))
        #expect(csv.hasPrefix("section,key,metric,value\n"))
        // The demo portfolio's exceptions: the exemption, the board override and the late returns.
        #expect(csvValue(csv, "exemption_granted,LCC-2025-030,business_case") == "BC-2025-007")
        #expect(csvValue(csv, "board_override,LCC-2025-041,weighting_percent") == "7.5")
        #expect(csvValue(csv, "late_return,LCC-2023-090,quarters") == "2025-26-Q1")
        #expect(csvValue(csv, "remedial,LCC-2025-041,rating") == "inadequate")

        let leicestershire = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--council", "leicestershire", "--format", "csv"]).stdout
        #expect(csvValue(leicestershire, "report,front,report_of") == "Director of Corporate Resources")
        #expect(csvValue(leicestershire, "contract,LCC-2025-014,delivered_gbp") == nil)
        #expect(csvValue(leicestershire, "theme,Improved Opportunities,rating") != nil, "Leicestershire's own themes")
        // Every Leicestershire commitment began in 2025-26: the year to date is the whole to date, shown once.
        #expect(csvValue(leicestershire, "headline,to_date,shown_as_year_to_date") == "yes")
        #expect(csvValue(csv, "headline,to_date,shown_as_year_to_date") == "no", "Lancashire's street lighting contract began in 2024")
    }

    @Test("--format pdf prints the HTML report to an A4 PDF with headless Chromium, and says how to get Chromium when it is missing",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "Debian's chromium (tools/setup installs it)"))
    func pdf() throws {
        try makePortfolio()
        let out = directory.child("cabinet.pdf")
        let lancashire = ["report", "cabinet", "--period", "2025-26-Q2", "--council", "lancashire", "--format", "pdf"]
        let result = try svledger(lancashire + ["--out", out])
        #expect(result.stdout.contains("wrote \(out) (pdf, Lancashire County Council,"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(bytes.starts(with: Array("%PDF-".utf8)) && bytes.count > 50_000, "\(bytes.count) bytes")
        // Without Chromium on the PATH: a usage error that says how to get it, and no file.
        let missing = directory.child("none.pdf")
        let refused = try svledger(lancashire + ["--out", missing], environment: ["PATH": "/nonexistent"], expectSuccess: false)
        #expect(refused.status == 64 && refused.stderr.contains("apt-get install chromium") && refused.stderr.contains("(pdf-needs-chromium)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing))
        let noOut = try svledger(lancashire, expectSuccess: false)
        #expect(noOut.status == 64 && noOut.stderr.contains("give --out"), "\(noOut.stderr)")
    }

    @Test("the front sheet says Part I, and its corporate priorities are the adopted policies', never the draft's kept for one contract")
    func frontSheet() throws {
        try makePortfolio()
        let markdown = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--council", "lancashire", "--format", "md"]).stdout
        let front = try #require(markdown.components(separatedBy: "## Brief summary").first)
        #expect(front.contains("\nPart I\n"), "\(front)")
        #expect(!front.contains("Draft objectives"), "\(front)")
        #expect(front.contains("Lancashire priorities: Delivering better services"), "\(front)")
        // The draft is still the policy its contract was let under.
        #expect(try svledger(["show", "LCC-2025-033"]).stdout.contains("lancashire-draft"))
    }

    @Test("one directorate: Highways' contracts only")
    func directorate() throws {
        try makePortfolio()
        let csv = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--council", "lancashire", "--directorate", "highways", "--format", "csv"]).stdout
        let contracts = csv.split(separator: "\n").filter { $0.hasPrefix("contract,") && $0.contains(",stage,") }.map { String($0.split(separator: ",")[1]) }
        #expect(Set(contracts) == ["LCC-2024-018", "LCC-2025-041"])
        #expect(csvValue(csv, "report,council,directorate") == "Highways")
    }

    @Test("with no --out the report goes to stdout; --as-of reads the past; refusals name their kind and exit code")
    func stdoutAsOfAndErrors() throws {
        try makePortfolio()
        let markdown = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--format", "md", "--council", "Lancashire County Council"]).stdout
        #expect(markdown.hasPrefix("# Social value report 2025-26-Q2: Lancashire County Council"))

        // At position 3 only Lancashire's policies are adopted, and no council is described: the one council they name.
        let past = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--format", "csv", "--at", "3"]).stdout
        #expect(csvValue(past, "head,ledger,position") == "3")
        #expect(csvValue(past, "portfolio,portfolio,delivered_gbp") == "0.00")
        #expect(csvValue(past, "report,council,described") == "no")

        let before = try dataFile()
        func failure(_ arguments: [String], kind: String, status: Int32, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let result = try CommandRunner.svledger(arguments + ["--ledger", ledger])
            #expect(result.status == status, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
            #expect(result.stderr.hasPrefix("error: ") && result.stderr.hasSuffix("(\(kind))\n"), "\(result.stderr)", sourceLocation: sourceLocation)
            #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
        }
        let report = ["report", "cabinet", "--period", "2025-26-Q2"]
        try failure(report, kind: "council-required", status: 64)
        try failure(report + ["--council", "york"], kind: "unknown-council", status: 66)
        try failure(report + ["--council", "lancashire", "--directorate", "Culture"], kind: "unknown-directorate", status: 66)
        let bad = directory.child("bad-narrative.md")
        try "## Recomendation\nTypo in the heading.\n".write(toFile: bad, atomically: true, encoding: .utf8)
        try failure(report + ["--council", "lancashire", "--narrative", bad], kind: "invalid-narrative", status: 65)
        let stray = directory.child("stray-narrative.md")
        try "## Contract LEI-2025-007\nNot Lancashire's.\n".write(toFile: stray, atomically: true, encoding: .utf8)
        try failure(report + ["--council", "lancashire", "--narrative", stray], kind: "invalid-narrative", status: 65)
        try failure(report + ["--council", "lancashire", "--narrative", directory.child("missing.md")], kind: "file-unreadable", status: 66)
        try failure(report + ["--council", "lancashire", "--meeting", "13/11/2025"], kind: "invalid-date", status: 65)

        let period = try CommandRunner.svledger(["report", "cabinet", "--period", "2025-Q2", "--council", "lancashire", "--ledger", ledger])
        #expect(period.status != 0)
        #expect(period.stderr.hasPrefix("error: "))
        #expect(period.stderr.contains("--period"))

        let unwritable = try CommandRunner.svledger(report + ["--council", "lancashire", "--out", directory.child("missing/dir/r.html"), "--ledger", ledger])
        #expect(unwritable.status != 0)
        #expect(unwritable.stderr.hasPrefix("error: cannot write"))
        #expect(try dataFile() == before, "reports write nothing to the ledger")
    }

    @Test("council describe: recorded, listed, shown; a second council of the same name or a bad address is refused and changes nothing")
    func councilDescribe() throws {
        try svledger(["init"])
        let who = ["--actor", "r.shah", "--role", "Head of Procurement"]
        let describe = ["council", "describe", "--id", "lancashire", "--name", "Lancashire County Council", "--author", "Director of Finance",
                        "--contact", "R. Shah", "--contact-role", "Head of Procurement", "--email", "social.value@lancashire.example",
                        "--directorate", "Highways", "--theme", "Employment and skills=Jobs: Promote Local Skills and Employment",
                        "--theme", "Economic prosperity"] + who
        let recorded = try svledger(describe).stdout
        #expect(recorded.contains("recorded CouncilDescribed at position 1 (council/lancashire, version 1)"))
        let shown = try JSONValue(parsing: try svledger(["council", "show", "lancashire", "--format", "json"]).stdout)
        #expect(shown["name"]?.stringValue == "Lancashire County Council")
        #expect(shown["contact"]?["phone"] == .null)
        #expect(shown["themes"]?.arrayValue?.count == 2)
        #expect(try svledger(["council", "list"]).stdout.contains("lancashire: Lancashire County Council; Director of Finance"))

        let before = try dataFile()
        let taken = try CommandRunner.svledger(
            ["council", "describe", "--id", "lancs", "--name", "LANCASHIRE County Council", "--author", "x", "--contact", "y", "--email", "a@b.example",
             "--ledger", ledger] + who)
        #expect(taken.status == 1)
        #expect(taken.stderr.hasSuffix("(rule: council-name-taken)\n"), "\(taken.stderr)")
        let email = try CommandRunner.svledger(
            ["council", "describe", "--id", "york", "--name", "York", "--author", "x", "--contact", "y", "--email", "not an address", "--ledger", ledger] + who)
        #expect(email.status == 65)
        #expect(email.stderr.contains("contact.email"))
        let id = try CommandRunner.svledger(
            ["council", "describe", "--id", "../york", "--name", "York", "--author", "x", "--contact", "y", "--email", "a@b.example", "--ledger", ledger] + who)
        #expect(id.status == 1)
        #expect(id.stderr.contains("(rule: invalid-identifier)"))
        let unknown = try CommandRunner.svledger(["council", "show", "york", "--ledger", ledger])
        #expect(unknown.status == 66 && unknown.stderr.hasSuffix("(unknown-council)\n"))
        #expect(try dataFile() == before, "a refused description leaves data.mdb byte for byte as it was")
        // The stream is a reference stream: svledger append may not write it.
        let append = try CommandRunner.svledger(["append", "--stream", "council/x", "--type", "Note", "--actor", "a", "--role", "r", "--ledger", ledger])
        #expect(append.status != 0)
        #expect(try dataFile() == before)
    }

    static func pence(_ text: String?) -> Int64 {
        guard let text else { return 0 }
        let negative = text.hasPrefix("-")
        let parts = (negative ? String(text.dropFirst()) : text).split(separator: ".")
        let value = Int64(parts[0])! * 100 + Int64(parts[1])!
        return negative ? -value : value
    }

    static func pounds(_ pence: Int64) -> String {
        let magnitude = pence.magnitude
        return (pence < 0 ? "-" : "") + "\(magnitude / 100)." + (magnitude % 100 < 10 ? "0" : "") + "\(magnitude % 100)"
    }
}
