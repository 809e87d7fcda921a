import Foundation
import Testing

/// Each contract event type's release, on a ledger built with the real executable.
@Suite struct OCDSExportMappingTests {
    typealias J = OCDSJSON

    @Test func oneReleasePerEventWithItsIdDateAndTag() throws {
        let ledger = try OCDSLedger.lifecycle()
        let releases = try ledger.releases(["--contract", "T-1"])
        let events = try ledger.eventIds(stream: "contract/T-1")
        #expect(releases.map { $0["id"] as? String } == events.map(\.id))
        #expect(releases.map { ($0["tag"] as? [String]) ?? [] } == [
            ["planning"], ["planning"], ["tender"], ["tender"], ["award"], ["contract"],
            ["implementation"], ["implementationUpdate"], ["implementation"], ["contractAmendment"], ["contractTermination"],
        ])
        // A release's date is when it was made: its event's recording, so they come in date order.
        let recorded = try ledger.run(["log", "--stream", "contract/T-1", "--format", "json"]).split(separator: "\n")
            .map { try OCDSJSON.object(String($0))["recordedAt"] as? String }
        #expect(releases.map { $0["date"] as? String } == recorded)
        #expect(recorded.compactMap { $0 } == recorded.compactMap { $0 }.sorted())
        // The day each event took effect is where its kind keeps it (a milestone met, the
        // award's date, an amendment's date), at the start of the day in the UK: GMT in winter,
        // British Summer Time in summer.
        let effective: [Any?] = [
            J.value(releases[0], "planning", "milestones", 0, "dateMet"), J.value(releases[1], "planning", "milestones", 0, "dateMet"),
            J.value(releases[2], "tender", "milestones", 0, "dateMet"), J.value(releases[3], "tender", "milestones", 0, "dateMet"),
            J.value(releases[4], "awards", 0, "date"), J.value(releases[5], "contracts", 0, "milestones", 0, "dateMet"),
            J.value(releases[6], "contracts", 0, "implementation", "milestones", 0, "dateMet"),
            J.value(releases[7], "contracts", 0, "implementation", "milestones", 0, "dateModified"),
            J.value(releases[8], "contracts", 0, "implementation", "milestones", 0, "dateMet"),
            J.value(releases[9], "contracts", 0, "amendments", 0, "date"), J.value(releases[10], "contracts", 0, "milestones", 0, "dateMet"),
        ]
        #expect(effective.map { $0 as? String } == [
            "2025-02-03T00:00:00Z", "2025-02-03T00:00:00Z", "2025-02-10T00:00:00Z", "2025-02-20T00:00:00Z", "2025-03-14T00:00:00Z",
            "2025-03-14T00:00:00Z", "2025-07-12T00:00:00+01:00", "2025-08-01T00:00:00+01:00", "2025-10-10T00:00:00+01:00",
            "2026-03-20T00:00:00Z", "2026-06-30T23:59:59+01:00",
        ])
        #expect(J.value(releases[6], "contracts", 0, "implementation", "milestones", 0, "id") as? String == "return-2025-26-Q1")
        #expect(J.value(releases[7], "contracts", 0, "implementation", "milestones", 0, "id") as? String == "return-2025-26-Q1")
        #expect(releases.allSatisfy { $0["ocid"] as? String == "ocds-svledger-T-1" && $0["initiationType"] as? String == "tender" })
    }

    @Test func registrationDescribesTheBuyerAndTheTender() throws {
        let release = try OCDSLedger.lifecycle().releases(["--contract", "T-1"])[0]
        // The buyer is the council the contract's policy names; its department runs the procurement.
        #expect(J.value(release, "buyer", "name") as? String == "Lancashire County Council")
        #expect(J.value(release, "parties", 0, "roles") as? [String] == ["buyer"])
        #expect(J.value(release, "parties", 0, "id") as? String == J.value(release, "buyer", "id") as? String)
        #expect(J.value(release, "tender", "procuringEntity", "name") as? String == "Highways & Transport")
        #expect(J.value(release, "parties", 1, "roles") as? [String] == ["procuringEntity"])
        #expect(J.value(release, "parties", 1, "id") as? String == J.value(release, "tender", "procuringEntity", "id") as? String)
        #expect(J.value(release, "tender", "id") as? String == "T-1")
        #expect(J.value(release, "tender", "title") as? String == "Test works")
        #expect(J.value(release, "tender", "mainProcurementCategory") as? String == "works")
        #expect(J.value(release, "tender", "value", "currency") as? String == "GBP")
        #expect(J.value(release, "tender", "contractPeriod", "startDate") as? String == "2025-04-01T00:00:00+01:00")
        #expect((J.value(release, "tender", "deliveryAddresses") as? [[String: String]])?.map { $0["region"] } == ["Preston", "South Ribble"])
    }

    @Test func assessmentSaysOnlyThatSocialValueAppliesAndWhy() throws {
        let ledger = try OCDSLedger.lifecycle()
        let releases = try ledger.releases()
        let assessed = releases[1]
        #expect(J.value(assessed, "tender", "hasSustainability") as? Bool == true)
        // No goal or strategy is claimed before it is decided.
        #expect(J.value(assessed, "tender", "sustainability") == nil)
        let rationale = try #require(J.value(assessed, "planning", "rationale") as? String)
        #expect(rationale.contains("lancashire-2024-28@1") && rationale.contains("above the threshold") && rationale.contains("£100,000.00"))
        let exemption = releases.filter { ($0["ocid"] as? String) == "ocds-svledger-T-2" }.compactMap { J.value($0, "planning", "rationale") as? String }
        #expect(exemption.contains { $0.contains("requested") && $0.contains("BC-7") })
        #expect(exemption.contains { $0.contains("granted by the Head of Procurement") })
    }

    /// Claimed as decided: the award criteria by the weighting, the contract's performance
    /// conditions by the pledge; an exemption withdraws the assessment's claim, and the
    /// exempted contract's record claims nothing (the export used to claim all three goals).
    @Test func sustainabilityIsClaimedAsItIsDecided() throws {
        let ledger = try OCDSLedger.lifecycle()
        let strategies = { (release: [String: Any]) in
            (J.value(release, "tender", "sustainability") as? [[String: Any]])?.flatMap { $0["strategies"] as? [String] ?? [] }
        }
        let t1 = try ledger.releases(["--contract", "T-1"])
        #expect(strategies(t1[2]) == ["awardCriteria"], "the weighting")
        #expect(strategies(t1[5]) == ["awardCriteria", "contractPerformanceConditions"], "the pledge")
        #expect(!(try ledger.export(["--format", "ndjson"])).contains("\"goal\""))
        let t2 = try OCDSJSON.object(ledger.export(["--contract", "T-2", "--format", "records"]))
        let compiled = J.value(t2, "records", 0, "compiledRelease")
        #expect(J.value(compiled, "tender", "hasSustainability") as? Bool == false)
        #expect(J.value(compiled, "tender", "sustainability") == nil)
    }

    @Test func weightingIsTheSocialValueAwardCriterionOfLotOne() throws {
        let text = try OCDSLedger.lifecycle().export(["--contract", "T-1", "--format", "ndjson"])
        let weighting = try J.object(String(text.split(separator: "\n")[2]))
        #expect(J.value(weighting, "tender", "lots", 0, "id") as? String == "1")
        let criterion = J.value(weighting, "tender", "lots", 0, "awardCriteria", "criteria", 0)
        #expect(J.value(criterion, "type") as? String == "quality")
        #expect(J.value(criterion, "numbers", 0, "weight") as? String == "percentageExact")
        // The percentage is written from its exact digits.
        #expect(text.contains("\"numbers\":[{\"number\":12.5,\"weight\":\"percentageExact\"}]"))
    }

    @Test func bidsNameTheTenderersAndTheAwardItsSupplier() throws {
        let releases = try OCDSLedger.lifecycle().releases(["--contract", "T-1"])
        #expect(J.value(releases[3], "tender", "numberOfTenderers") as? Int == 2)
        #expect((J.value(releases[3], "tender", "tenderers") as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["North Roads Ltd", "Acme Ltd"])
        let award = releases[4]
        #expect(J.value(award, "awards", 0, "id") as? String == "T-1-award")
        #expect(J.value(award, "awards", 0, "status") as? String == "active")
        #expect(J.value(award, "awards", 0, "suppliers", 0, "name") as? String == "North Roads Ltd")
        #expect(J.value(award, "parties", 0, "roles") as? [String] == ["tenderer", "supplier"])
        #expect(J.value(award, "contracts", 0, "id") as? String == "T-1")
        #expect(J.value(award, "contracts", 0, "awardID") as? String == "T-1-award")
        #expect(J.value(award, "contracts", 0, "period", "endDate") as? String == "2027-03-31T23:59:59+01:00")
    }

    @Test func pledgeLinesAreTargetsOfImplementationMetricsNotKPIs() throws {
        let pledge = try OCDSLedger.lifecycle().releases(["--contract", "T-1"])[5]
        // In the UK profile, agreed metrics are the contract's KPIs: a TOMs pledge is not one.
        #expect(J.value(pledge, "contracts", 0, "agreedMetrics") == nil)
        let metrics = J.value(pledge, "contracts", 0, "implementation", "metrics")
        // Each line is the measure and its social value, a financial metric of its own.
        #expect((metrics as? [[String: Any]])?.compactMap { $0["id"] as? String }
            == ["P10", "socialValue/P10", "P20", "socialValue/P20", "JOB", "socialValue/JOB", "REC", "socialValue/REC"])
        let job = J.item(metrics, id: "JOB")
        #expect(J.value(job, "title") as? String == "Local jobs")
        #expect(J.value(job, "observations", 0, "id") as? String == "target")
        // A target over the contract's term.
        #expect(J.value(job, "observations", 0, "period", "startDate") as? String == "2025-04-01T00:00:00+01:00")
        #expect(J.value(job, "observations", 0, "period", "endDate") as? String == "2027-03-31T23:59:59+01:00")
        #expect(J.value(job, "observations", 0, "measure") as? Int == 4)
        #expect(J.value(job, "observations", 0, "unit", "name") as? String == "no. people FTE")
        // A quantity of people is not money: no `value` beside it.
        #expect(J.value(job, "observations", 0, "value") == nil)
        let worth = J.item(metrics, id: "socialValue/JOB")
        #expect(J.value(worth, "observations", 0, "id") as? String == "target")
        #expect(J.value(worth, "observations", 0, "value", "amount") as? Int == 400)
        #expect(J.value(worth, "observations", 0, "value", "currency") as? String == "GBP")
        #expect(J.value(worth, "observations", 0, "measure") == nil)
        let recorded = J.item(metrics, id: "socialValue/REC")
        #expect(J.value(recorded, "observations", 0, "notes") as? String == "record-only: the catalog gives no proxy value")
    }

    @Test func moneyIsExactToThePenny() throws {
        let ledger = try OCDSLedger.lifecycle()
        let lines = try ledger.export(["--contract", "T-1", "--format", "ndjson"]).split(separator: "\n").map(String.init)
        // The pledge: P10 at £0.10 and P20 at £0.20 (0.1 + 0.2 is not 0.3 in binary floating point).
        #expect(lines[5].contains("\"value\":{\"amount\":0.10,\"currency\":\"GBP\"}"))
        #expect(lines[5].contains("\"value\":{\"amount\":0.20,\"currency\":\"GBP\"}"))
        #expect(J.amountsInPence(lines[5]) == [10, 20, 40000, 0])
        // The Q1 return delivered the same two lines and one job at £100.
        #expect(J.amountsInPence(lines[6]) == [10, 20, 10000])
        #expect(lines[0].contains("\"value\":{\"amount\":500000.00,\"currency\":\"GBP\"}"))
    }

    @Test func returnsAreImplementationObservationsPerQuarterUnrated() throws {
        let report = try OCDSLedger.lifecycle().releases(["--contract", "T-1"])[6]
        let job = J.item(J.value(report, "contracts", 0, "implementation", "metrics"), id: "JOB")
        let observation = J.value(job, "observations", 0)
        #expect(J.value(observation, "id") as? String == "2025-26-Q1")
        #expect(J.value(observation, "period", "startDate") as? String == "2025-04-01T00:00:00+01:00")
        #expect(J.value(observation, "period", "endDate") as? String == "2025-06-30T23:59:59+01:00")
        #expect(J.value(observation, "measure") as? Int == 1)
        // No KPI rating: a TOMs measure's delivery is not a Procurement Act KPI.
        #expect(J.value(observation, "measureClassification") == nil)
        #expect(J.value(observation, "notes") == nil)
    }

    @Test func aCorrectionReplacesTheObservationByItsId() throws {
        let ledger = try OCDSLedger.lifecycle()
        let releases = try ledger.releases(["--contract", "T-1"])
        let corrected = try #require(ledger.eventIds(stream: "contract/T-1").first { $0.type == "DeliveryReported" }?.id)
        let observation = J.value(J.item(J.value(releases[7], "contracts", 0, "implementation", "metrics"), id: "JOB"), "observations", 0)
        #expect(J.value(observation, "id") as? String == "2025-26-Q1")
        #expect(J.value(observation, "measure") as? Int == 2)
        #expect(J.value(observation, "notes") as? String == "corrects event \(corrected); replaces the earlier figures")
        // In the record, the merge keeps one Q1 observation: the correction's.
        let record = try OCDSJSON.object(ledger.export(["--contract", "T-1", "--format", "records"]))
        let compiled = J.value(record, "records", 0, "compiledRelease")
        let merged = J.value(J.item(J.value(compiled, "contracts", 0, "implementation", "metrics"), id: "JOB"), "observations") as? [[String: Any]]
        // Beside the target the pledge set, over the term.
        #expect(merged?.compactMap { $0["id"] as? String } == ["target", "2025-26-Q1", "2025-26-Q2"])
        #expect(merged?[1]["measure"] as? Int == 2)
    }

    @Test func aRefreshKeepsTheOriginalTargetInTheEarlierRelease() throws {
        let ledger = try OCDSLedger.lifecycle()
        let releases = try ledger.releases(["--contract", "T-1"])
        let target = { (release: [String: Any], id: String) in
            J.item(J.value(J.item(J.value(release, "contracts", 0, "implementation", "metrics"), id: id), "observations"), id: "target")
        }
        #expect(J.value(target(releases[5], "JOB"), "measure") as? Int == 4)
        #expect(J.value(target(releases[9], "JOB"), "measure") as? Int == 6)
        let withdrawn = target(releases[9], "REC")
        #expect(J.value(withdrawn, "measure") as? Int == 0)
        #expect(J.value(withdrawn, "notes") as? String == "withdrawn at review 2026-03-20")
        let compiled = J.value(try OCDSJSON.object(ledger.export(["--contract", "T-1", "--format", "records"])), "records", 0, "compiledRelease")
        #expect(J.value(J.item(J.value(J.item(J.value(compiled, "contracts", 0, "implementation", "metrics"), id: "JOB"), "observations"), id: "target"), "measure") as? Int == 6)
        #expect(J.value(compiled, "contracts", 0, "agreedMetrics") == nil, "no KPIs")
    }

    @Test func closureTerminatesTheContractAndSaysItWasEarly() throws {
        let ledger = try OCDSLedger.lifecycle()
        let compiled = J.value(try OCDSJSON.object(ledger.export(["--contract", "T-1", "--format", "records"])), "records", 0, "compiledRelease")
        #expect(J.value(compiled, "contracts", 0, "period", "endDate") as? String == "2027-03-31T23:59:59+01:00", "the term as agreed")
        let closed = try ledger.releases(["--contract", "T-1"])[10]
        #expect(J.value(closed, "contracts", 0, "status") as? String == "terminated")
        // The term is kept; the day it ended is a milestone met (a closure used to overwrite the term).
        #expect(J.value(closed, "contracts", 0, "period") == nil)
        #expect(J.value(closed, "contracts", 0, "milestones", 0, "id") as? String == "closure")
        #expect(J.value(closed, "contracts", 0, "milestones", 0, "dateMet") as? String == "2026-06-30T23:59:59+01:00")
        #expect(J.value(closed, "contracts", 0, "milestones", 0, "status") as? String == "met")
        #expect(J.value(closed, "contracts", 0, "terminationRationaleClassifications", 0, "id") as? String == "earlyTermination")
    }
}
