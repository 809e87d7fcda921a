import EventStore
import LedgerValues
import Foundation
import Testing
import TestSupport

/// `svledger report cabinet` as a user runs it, on the demo council's portfolio.
@Suite("Cabinet report through the CLI")
struct CabinetReportE2ETests: LedgerCLISuite {
    let directory = TemporaryDirectory("svledger-cabinet-e2e")


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

    @Test("html, md and csv for 2025-26-Q2; the csv's portfolio delivered equals reconcile's")
    func threeFormats() throws {
        try makePortfolio()
        for format in ["html", "md", "csv"] {
            let out = directory.child("cabinet.\(format)")
            let result = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--format", format, "--out", out])
            #expect(result.stdout.contains("wrote \(out)"))
            #expect(FileManager.default.fileExists(atPath: out))
        }
        let html = try String(contentsOfFile: directory.child("cabinet.html"), encoding: .utf8)
        let markdown = try String(contentsOfFile: directory.child("cabinet.md"), encoding: .utf8)
        let csv = try String(contentsOfFile: directory.child("cabinet.csv"), encoding: .utf8)

        let reconcile = try JSONValue(parsing: try svledger(["reconcile", "--period", "2025-26-Q2", "--format", "json"]).stdout)
        let delivered = try #require(reconcile["portfolio"]?["delivered"]?.stringValue)
        #expect(csvValue(csv, "portfolio,portfolio,delivered_gbp") == delivered)
        #expect(csvValue(csv, "headline,to_date,delivered_gbp") == delivered)
        #expect(csvValue(csv, "portfolio,portfolio,expected_gbp") == reconcile["portfolio"]?["expected"]?.stringValue)
        #expect(csvValue(csv, "head,ledger,hash") == reconcile["head"]?["hash"]?.stringValue)
        for contract in reconcile["contracts"]?.arrayValue ?? [] {
            let reference = contract["contract"]?.stringValue ?? ""
            #expect(csvValue(csv, "contract,\(reference),delivered_gbp") == contract["amounts"]?["delivered"]?.stringValue)
        }

        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("Social value report 2025-26-Q2"))
        #expect(!html.lowercased().contains("http") && !html.contains("//") && !html.lowercased().contains("<script"))
        #expect(markdown.hasPrefix("# Social value report 2025-26-Q2"))
        #expect(csv.hasPrefix("section,key,metric,value\n"))
        // The demo portfolio's exceptions: the exemption, the board override and the late returns.
        #expect(csvValue(csv, "exemption_granted,LCC-2025-030,business_case") == "BC-2025-007")
        #expect(csvValue(csv, "board_override,LCC-2025-041,weighting_percent") == "7.5")
        #expect(csvValue(csv, "late_return,LCC-2023-090,quarters") == "2025-26-Q1")
    }

    @Test("with no --out the report goes to stdout; --as-of reads the past; a bad period is refused")
    func stdoutAsOfAndErrors() throws {
        try makePortfolio()
        let markdown = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--format", "md"]).stdout
        #expect(markdown.hasPrefix("# Social value report 2025-26-Q2"))

        let past = try svledger(["report", "cabinet", "--period", "2025-26-Q2", "--format", "csv", "--at", "3"]).stdout
        #expect(csvValue(past, "head,ledger,position") == "3")
        #expect(csvValue(past, "portfolio,portfolio,delivered_gbp") == "0.00")

        let bad = try CommandRunner.svledger(["report", "cabinet", "--period", "2025-Q2", "--ledger", ledger])
        #expect(bad.status != 0)
        #expect(bad.stderr.hasPrefix("error: "))
        #expect(bad.stderr.contains("--period"))

        let unwritable = try CommandRunner.svledger(["report", "cabinet", "--period", "2025-26-Q2", "--out", directory.child("missing/dir/r.html"), "--ledger", ledger])
        #expect(unwritable.status != 0)
        #expect(unwritable.stderr.hasPrefix("error: cannot write"))
    }
}
