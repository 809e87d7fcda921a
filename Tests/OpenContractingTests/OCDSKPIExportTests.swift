import Foundation
import Testing
import TestSupport

/// Procurement Act KPIs as the UK profile publishes them (docs/kpis.md): agreed metrics in the
/// contract details (UK7), each assessment rated by measureClassification (UK9); and the import
/// says it does not take them.
@Suite struct OCDSKPIExportTests {
    typealias J = OCDSJSON

    @Test func kpisAreAgreedMetricsAndAssessmentsAreClassifiedObservations() throws {
        let ledger = try OCDSLedger.lifecycle()
        let t3 = ["--contract", "T-3"]
        try ledger.run(["contract", "register"] + t3 + [
            "--title", "Bus station", "--department", "Growth", "--category", "works", "--value", "£12,000,000",
            "--start", "2025-04-01", "--end", "2028-03-31", "--policy", "lancashire-2024-28", "--effective-date", "2025-02-03"] + OCDSLedger.officer)
        try ledger.run(["threshold", "assess"] + t3 + ["--effective-date", "2025-02-03"] + OCDSLedger.officer)
        try ledger.run(["weighting", "decide"] + t3 + ["--percent", "10", "--basis", "policy-minimum", "--effective-date", "2025-02-10"] + OCDSLedger.officer)
        try ledger.run(["kpi", "agree"] + t3 + ["--kpi", "K1|Local jobs|People employed|20 FTE|JOB", "--kpi", "K2|On time|Milestones met|95%",
                                                 "--effective-date", "2025-02-20"] + OCDSLedger.officer)
        try ledger.run(["contract", "award"] + t3 + ["--supplier", "Ribble Build Ltd", "--value", "£11,800,000", "--effective-date", "2025-03-14"] + OCDSLedger.head)
        for (kpi, rating) in [("K1", "approaching-target"), ("K2", "inadequate")] {
            try ledger.run(["kpi", "assess"] + t3 + ["--kpi", kpi, "--from", "2025-04-01", "--to", "2026-03-31", "--rating", rating,
                                                     "--reason", "The year's figures", "--effective-date", "2026-04-15"] + OCDSLedger.head)
        }
        let releases = try ledger.releases(["--contract", "T-3"])
        let tags = releases.map { ($0["tag"] as? [String])?.first ?? "" }
        // Agreed before award, the KPIs are the tender's targets; the award's contract agrees them (UK7).
        #expect(tags.suffix(4) == ["tender", "award", "implementation", "implementation"], "\(tags)")
        let targets = try #require(releases.first { ($0["tag"] as? [String]) == ["tender"] && J.value($0, "tender", "targets") != nil })
        #expect((J.value(targets, "tender", "targets") as? [[String: Any]])?.count == 2)
        let agreed = try #require(releases.first { ($0["tag"] as? [String]) == ["award"] })
        let metrics = J.value(agreed, "contracts", 0, "agreedMetrics")
        #expect((metrics as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["kpi-K1", "kpi-K2"])
        #expect(J.value(J.item(metrics, id: "kpi-K1"), "observations", 0, "measure") as? String == "20 FTE")
        let ratings = releases.suffix(2).map { release in
            J.value(J.value(release, "contracts", 0, "implementation", "metrics", 0, "observations", 0), "measureClassification", "id") as? String
        }
        #expect(ratings == ["slightlyBelow", "significantlyBelow"], "the UK profile's ids for Approaching target and Inadequate")
        // The UK profile's schema takes it, with no field it does not declare.
        if OCDSImportFixtureValidityTests.available {
            let file = try ledger.file("kpis.json", try ledger.export(["--contract", "T-3"]))
            let validated = try CommandRunner.run("/usr/bin/env", ["python3", OCDSImportFixtureValidityTests.ocds + "/validate.py", file])
            #expect(validated.status == 0 && validated.stdout.contains("1 documents checked, 0 errors"), "\(validated.stdout) \(validated.stderr)")
        }
    }
}
