import LedgerValues
import OpenContracting
import SocialValue
import Testing

@Suite("import ocds: what each field of a Find a Tender notice becomes")
struct OCDSImportMappingTests {
    let plan: OCDSImportPlan

    init() throws { plan = try OCDSImportFixtures.plan(try OCDSImportFixtures.text(OCDSImportFixtures.findATender)) }

    func action(_ eventType: String) -> ContractAction? { plan.steps.first { $0.eventType == eventType }?.command.action }

    @Test("the notice plans the whole life in the rules' order, with nothing blocking")
    func order() {
        #expect(plan.blocking.isEmpty)
        #expect(plan.steps.map(\.eventType) == [
            "ContractRegistered", "ThresholdAssessed", "WeightingDecided", "ContractAwarded", "PledgeRecorded", "DeliveryReported",
            "DeliveryCorrected",
        ])
        #expect(Set(plan.steps.map(\.command.contract)) == ["LCC-HWY-2025-014"])
    }

    @Test("registration: the tender's title, buyer, category, value, term and delivery region")
    func registration() throws {
        guard case .register(let registration) = action("ContractRegistered") else { Issue.record("no registration"); return }
        #expect(registration.reference == "LCC-HWY-2025-014")
        #expect(registration.title == "Highway resurfacing, inner ring road")
        #expect(registration.buyerDepartment == "Leeds City Council, Highways and Transportation")
        #expect(registration.category == .works)
        #expect(registration.estimatedValue == Money(pence: 425_000_000))
        #expect(registration.startDate == CalendarDate("2025-04-01"))
        #expect(registration.endDate == CalendarDate("2028-03-31"))
        #expect(registration.areasServed == ["UKE42"])
        #expect(registration.policyId == "lancashire-2024-28")
        #expect(registration.existingSupplier == nil)
        #expect(plan.steps[0].command.effectiveDate == CalendarDate("2025-02-03"))
    }

    @Test("weighting from the social value criterion of lot 1, not the price criterion")
    func weighting() {
        guard case .decideWeighting(let percent, let basis, _, _) = action("WeightingDecided") else { Issue.record("no weighting"); return }
        #expect(percent == ExactDecimal(10))
        #expect(basis == .policyMinimum)
    }

    @Test("award: supplier, date and value; pledge: each agreed metric's target")
    func awardAndPledge() {
        guard case .award(let supplier, let date, let value, _) = action("ContractAwarded") else { Issue.record("no award"); return }
        #expect(supplier == "North Roads Ltd")
        #expect(date == CalendarDate("2025-03-14"))
        #expect(value == Money(pence: 418_000_000))
        guard case .recordPledge(let catalog, let lines, _) = action("PledgeRecorded") else { Issue.record("no pledge"); return }
        #expect(catalog == "portal-003@003.2")
        #expect(lines.map(\.measure) == ["NT1", "NT10"])
        #expect(lines.map(\.quantity) == [ExactDecimal(24), ExactDecimal(70)])
    }

    @Test("a KPI observation becomes a quarter's return, exactly (17.5, not a float), and a changed one a correction")
    func deliveries() {
        guard case .reportDelivery(let quarter, let lines, let confirmed) = action("DeliveryReported") else { Issue.record("no return"); return }
        #expect(quarter == FinancialQuarter("2025-26-Q1"))
        #expect(confirmed)
        #expect(lines.map(\.measure) == ["NT1", "NT10"])
        #expect(lines.map(\.quantity) == [ExactDecimal(6), ExactDecimal(units: 175, scale: 1)])
        guard case .correctQuarter(let corrected, _, let correction) = action("DeliveryCorrected") else { Issue.record("no correction"); return }
        #expect(corrected == FinancialQuarter("2025-26-Q1"))
        #expect(correction.map(\.quantity) == [ExactDecimal(5)])
        #expect(plan.steps.last?.command.reason?.contains("ocds-h6vhtk-04f2c3-uk9-kpi-2025-08-01") == true)
    }

    @Test("the buyer's and the supplier's registered identifiers and address are kept with the registration and the award")
    func partiesIdentified() {
        guard case .register(let registration) = action("ContractRegistered") else { Issue.record("no registration"); return }
        #expect(registration.buyerDetails?.identifiers == [.init(scheme: "GB-PPON", id: "PDQR-1234-ABCD")])
        #expect(registration.buyerDetails?.address == .init(locality: "Leeds", postalCode: "LS1 1UR", countryName: "United Kingdom"))
        guard case .award(_, _, _, let supplier) = action("ContractAwarded") else { Issue.record("no award"); return }
        #expect(supplier?.identifiers == [.init(scheme: "GB-COH", id: "01234567")])
        #expect(supplier?.address == nil)
    }

    @Test("fields svledger cannot map are reported with their paths, and block nothing")
    func unmappedFields() {
        let notMapped = Set(plan.findings.filter { $0.kind == .notMapped }.map(\.path))
        for path in [
            "releases[0].tender.procurementMethodDetails", "releases[0].tender.lots[1]", "releases[0].tender.documents",
            "releases[0].tender.lots[0].awardCriteria.criteria[0]",
        ] {
            #expect(notMapped.contains(path), "\(path) should be reported")
        }
        // The parties' registered identifiers and addresses are kept, not reported.
        #expect(!notMapped.contains { $0.hasSuffix(".identifier") || $0.hasSuffix(".address") })
        #expect(plan.findings.contains { $0.kind == .recomputed && $0.path.hasSuffix("observations[0].measureClassification") })
        #expect(plan.findings.filter { $0.kind == .notMapped || $0.kind == .recomputed }.allSatisfy { !$0.blocks })
        #expect(plan.findings.contains { $0.kind == .defaulted && $0.message.contains("lancashire-2024-28") })
    }

    @Test("without confirmed attribution the returns block the import")
    func attribution() throws {
        let unconfirmed = try OCDSImportFixtures.plan(try OCDSImportFixtures.text(OCDSImportFixtures.findATender), confirm: false)
        #expect(unconfirmed.blocking.map(\.kind) == [.attributionNotConfirmed])
    }
}

@Suite("import ocds: the contract reference of an ocid")
struct OCDSImportReferenceTests {
    @Test("the publisher's prefix is dropped, whatever it is; an ocid without one is kept whole")
    func reference() {
        #expect(OCDSImportPlan.reference(fromOcid: "ocds-svledger-LCC-2025-014") == "LCC-2025-014")
        #expect(OCDSImportPlan.reference(fromOcid: "ocds-h6vhtk-04f2c3") == "04f2c3")
        #expect(OCDSImportPlan.reference(fromOcid: "LCC-2025-014") == "LCC-2025-014")
    }
}

@Suite("import ocds: Contracts Finder award notices")
struct OCDSImportContractsFinderTests {
    @Test("an award above threshold with no weighting is registered as running with its supplier; one below is awarded")
    func runningAndAwarded() throws {
        let plan = try OCDSImportFixtures.plan(try OCDSImportFixtures.text(OCDSImportFixtures.contractsFinder))
        #expect(plan.blocking.isEmpty)
        let supported = plan.steps.filter { $0.reference == "LCC-ADS-2025-031" }
        #expect(supported.map(\.eventType) == ["ContractRegistered"])
        guard case .register(let running) = supported.first?.command.action else { Issue.record("not registered"); return }
        #expect(running.existingSupplier == "Brightcare Homes Ltd")
        // 1.2e6 read exactly, through the exponent, as £1,200,000.00
        #expect(running.estimatedValue == Money(pence: 120_000_000))
        #expect(running.areasServed == ["Chorley"])
        #expect(supported.first?.command.effectiveDate == CalendarDate("2025-05-19"))
        #expect(plan.findings.contains { $0.kind == .registeredAsRunning && $0.ocid == "ocds-b5fd17-7a1c9e0d-2f4b-4c55-9e1a-3b2f6d8c1e70" })
        let boilers = plan.steps.filter { $0.reference == "LCC-PRO-2025-007" }
        #expect(boilers.map(\.eventType) == ["ContractRegistered", "ThresholdAssessed", "ContractAwarded"])
        guard case .award(_, _, let value, _) = boilers.last?.command.action else { Issue.record("not awarded"); return }
        #expect(value == Money(pence: 4_725_050))
        // An item's delivery addresses and locations are read; its classification is not.
        #expect(plan.findings.contains { $0.path == "releases[0].tender.items[0].classification" && $0.kind == .notMapped })
    }
}
