import Foundation
import Testing
import TestSupport

/// End to end on the demo data (tools/demo-data): the Cabinet report's pledged and delivered
/// figures per contract are, to the penny, what the OCDS export says, read back by
/// tools/ocds_totals.py (the targets of the agreed metrics in force by the reporting date; the
/// implementation observations of the quarters up to the period).
@Suite struct OCDSExportTotalsTests {
    static func demoLedger() throws -> OCDSLedger {
        let ledger = OCDSLedger()
        try ledger.run(["init"])
        try ledger.run(["policy", "adopt", "--builtin", "lancashire-2024-28"] + OCDSLedger.head)
        try ledger.run(["catalog", "publish", "--builtin", "portal-003"] + OCDSLedger.head)
        try ledger.run(["apply", "\(CommandRunner.repositoryRoot)/tools/demo-data/portfolio.ndjson"])
        return ledger
    }

    /// contract → (current £, delivered £) from the Cabinet report's CSV rows `contract,<ref>,<metric>,<value>`.
    static func cabinetFigures(_ csv: String) -> [String: [String: String]] {
        var figures: [String: [String: String]] = [:]
        for line in csv.split(separator: "\n") {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard cells.count == 4, cells[0] == "contract", ["current_gbp", "delivered_gbp"].contains(cells[2]) else { continue }
            figures[cells[1], default: [:]][cells[2] == "current_gbp" ? "pledged" : "delivered"] = cells[3]
        }
        return figures
    }

    @Test(arguments: ["2025-26-Q1", "2025-26-Q2"])
    func cabinetTotalsEqualTheExportsTotals(period: String) throws {
        let ledger = try Self.demoLedger()
        let asOf = Self.today
        let records = ledger.directory.child("records.json")
        _ = try ledger.export(["--format", "records", "--as-of", asOf, "--out", records])
        let totals = try CommandRunner.run(
            "/usr/bin/env", ["python3", "\(CommandRunner.repositoryRoot)/tools/ocds_totals.py", records, "--period", period])
        try #require(totals.status == 0, "\(totals.stderr)")
        let exported = try #require(try JSONSerialization.jsonObject(with: Data(totals.stdout.utf8)) as? [String: [String: String]])

        var compared = 0
        for council in ["lancashire", "leicestershire"] {
            let csv = try ledger.run(["report", "cabinet", "--period", period, "--council", council, "--format", "csv", "--as-of", asOf])
            for (contract, figures) in Self.cabinetFigures(csv) {
                #expect(exported[contract]?["pledged"] == figures["pledged"], "\(contract) pledged, \(period)")
                #expect(exported[contract]?["delivered"] == figures["delivered"], "\(contract) delivered, \(period)")
                compared += 1
            }
        }
        // Every contract with a commitment in force is compared, and something was delivered.
        #expect(compared >= 6)
        #expect(exported.values.contains { ($0["delivered"] ?? "0.00") != "0.00" })
    }

    /// The KPI rating an observation carries is the reconciliation's rating of that line for
    /// that quarter (on the demo data no later event changes a Q2 figure or commitment).
    @Test func quarterRatingsAreTheReconciliations() throws {
        let ledger = try Self.demoLedger()
        let codes = ["good": "met", "approaching target": "slightlyBelow", "requires improvement": "below",
                     "inadequate": "significantlyBelow", "not yet due": "other"]
        let period = "2025-26-Q2"
        let records = try OCDSJSON.object(ledger.export(["--format", "records"]))["records"] as? [[String: Any]] ?? []
        var exported: [String: String] = [:]   // "contract measure" → classification id
        for record in records {
            let contract = OCDSJSON.value(record, "compiledRelease", "contracts", 0)
            for metric in OCDSJSON.value(contract, "implementation", "metrics") as? [[String: Any]] ?? [] {
                guard let observation = OCDSJSON.item(metric["observations"], id: period),
                    let code = OCDSJSON.value(observation, "measureClassification", "id") as? String
                else { continue }
                exported["\(OCDSJSON.value(contract, "id") as? String ?? "") \(metric["id"] as? String ?? "")"] = code
            }
        }
        let reconciliation = try OCDSJSON.object(ledger.run(["reconcile", "--period", period, "--format", "json"]))
        var compared = 0
        for contract in reconciliation["contracts"] as? [[String: Any]] ?? [] {
            for line in contract["lines"] as? [[String: Any]] ?? [] {
                let key = "\(contract["contract"] as? String ?? "") \(line["measure"] as? String ?? "")"
                guard let code = exported[key] else { continue }
                #expect(codes[line["rating"] as? String ?? ""] == code, "\(key)")
                compared += 1
            }
        }
        #expect(compared >= 5)
    }

    /// Today in UTC, as the ledger's recorded times count days.
    static var today: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date())
    }
}
