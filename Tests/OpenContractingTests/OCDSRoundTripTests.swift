import Foundation
import Testing
import TestSupport

/// Export → import into a fresh ledger → export again: the same contracts, values, metrics and
/// observations. Only what names the ledger itself may differ: event ids (release ids, and the
/// event a correction cites) and the head the package was read at.
@Suite("OCDS round trip: export, import into a fresh ledger, export again")
struct OCDSRoundTripTests {
    static let officer = #"{"id": "a.patel", "role": "Procurement Officer"}"#

    /// Four contracts: A through threshold, weighting and award (then corrected), with returns, a correction, a
    /// refresh and closure; B below threshold; C a running contract registered with its
    /// supplier; D weighted by a board override and closed early.
    static let portfolio = [
        #"{"command": "contract.register", "contract": "RT-A", "effectiveDate": "2025-02-03", "title": "Highway resurfacing", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "4250000.50", "startDate": "2025-04-01", "endDate": "2026-09-30", "areasServed": ["Preston", "Chorley"], "policyId": "lancashire-2024-28"}"#,
        #"{"command": "threshold.assess", "contract": "RT-A", "effectiveDate": "2025-02-03"}"#,
        #"{"command": "weighting.decide", "contract": "RT-A", "effectiveDate": "2025-02-10", "percent": "12.5", "basis": "policy-minimum"}"#,
        #"{"command": "contract.award", "contract": "RT-A", "effectiveDate": "2025-03-14", "supplier": "North Roads Ltd", "valueGBP": "4180000.25"}"#,
        #"{"command": "pledge.record", "contract": "RT-A", "effectiveDate": "2025-03-14", "catalog": "portal-003@003.2", "lines": [{"measure": "NT1", "quantity": "24"}, {"measure": "NT10", "quantity": "70.5"}, {"measure": "NT29", "quantity": "300"}]}"#,
        #"{"command": "award.correct", "contract": "RT-A", "effectiveDate": "2025-05-02", "valueGBP": "4108000.25", "awardDate": "2025-03-12", "reason": "The award notice was corrected"}"#,
        #"{"command": "delivery.report", "contract": "RT-A", "effectiveDate": "2025-07-12", "quarter": "2025-26-Q1", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "6", "evidence": "HR-1"}, {"measure": "NT10", "quantity": "17.25", "evidence": "APP-1"}]}"#,
        #"{"command": "delivery.correct", "contract": "RT-A", "effectiveDate": "2025-08-01", "quarter": "2025-26-Q1", "measure": "NT1", "reason": "One starter was on another contract", "lines": [{"measure": "NT1", "quantity": "5", "evidence": "HR-1-rev"}]}"#,
        #"{"command": "delivery.report", "contract": "RT-A", "effectiveDate": "2025-10-10", "quarter": "2025-26-Q2", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "6", "evidence": "HR-2"}, {"measure": "NT28", "quantity": "500", "evidence": "DON-2"}]}"#,
        #"{"command": "review.refresh", "contract": "RT-A", "effectiveDate": "2026-03-20", "reason": "Annual review", "revise": [{"measure": "NT10", "quantity": "104"}], "add": [{"measure": "NT18", "quantity": "650000"}], "withdraw": ["NT29"]}"#,
        #"{"command": "contract.close", "contract": "RT-A", "effectiveDate": "2026-09-30"}"#,
        #"{"command": "contract.register", "contract": "RT-B", "effectiveDate": "2025-01-20", "title": "Boiler servicing", "buyerDepartment": "Property", "category": "services", "estimatedWholeLifeValueGBP": "48000", "startDate": "2025-04-01", "endDate": "2026-03-31", "areasServed": ["Preston"], "policyId": "lancashire-2024-28"}"#,
        #"{"command": "threshold.assess", "contract": "RT-B", "effectiveDate": "2025-01-20"}"#,
        #"{"command": "contract.award", "contract": "RT-B", "effectiveDate": "2025-02-14", "supplier": "Red Rose Heating Ltd", "valueGBP": "47250.50"}"#,
        #"{"command": "pledge.record", "contract": "RT-B", "effectiveDate": "2025-02-14", "catalog": "portal-003@003.2", "lines": [{"measure": "NT1", "quantity": "0.5"}]}"#,
        #"{"command": "delivery.report", "contract": "RT-B", "effectiveDate": "2025-07-05", "quarter": "2025-26-Q1", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "0.25", "evidence": "RR-1"}]}"#,
        #"{"command": "contract.register", "contract": "RT-C", "effectiveDate": "2025-04-07", "title": "Street lighting (running)", "buyerDepartment": "Highways", "category": "services", "estimatedWholeLifeValueGBP": "2400000", "startDate": "2024-04-01", "endDate": "2027-03-31", "areasServed": ["West Lancashire"], "policyId": "lancashire-2024-28", "existingSupplier": "Brightway Lighting Ltd"}"#,
        #"{"command": "pledge.record", "contract": "RT-C", "effectiveDate": "2025-04-07", "catalog": "portal-003@003.2", "lines": [{"measure": "NT1", "quantity": "6"}, {"measure": "NT18", "quantity": "1200000"}]}"#,
        #"{"command": "delivery.report", "contract": "RT-C", "effectiveDate": "2025-07-14", "quarter": "2025-26-Q1", "attributionConfirmed": true, "lines": [{"measure": "NT1", "quantity": "0.3", "evidence": "BL-1"}, {"measure": "NT18", "quantity": "98000.75", "evidence": "BL-2"}]}"#,
        #"{"command": "contract.register", "contract": "RT-D", "effectiveDate": "2025-02-24", "title": "Bridge inspection", "buyerDepartment": "Highways", "category": "works", "estimatedWholeLifeValueGBP": "600000", "startDate": "2025-05-01", "endDate": "2027-04-30", "areasServed": ["Wyre"], "policyId": "lancashire-2024-28"}"#,
        #"{"command": "threshold.assess", "contract": "RT-D", "effectiveDate": "2025-02-24"}"#,
        #"{"command": "weighting.decide", "contract": "RT-D", "effectiveDate": "2025-03-03", "percent": "7.5", "basis": "board-override", "overrideReason": "Specialist market of three bidders", "reason": "Board override"}"#,
        #"{"command": "contract.award", "contract": "RT-D", "effectiveDate": "2025-04-14", "supplier": "Span Engineering LLP", "valueGBP": "588000"}"#,
        #"{"command": "pledge.record", "contract": "RT-D", "effectiveDate": "2025-04-14", "catalog": "portal-003@003.2", "lines": [{"measure": "NT10", "quantity": "52"}]}"#,
        #"{"command": "contract.close", "contract": "RT-D", "effectiveDate": "2025-12-31", "reason": "Ended early by agreement"}"#,
    ]

    /// The releases of an export, grouped by ocid in order, with the ledger's own ids and the
    /// times it recorded them (each release's `date`) masked: the days events took effect stay.
    static func content(_ export: String) throws -> [String: [String]] {
        let package = try #require(try JSONSerialization.jsonObject(with: Data(export.utf8)) as? [String: Any])
        let releases = try #require(package["releases"] as? [[String: Any]])
        let uuid = try Regex(#"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"#)
        var byOcid: [String: [String]] = [:]
        for var release in releases {
            #expect((release["date"] as? String)?.count == 24, "a recorded time, to the millisecond")
            release["date"] = "<recorded>"
            let bytes = try JSONSerialization.data(withJSONObject: release, options: [.sortedKeys])
            byOcid[release["ocid"] as! String, default: []].append(String(decoding: bytes, as: UTF8.self).replacing(uuid, with: "<event>"))
        }
        return byOcid
    }

    @Test("four contracts come back the same: registration, weighting, award and its correction, pledge, returns, correction, refresh, closure")
    func roundTrip() throws {
        let original = try OCDSImportLedger().prepared()
        let apply = try original.write(
            Self.portfolio.map { $0.replacingOccurrences(of: #"{"command": "#, with: #"{"actor": \#(Self.officer), "command": "#) }.joined(separator: "\n"),
            "portfolio.ndjson")
        try original.svledger(["apply", apply])
        let first = try original.svledger(["export", "ocds"]).stdout
        let exported = try original.write(first, "export.json")

        let copy = try OCDSImportLedger().prepared()
        // What svledger's own export adds to say when each event took effect, the department
        // and the social value £ are read or recomputed, never reported as unmapped.
        let dry = try copy.svledger(["import", "ocds", exported, "--dry-run", "--format", "json", "--confirm-attribution"])
        let findings = (try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])?["findings"] as? [[String: Any]] ?? []
        let unmapped = findings.filter { $0["kind"] as? String == "not-mapped" }.compactMap { $0["path"] as? String }
        #expect(!findings.isEmpty && unmapped.isEmpty, "\(unmapped)")
        let imported = try copy.importing(exported)
        #expect(imported.stdout.contains("recorded \(Self.portfolio.count) event(s) for 4 contract(s)"), "\(imported.stdout)")
        let second = try copy.svledger(["export", "ocds"]).stdout

        let before = try Self.content(first), after = try Self.content(second)
        #expect(before.keys.sorted() == ["ocds-svledger-RT-A", "ocds-svledger-RT-B", "ocds-svledger-RT-C", "ocds-svledger-RT-D"])
        #expect(after.keys.sorted() == before.keys.sorted())
        for ocid in before.keys.sorted() {
            let was = before[ocid] ?? [], now = after[ocid] ?? []
            #expect(now.count == was.count, "\(ocid): \(now.count) releases, not \(was.count)")
            for (a, b) in zip(was, now) { #expect(b == a, "\(ocid)") }
        }
        // And importing the export again into the copy records nothing.
        let data = try copy.dataFile()
        #expect(try copy.importing(exported).stdout.contains("already recorded: nothing new to write"))
        #expect(try copy.dataFile() == data)
    }
}
