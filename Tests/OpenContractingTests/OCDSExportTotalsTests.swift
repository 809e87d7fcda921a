import Foundation
import Testing
import TestSupport

/// End to end on the demo data (tools/demo-data): the Cabinet report's pledged and delivered
/// figures per contract are, to the penny, what the OCDS export says, read back by
/// tools/ocds_totals.py (the targets of the social value metrics in force by the reporting date; the
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

    /// A measure counted in pounds (local spend) publishes its pounds as `value`, the way the
    /// metrics extension asks of a financial metric, and its social value apart; a measure of
    /// people publishes a `measure` and no money.
    @Test func moneyOnlyWhereTheMeasureIsMoney() throws {
        let ledger = try Self.demoLedger()
        let releases = try ledger.export(["--contract", "LCC-2024-018", "--format", "ndjson"]).split(separator: "\n")
        let pledge = try #require(try releases.map { try OCDSJSON.object(String($0)) }.first { ($0["tag"] as? [String]) == ["contract"] })
        let metrics = OCDSJSON.value(pledge, "contracts", 0, "implementation", "metrics")
        let spend = OCDSJSON.value(OCDSJSON.item(metrics, id: "NT18"), "observations", 0) as? [String: Any]
        #expect(OCDSJSON.value(spend, "value", "amount") as? Int == 1_200_000)
        #expect(spend?["measure"] == nil && spend?["unit"] == nil)
        let spendWorth = OCDSJSON.value(OCDSJSON.item(metrics, id: "socialValue/NT18"), "observations", 0, "value", "amount")
        #expect("\(spendWorth ?? "")" == "1156574.4")
        let jobs = OCDSJSON.value(OCDSJSON.item(metrics, id: "NT1"), "observations", 0) as? [String: Any]
        #expect(jobs?["measure"] as? Int == 6 && jobs?["value"] == nil)
    }

    /// Each release names its council as buyer. A ledger of two councils publishes as the
    /// ledger, not as the two names joined; `--council` gives one council's package, published
    /// by it (the export used to join both names into one publisher).
    @Test func eachCouncilPublishesItsOwnContracts() throws {
        let ledger = try Self.demoLedger()
        let whole = try OCDSJSON.object(ledger.export())
        #expect(OCDSJSON.value(whole, "publisher", "name") as? String == "svledger ledger")
        let releases = whole["releases"] as? [[String: Any]] ?? []
        let buyers = Set(releases.compactMap { OCDSJSON.value($0, "buyer", "name") as? String })
        #expect(buyers == ["Lancashire County Council", "Leicestershire County Council"])
        let lancashire = try OCDSJSON.object(ledger.export(["--council", "lancashire"]))
        #expect(OCDSJSON.value(lancashire, "publisher", "name") as? String == "Lancashire County Council")
        let ocids = Set((lancashire["releases"] as? [[String: Any]] ?? []).compactMap { $0["ocid"] as? String })
        #expect(!ocids.isEmpty && ocids.allSatisfy { $0.hasPrefix("ocds-svledger-LCC-") }, "\(ocids)")
        let byName = try ledger.export(["--council", "leicestershire county council", "--format", "records"])
        #expect(byName.contains("LEI-") && !byName.contains("\"ocid\":\"ocds-svledger-LCC-"))
        let unknown = try ledger.attempt(["export", "ocds", "--council", "yorkshire"])
        #expect(unknown.status == 66 && unknown.stderr.contains("no council \"yorkshire\" in this ledger"), "\(unknown.stderr)")
    }

    /// No observation is rated: in the UK profile `measureClassification` is a Procurement Act
    /// KPI's assessment, and a TOMs measure's quarterly delivery is not one (the export used to
    /// rate every pledged measure every quarter).
    @Test func noObservationCarriesAKPIRating() throws {
        let ledger = try Self.demoLedger()
        let text = try ledger.export(["--format", "records"])
        let records = try OCDSJSON.object(text)["records"] as? [[String: Any]] ?? []
        var observations = 0
        for record in records {
            for release in (record["releases"] as? [[String: Any]] ?? []) + [record["compiledRelease"] as? [String: Any] ?? [:]] {
                for contract in release["contracts"] as? [[String: Any]] ?? [] {
                    for metric in OCDSJSON.value(contract, "implementation", "metrics") as? [[String: Any]] ?? [] {
                        observations += (metric["observations"] as? [Any])?.count ?? 0
                    }
                }
            }
        }
        #expect(observations > 20, "the demo's returns are exported")
        #expect(!text.contains("measureClassification"))
    }

    /// Today in UTC, as the ledger's recorded times count days.
    static var today: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date())
    }
}
